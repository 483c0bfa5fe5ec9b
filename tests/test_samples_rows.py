"""`write_samples(rows=..., analytics_formats=...)`: benchmark-sized exports.

`make bench` asks for "1,000,000 HubSpot contacts", not a multiplier: a per-kind row
count for the kind's main export, and the flattened GA4 export as CSV or Parquet. The
defaults must keep data/samples byte-identical.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ropa_samples import write_samples

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "data" / "samples"
ROWS = {
    "crm": 3_000,
    "newsletter_subscribed": 2_500,
    "newsletter_unsubscribed": 400,
    "newsletter_cleaned": 300,
    "registrations": 900,
    "visitors": 700,
    "inquiries": 600,
    "requests": 250,
    "analytics": 12_345,
}
MAIN = {
    "crm": "hubspot/hubspot-crm-exports-all-contacts-2026-09-30.csv",
    "newsletter_subscribed": "mailchimp/subscribed_members_export_2026-09-30.csv",
    "newsletter_unsubscribed": "mailchimp/unsubscribed_members_export_2026-09-30.csv",
    "newsletter_cleaned": "mailchimp/cleaned_members_export_2026-09-30.csv",
    "registrations": "eventbrite/report-attendees-2026-09-30.csv",
    "visitors": "envoy/entries-2026-09-30.csv",
    "inquiries": "forms/contact-form-entries.csv",
    "requests": "requests/rights-requests.csv",
}


@pytest.fixture(scope="module")
def sized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("sized")
    return out, write_samples(out, rows=ROWS, analytics_formats=("csv", "parquet"))


def test_defaults_write_exactly_the_committed_samples(tmp_path: Path) -> None:
    write_samples(tmp_path)
    committed = sorted(p.relative_to(COMMITTED) for p in COMMITTED.rglob("*") if p.is_file())
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written == committed
    for rel in committed:
        assert (tmp_path / rel).read_bytes() == (COMMITTED / rel).read_bytes(), rel


def test_rows_give_each_kinds_main_export_exactly_that_many_rows(sized: tuple) -> None:
    out, manifest = sized
    for kind, rel in MAIN.items():
        assert manifest["files"][rel]["rows"] == ROWS[kind], kind
    assert manifest["files"]["ga4/events_flat.csv"]["rows"] == ROWS["analytics"]
    assert manifest["files"]["ga4/events_flat.parquet"]["rows"] == ROWS["analytics"]
    assert manifest["rows"] == dict(sorted(ROWS.items()))
    assert manifest["analytics_formats"] == ["csv", "parquet"]
    # secondary exports keep their scale-1 size
    committed = json.loads((COMMITTED / "manifest.json").read_text(encoding="utf-8"))
    for rel in ("hubspot/kontakter-bedrift-2026-09-30.csv", "envoy/visitors-legacy-2025.xlsx"):
        assert manifest["files"][rel]["rows"] == committed["files"][rel]["rows"]


def test_the_csv_and_parquet_analytics_exports_hold_the_same_events(sized: tuple) -> None:
    out, _ = sized
    text = "string[pyarrow]"
    csv = pd.read_csv(out / "ga4/events_flat.csv", dtype=text, keep_default_na=False)
    parquet = pd.read_parquet(out / "ga4/events_flat.parquet").astype(text).fillna("")
    assert list(csv.columns) == list(parquet.columns)
    pd.testing.assert_frame_equal(csv, parquet)


def test_every_rule_is_planted_in_every_source_whatever_the_size(sized: tuple) -> None:
    _, manifest = sized
    committed = json.loads((COMMITTED / "manifest.json").read_text(encoding="utf-8"))

    def planted(m: dict) -> set[tuple[str, str]]:
        return {(p["rule_id"], p["source"]) for p in m["planted"]}

    assert planted(committed) <= planted(manifest)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rows": {"contacts": 5}}, "unknown kind"),
        ({"rows": {"crm": -1}}, "negative"),
        ({"analytics_formats": ("xlsx",)}, "analytics_formats"),
        ({"analytics_formats": ()}, "analytics_formats"),
    ],
)
def test_bad_sizes_or_formats_are_refused(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        write_samples(tmp_path, **kwargs)
    assert not (tmp_path / "manifest.json").exists()
