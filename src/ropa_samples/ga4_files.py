"""The GA4 sample events written as files: flat Parquet (dotted column names) and the
nested BigQuery-export JSON lines (``event_params`` key/value lists, records for
``privacy_info``, ``collected_traffic_source``, ``geo`` and ``device.web_info``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ropa_samples import gen
from ropa_samples.ga4 import COLUMNS, INTS, STRINGS


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Flat columns with dotted names; no pandas metadata, so the bytes depend only on
    the data and the pyarrow version."""
    arrays = [
        pa.array(frame[c].to_numpy(dtype=np.int64))
        if c in INTS
        else pa.array(frame[c]).cast(pa.string())
        for c in COLUMNS
    ]
    table = pa.Table.from_arrays(arrays, names=COLUMNS)
    pq.write_table(table, path, compression="zstd", row_group_size=1_000_000)


def _json(frame: pd.DataFrame, column: str) -> pa.Array:
    """JSON literals of a text column (null -> null). Values are wrapped in quotes as they
    are; the rare value that needs escaping goes through json.dumps."""
    values = pa.array(frame[column])
    lit = gen.cat('"', values, '"')
    if re.search(rb'["\\\x00-\x1f]', gen.joined_bytes(pc.fill_null(values, ""))):
        bad = pc.fill_null(pc.match_substring_regex(values, r'["\\\x00-\x1f]'), False)
        fixed = [json.dumps(v, ensure_ascii=False) for v in pc.filter(values, bad).to_pylist()]
        lit = pc.replace_with_mask(lit, bad, pa.array(fixed, gen.TEXT))
    return pc.fill_null(lit, "null")


def write_jsonl(frame: pd.DataFrame, path: Path) -> None:
    """The nested BigQuery row: event_params as a key/value list, records for privacy_info,
    collected_traffic_source, geo and device.web_info; built as text, column by column."""
    j = {c: _json(frame, c) for c in STRINGS}
    i = {c: gen.num(frame[c].to_numpy(dtype=np.int64)) for c in INTS}
    referrer = gen.where(
        frame["event_params.page_referrer"].isna().to_numpy(),
        "",
        gen.cat(
            '{"key":"page_referrer","value":{"string_value":',
            j["event_params.page_referrer"],
            "}},",
        ),
    )
    param_gclid = gen.where(
        frame["event_params.gclid"].isna().to_numpy(),
        "",
        gen.cat(',{"key":"gclid","value":{"string_value":', j["event_params.gclid"], "}}"),
    )
    lines = gen.cat(
        '{"event_date":',
        j["event_date"],
        ',"event_timestamp":',
        i["event_timestamp"],
        ',"event_name":',
        j["event_name"],
        ',"event_params":[{"key":"page_location","value":{"string_value":',
        j["event_params.page_location"],
        "}},",
        referrer,
        '{"key":"ga_session_id","value":{"int_value":',
        i["event_params.ga_session_id"],
        "}}",
        param_gclid,
        "]",
        ',"user_pseudo_id":',
        j["user_pseudo_id"],
        ',"user_id":',
        j["user_id"],
        ',"privacy_info":{"analytics_storage":',
        j["privacy_info.analytics_storage"],
        ',"ads_storage":',
        j["privacy_info.ads_storage"],
        "}",
        ',"collected_traffic_source":{"gclid":',
        j["collected_traffic_source.gclid"],
        ',"manual_source":',
        j["collected_traffic_source.manual_source"],
        "}",
        ',"geo":{"country":',
        j["geo.country"],
        ',"region":',
        j["geo.region"],
        ',"city":',
        j["geo.city"],
        "}",
        ',"device":{"category":',
        j["device.category"],
        ',"web_info":{"browser":',
        j["device.web_info.browser"],
        "}}",
        ',"platform":',
        j["platform"],
        "}\n",
    )
    path.write_bytes(gen.joined_bytes(lines))
