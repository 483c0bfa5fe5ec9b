"""Real vendor exports written by others (../shared/real-exports, see its PROVENANCE.md),
read in place: each supported file is recognised as its kind with its exact row count
(counted here independently with the csv module / JSON lines), and the beehiiv export,
a format ropa does not support, is unknown with a reason that names no unrelated kind."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from ropa.errors import SourceError
from ropa.sources import KINDS, load_file, load_folder

REAL = next(
    (p / "shared" / "real-exports" for p in Path(__file__).resolve().parents[2:4]
     if (p / "shared" / "real-exports").is_dir()),
    Path(__file__).resolve().parents[2] / "shared" / "real-exports",
)  # fmt: skip

EXPECTED = {
    "eventbrite/eb2ez-test_input_file_1.csv": "registrations",
    "ga4/dataform-ga4-sessions-events.jsonl": "analytics",
    "mailchimp/tryghost-cleaned.csv": "newsletter_cleaned",
    "mailchimp/tryghost-subscribed.csv": "newsletter_subscribed",
    "mailchimp/tryghost-unsubscribed.csv": "newsletter_unsubscribed",
}
UNSUPPORTED = {"other/tryghost-beehiiv-members.csv"}


@pytest.fixture(scope="module")
def real() -> Path:
    if not REAL.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"real exports missing: {REAL}")
        pytest.skip(f"real exports not beside the repo: {REAL}")
    return REAL


def count_records(path: Path) -> int:
    """Data records, counted without ropa: CSV records after the header, or JSON lines
    holding an object."""
    if path.suffix == ".jsonl":
        lines = path.read_text(encoding="utf-8").splitlines()
        return sum(isinstance(json.loads(line), dict) for line in lines if line.strip())
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return sum(any(cell.strip() for cell in row) for row in rows[1:])


def test_every_file_is_expected_or_known_unsupported(real: Path) -> None:
    files = {
        p.relative_to(real).as_posix() for p in real.rglob("*") if p.is_file() and p.suffix != ".md"
    }
    assert files == set(EXPECTED) | UNSUPPORTED


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_each_supported_file_is_its_kind_with_its_exact_row_count(real: Path, rel: str) -> None:
    src = load_file(real / rel, real)
    assert src.kind == EXPECTED[rel]
    assert src.rows == count_records(real / rel) > 0
    assert src.frame["_row"].tolist() == list(range(1, src.rows + 1))


def test_beehiiv_is_unknown_and_its_reason_names_no_kind(real: Path) -> None:
    with pytest.raises(SourceError) as err:
        load_file(real / "other" / "tryghost-beehiiv-members.csv", real)
    reason = err.value.message
    assert reason.startswith("header matches no known export (")
    assert "known: 'email', 'First Name', 'Last Name'" in reason
    assert "closest" not in reason
    assert not any(kind in reason for kind in KINDS)
    assert "@" not in reason  # no cell value


def test_the_whole_folder_loads_the_supported_files_and_lists_beehiiv(real: Path) -> None:
    inv = load_folder(real)
    assert {s.rel: s.kind for s in inv.sources} == EXPECTED
    assert [s.rel for s in inv.skipped if s.rel != "PROVENANCE.md"] == sorted(UNSUPPORTED)
