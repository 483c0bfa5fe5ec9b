"""Finding identity: a ``finding_id`` that survives a new export of the same record.

``finding_id`` is the first 16 hex digits of HMAC-SHA256 (the subject-key key) over the
rule id, the source kind and the record's natural key, the columns of ``NATURAL_KEY``
(the first alternative whose columns are all present in the row). A file renamed or
rows reordered keep their ids; the id reveals nothing about the record. Exact duplicates
(same natural key) are told apart by their position among each other, in row order.
Column-level findings are keyed by the column header and what it holds (the detail),
policy gaps by their gap id.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.dtypes import STRING
from ropa.mapping.normalise import normalise_email
from ropa.sources.common import join_texts

SEP = "\x1f"

# Source kind -> alternatives of natural-key columns (canonical names), first that fits.
NATURAL_KEY: dict[str, tuple[tuple[str, ...], ...]] = {
    "crm": (("record_id",), ("email",)),
    "newsletter_subscribed": (("email",),),
    "newsletter_unsubscribed": (("email",),),
    "newsletter_cleaned": (("email",),),
    "registrations": (("attendee_id",), ("order_id", "email")),
    "visitors": (("email", "signed_in_time"), ("full_name", "signed_in_time")),
    "inquiries": (("inquiry_id",), ("email", "created_time")),
    "analytics": (
        ("user_pseudo_id", "event_timestamp", "event_name"),
        ("user_pseudo_id", "event_timestamp"),
        ("event_timestamp", "event_name"),
    ),
    "requests": (("request_id",), ("email", "received_time")),
}
# Every loaded column a natural key may read (added to what to_findings reads).
NATURAL_KEY_COLUMNS: tuple[str, ...] = tuple(
    sorted({c for alternatives in NATURAL_KEY.values() for alt in alternatives for c in alt})
)
# Columns that are compared normalised (e-mails: trimmed, lower-cased).
_EMAIL_COLUMNS = frozenset({"email"})


def _as_key_text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A key column as text; times as UTC ISO seconds, whatever their unit or zone."""
    if column not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype=STRING)
    col = frame[column]
    dtype = col.dtype
    is_arrow_time = isinstance(dtype, pd.ArrowDtype) and pa.types.is_timestamp(dtype.pyarrow_dtype)
    if is_arrow_time or pd.api.types.is_datetime64_any_dtype(dtype):
        times = pd.to_datetime(col, utc=True)
        seconds = times.astype("int64", copy=False) // 1_000_000_000 if len(times) else times
        out = pd.Series(seconds, index=frame.index).astype("Int64").astype(STRING)
        return out.where(times.notna().to_numpy())
    if column in _EMAIL_COLUMNS:
        return normalise_email(col.astype(STRING)).astype(STRING)
    if pd.api.types.is_integer_dtype(dtype):  # GA4's event_timestamp: digits, by arrow
        digits = pc.cast(pa.array(col), pa.string())
        return pd.Series(STRING.__from_arrow__(digits), index=frame.index)
    text = col.astype(STRING).str.strip()
    return text.where(text.str.len() > 0)


def _arrow(values: pd.Series) -> pa.Array:
    arr = pa.array(values.astype(STRING).array)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return arr.cast(pa.large_string())


def _series(arr: pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(STRING.__from_arrow__(pa.chunked_array([arr.cast(pa.string())])), index=index)


def _natural_keys(rows: pd.DataFrame, kind: str) -> pa.Array:
    key = pa.nulls(len(rows), pa.large_string())
    texts: dict[str, pa.Array] = {}  # a column shared by alternatives is read once
    for alternative in NATURAL_KEY.get(kind, ()):
        parts: list[pa.Array | str] = []
        for column in alternative:
            if column not in texts:
                texts[column] = _arrow(_as_key_text(rows, column))
            parts += [SEP, texts[column]]
        key = pc.coalesce(key, join_texts(alternative[0] + "=", *parts[1:]))
        if key.null_count == 0:  # later alternatives would fill nothing
            break
    return key


def natural_keys(rows: pd.DataFrame, kind: str) -> pd.Series:
    """Per row, its natural key as one text (null when no alternative fits)."""
    return _series(_natural_keys(rows, kind), rows.index)


def with_positions(keys: pd.Series, order: pd.Series) -> pd.Series:
    """``keys`` with the position among equal keys (in ``order``) appended from the
    second occurrence on, so exact duplicates get ids of their own."""
    filled = keys.astype(STRING).fillna("")
    if not filled.duplicated().any():  # the usual case: nothing to number
        return filled
    ranked = pd.DataFrame({"k": filled, "o": order.to_numpy()}, index=keys.index)
    position = ranked.sort_values("o", kind="stable").groupby("k", sort=False).cumcount()
    position = position.reindex(keys.index)
    suffix = (SEP + "#" + position.astype(str)).where(position > 0, "")
    return filled + suffix.astype(STRING)


def hash_ids(parts: pd.Series, prefix: str = "", *, distinct: bool = False) -> pd.Series:
    """16 hex digits of HMAC-SHA256 of ``prefix + part`` per value (null as "")."""
    from ropa.keys import keyed_hashes

    return keyed_hashes(parts.astype(STRING).fillna(""), prefix, distinct=distinct)


def row_finding_ids(rows: pd.DataFrame, kind: str, rule_id: str) -> pd.Series:
    """finding_id of every flagged row of ``rule_id`` in a ``kind`` frame."""
    keys = _natural_keys(rows, kind)
    if keys.null_count:
        # Without any natural key the row number is all that is left (not stable).
        fallback = join_texts("row=", _arrow(rows["_row"]))
        keys = pc.coalesce(keys, fallback)
    keys = with_positions(_series(keys, rows.index), rows["_row"])
    # numbered duplicates make every key distinct: one HMAC per finding, no encoding pass
    return hash_ids(keys, rule_id + SEP + kind + SEP, distinct=True)


def add_finding_ids(findings: pd.DataFrame, kinds: Mapping[str, str]) -> pd.DataFrame:
    """Fill ``finding_id`` where it is missing: column-level findings by rule, the source's
    kind, column, file format and detail; policy gaps (no column) by the gap id in their detail."""
    missing = findings["finding_id"].isna().to_numpy()
    if not missing.any():
        return findings
    todo = findings.loc[missing]
    source = todo["source"].astype(STRING)
    kind = source.map(dict(kinds)).astype(STRING).fillna("")
    column = todo["column"].astype(STRING)
    detail = todo["detail"].astype(STRING).fillna("")
    gap_id = detail.str.split(":", n=1).str[0].astype(STRING)
    # Two files of one kind may share a header (a JSONL and a Parquet GA4 export): the
    # file's format tells them apart, and survives a rename.
    suffix = source.str.extract(r"(\.[^./]+)$", expand=False).astype(STRING).fillna("")
    key = ("column=" + column + SEP + suffix + SEP + detail).fillna("gap=" + gap_id)
    ids = hash_ids(todo["rule_id"].astype(STRING) + SEP + kind + SEP + key)
    out = findings.copy()
    out.loc[missing, "finding_id"] = ids.to_numpy()
    return out


def reveals_nothing(ids: pd.Series) -> bool:
    """Every id is 16 lower-case hex digits (so it cannot hold a value)."""
    arr = pa.array(ids.astype(STRING).array)
    return bool(pc.all(pc.match_substring_regex(arr, "^[0-9a-f]{16}$")).as_py())
