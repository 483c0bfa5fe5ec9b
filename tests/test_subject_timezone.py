"""Zone-less times are local to policy.timezone in `ropa sources`, `ropa map`,
`ropa subject` and load_folder / read_folder, as in the audit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import ropa.reading
from ropa.cli import app
from ropa.policy import model
from ropa.reading import read_folder
from ropa.sources import load_folder

NEW_YORK = "America/New_York"
# 20:30 on 15 January, no zone: 19:30 UTC in Oslo (UTC+1), 01:30 UTC next day in New York
CRM = (
    "Record ID,First Name,Last Name,Email,Lifecycle Stage,Create Date,Last Activity Date,"
    "Marketing contact status,Legal basis for processing contact's data\n"
    "101,Kari,Nordmann,kari@example.no,Customer,2026-01-15 20:30,2026-01-15 20:30,"
    "Marketing contact,Legitimate interest\n"
)
OSLO_UTC = pd.Timestamp("2026-01-15 19:30", tz="UTC")
NEW_YORK_UTC = pd.Timestamp("2026-01-16 01:30", tz="UTC")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "hubspot").mkdir(parents=True)
    (folder / "hubspot" / "contacts.csv").write_text(CRM, encoding="utf-8")
    return folder


@pytest.fixture
def new_york(tmp_path: Path) -> Path:
    text = Path(model.__file__).with_name("policy.yaml").read_text(encoding="utf-8")
    assert "timezone: Europe/Oslo" in text
    path = tmp_path / "policy-ny.yaml"
    path.write_text(text.replace("timezone: Europe/Oslo", f"timezone: {NEW_YORK}"), "utf-8")
    return path


def _ropa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ropa", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "ROPA_KEY": "tz-test", "COLUMNS": "200"},
        timeout=600,
        check=False,
    )


def test_load_folder_and_read_folder_read_zone_less_times_in_the_given_zone(data: Path) -> None:
    for tz, want in ((None, OSLO_UTC), (NEW_YORK, NEW_YORK_UTC)):
        (whole,) = load_folder(data, tz=tz).sources
        assert whole.frame["create_time"].tolist() == [want], tz
        (read,) = read_folder(data, tz=tz, rows=True).inventory.sources
        assert read.frame["create_time"].tolist() == [want], tz
        assert read.time_spans["create_time"] == (want, want)


def test_ropa_subject_reads_zone_less_times_in_the_policy_timezone(
    data: Path, new_york: Path, tmp_path: Path
) -> None:
    for policy, want in ((None, OSLO_UTC), (new_york, NEW_YORK_UTC)):
        out = tmp_path / "subject.json"
        args = ["--policy", str(policy)] if policy else []
        proc = _ropa(
            "subject", str(data), "--email", "kari@example.no", "--export", str(out), *args
        )
        assert proc.returncode == 0, proc.stderr
        (match,) = json.loads(out.read_text(encoding="utf-8"))["found_in"]
        assert match["records"][0]["Create Date"] == want.isoformat(), policy


def test_ropa_sources_dates_follow_the_policy_timezone(data: Path, new_york: Path) -> None:
    oslo = _ropa("sources", str(data))
    ny = _ropa("sources", str(data), "--policy", str(new_york))
    assert oslo.returncode == ny.returncode == 0, (oslo.stderr, ny.stderr)
    assert "2026-01-15 .. 2026-01-15" in oslo.stdout
    assert "2026-01-16 .. 2026-01-16" in ny.stdout


def test_ropa_map_reads_in_the_policy_timezone(
    data: Path, new_york: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ropa.reading.read_folder
    seen: list[ropa.reading.FolderRead] = []

    def spy(*args: Any, **kwargs: Any) -> ropa.reading.FolderRead:
        got = real(*args, **kwargs)
        seen.append(got)
        return got

    monkeypatch.setattr(ropa.reading, "read_folder", spy)
    result = CliRunner().invoke(app, ["map", str(data), "--policy", str(new_york)])
    assert result.exit_code == 0, result.output
    assert "Data map" in result.output
    (source,) = seen[0].inventory.sources
    assert source.time_spans["create_time"] == (NEW_YORK_UTC, NEW_YORK_UTC)
