"""GA4 BigQuery exports: nested JSONL, flattened CSV and Parquet land in the same columns."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ropa.sources import load_file


def event(ts: int, location: str, **extra: object) -> dict:
    record = {
        "event_date": "20260105",
        "event_timestamp": ts,
        "event_name": "page_view",
        "event_params": [
            {"key": "page_location", "value": {"string_value": location, "int_value": None}},
            {"key": "ga_session_id", "value": {"string_value": None, "int_value": 1767600000}},
            {
                "key": "page_referrer",
                "value": {"string_value": "https://www.google.com/", "int_value": None},
            },
        ],
        "user_pseudo_id": "1234567.89",
        "user_id": None,
        "privacy_info": {
            "analytics_storage": "Yes",
            "ads_storage": "No",
            "uses_transient_token": "No",
        },
        "collected_traffic_source": {"gclid": "Cj0KCQ", "manual_source": "google"},
        "geo": {"country": "Norway", "region": "Oslo", "city": "Oslo"},
        "device": {"category": "desktop", "web_info": {"browser": "Chrome"}},
    }
    record.update(extra)
    return record


CANONICAL = [
    "event_date",
    "event_timestamp",
    "event_time",
    "event_name",
    "page_location",
    "page_referrer",
    "user_pseudo_id",
    "user_id",
    "analytics_storage",
    "ads_storage",
    "gclid",
    "geo_country",
    "geo_region",
    "geo_city",
    "device_category",
    "device_browser",
]


def test_nested_jsonl_with_a_broken_line_keeps_true_line_numbers(tmp_path: Path) -> None:
    lines = [
        json.dumps(event(1767607200000000, "https://metier.no/?email=kari%40example.no")),
        '{"event_name": "page_view", "event_timestamp": ',  # cut off mid-line
        "",
        json.dumps(event(1751364000123456, "https://metier.no/kurs", user_id="u-42")),
    ]
    path = tmp_path / "events_20260105.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    src = load_file(path, tmp_path)
    assert (src.kind, src.activity, src.file_format) == ("analytics", "web", "jsonl")
    f = src.frame
    assert set(CANONICAL) <= set(f.columns)
    assert f["_row"].tolist() == [1, 4]
    assert src.problems == ["1 line skipped: not a JSON object"]
    assert str(f["event_timestamp"].dtype) == "int64[pyarrow]"
    assert f["event_timestamp"].tolist() == [1767607200000000, 1751364000123456]
    assert str(f["event_time"].dtype) == "datetime64[us, UTC]"
    assert f.loc[0, "event_time"] == pd.Timestamp("2026-01-05 10:00", tz="UTC")
    assert f.loc[1, "event_time"] == pd.Timestamp("2025-07-01 10:00:00.123456", tz="UTC")
    assert f.loc[0, "page_location"] == "https://metier.no/?email=kari%40example.no"
    assert f.loc[0, "page_referrer"] == "https://www.google.com/"
    assert f.loc[0, "event_params.ga_session_id"] == "1767600000"
    assert f["analytics_storage"].tolist() == ["Yes", "Yes"]
    assert f.loc[0, "gclid"] == "Cj0KCQ"
    assert f.loc[0, "device_browser"] == "Chrome"
    assert f.loc[0, "collected_traffic_source.manual_source"] == "google"
    assert pd.isna(f.loc[0, "user_id"]) and f.loc[1, "user_id"] == "u-42"
    assert f["user_pseudo_id"].dtype == pd.StringDtype("pyarrow")
    assert src.headers["analytics_storage"] == "privacy_info.analytics_storage"


def test_jsonl_with_timestamps_as_text_like_bigquery(tmp_path: Path) -> None:
    lines = [
        json.dumps(event(1767607200000000, "https://a.no")),
        json.dumps(event("1767607201000000", "https://b.no")),
    ]
    path = tmp_path / "e.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    src = load_file(path, tmp_path)
    assert src.frame["event_timestamp"].tolist() == [1767607200000000, 1767607201000000]
    assert src.problems == []


def test_flattened_csv_has_the_same_columns(tmp_path: Path) -> None:
    path = tmp_path / "ga4_flat.csv"
    path.write_text(
        "event_date,event_timestamp,event_name,user_pseudo_id,user_id,"
        "event_params.page_location,event_params.ga_session_id,privacy_info.analytics_storage,"
        "privacy_info.ads_storage,collected_traffic_source.gclid,geo.country,device.category,"
        "device.web_info.browser\n"
        "20260105,1767607200000000,page_view,1.2,,https://a.no,17,No,,Cj0,Norway,mobile,Safari\n"
        "20260105,oops,page_view,1.3,,https://b.no,18,Yes,Yes,,Norway,desktop,Chrome\n",
        encoding="utf-8",
    )
    src = load_file(path, tmp_path)
    assert src.kind == "analytics"
    f = src.frame
    assert f.loc[0, "event_time"] == pd.Timestamp("2026-01-05 10:00", tz="UTC")
    assert pd.isna(f.loc[1, "event_timestamp"]) and pd.isna(f.loc[1, "event_time"])
    assert src.problems == ["1 row with an unreadable timestamp in 'event_timestamp'"]
    assert f["analytics_storage"].tolist() == ["No", "Yes"]
    assert f.loc[0, "page_location"] == "https://a.no"
    assert f.loc[0, "event_params.ga_session_id"] == "17"


def test_nested_parquet_is_flattened_like_jsonl(tmp_path: Path) -> None:
    records = [event(1767607200000000, "https://a.no"), event(1767607260000000, "https://b.no")]
    path = tmp_path / "events.parquet"
    pq.write_table(pa.Table.from_pylist(records), path)
    src = load_file(path, tmp_path)
    assert (src.kind, src.file_format) == ("analytics", "parquet")
    f = src.frame
    assert set(CANONICAL) <= set(f.columns)
    assert f["page_location"].tolist() == ["https://a.no", "https://b.no"]
    assert f["event_time"].tolist() == [
        pd.Timestamp("2026-01-05 10:00", tz="UTC"),
        pd.Timestamp("2026-01-05 10:01", tz="UTC"),
    ]
    assert f["_row"].tolist() == [1, 2]
    assert f["geo_city"].tolist() == ["Oslo", "Oslo"]
