"""The command line as a user runs it: exit codes, one-line errors, files written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"


def ropa(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ropa", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "ROPA_KEY": "cli-test", "COLUMNS": "200"},
        cwd=cwd,
        timeout=600,
        check=False,
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_make_help_lists_the_targets() -> None:
    proc = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0
    for target in ("help", "venv", "audit", "test", "bench", "lint", "clean", "notebooks"):
        assert f"  {target} " in proc.stdout, target


def test_policy_command_writes_ropa_and_gaps(tmp_path: Path) -> None:
    out = tmp_path / "ropa.xlsx"
    proc = ropa("policy", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    wb = load_workbook(out, read_only=True)
    assert {"ROPA", "Policy gaps"} <= set(wb.sheetnames)


def test_broken_policy_file_exits_2_naming_the_field(tmp_path: Path) -> None:
    from ropa.policy import model

    text = Path(model.__file__).with_name("policy.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        text.replace("visitor_retention_days: 90", "visitor_retention_days: ninety"),
        encoding="utf-8",
    )
    line = one_line_error(
        ropa("policy", "--policy", str(broken), "--out", str(tmp_path / "x.xlsx"))
    )
    assert "broken.yaml" in line and "visitor_retention_days" in line
    assert not (tmp_path / "x.xlsx").exists()


def test_sources_lists_an_unknown_file_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("colour,size\nred,4\n", encoding="utf-8")
    proc = ropa("sources", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "notes.csv" in proc.stdout and "not read" in proc.stdout


def test_sources_on_a_missing_folder_exits_2(tmp_path: Path) -> None:
    line = one_line_error(ropa("sources", str(tmp_path / "nope")))
    assert "nope" in line


def test_bad_audit_date_exits_2() -> None:
    line = one_line_error(ropa("audit", str(SAMPLES), "--as-of", "30.09.2026"))
    assert "--as-of" in line


def test_samples_with_the_same_seed_are_byte_identical(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert ropa("samples", str(tmp_path / name), "--seed", "5").returncode == 0
    files_a = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert files_a
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def _persons() -> list[dict]:
    return json.loads((SAMPLES / "manifest.json").read_text())["persons"]


def test_subject_is_found_in_every_sample_source_that_holds_them(tmp_path: Path) -> None:
    for person in _persons():
        proc = ropa("subject", str(SAMPLES), "--email", person["email"])
        assert proc.returncode == 0, proc.stderr
        for source in person["sources"]:
            assert source in proc.stdout, (person["email"], source)


def test_subject_with_case_and_whitespace_variants_is_one_person(tmp_path: Path) -> None:
    person = max(_persons(), key=lambda p: len(p["sources"]))
    shouted = f"  {person['email'].upper()} "
    export = tmp_path / "subject.json"
    proc = ropa("subject", str(SAMPLES), "--email", shouted, "--export", str(export))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(export.read_text(encoding="utf-8"))
    found = {m["source"]: m["rows"] for m in doc["found_in"]}
    assert found == {src: sorted(rows) for src, rows in person["sources"].items()}
    assert doc["erasure"]["delete"]
    assert person["email"] not in proc.stdout  # the console shows where, not what


def test_unknown_subject_is_not_found_and_exits_0() -> None:
    proc = ropa("subject", str(SAMPLES), "--email", "nobody.at.all@example.invalid")
    assert proc.returncode == 0
    assert "not found in" in proc.stdout and "sources" in proc.stdout


def test_audit_console_tells_a_newcomer_what_was_read_judged_and_written(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for rel in ("envoy/entries-2026-09-30.csv", "ga4/events_flat.parquet"):
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        (data / rel).write_bytes((SAMPLES / rel).read_bytes())
    (data / "notes [old].csv").write_text("colour,size\nred,4\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = ropa("audit", str(data), "--as-of", "2026-09-30", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    entries = (SAMPLES / "envoy/entries-2026-09-30.csv").read_text(encoding="utf-8")
    events = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))["files"][
        "ga4/events_flat.parquet"
    ]["rows"]
    rows = len(entries.splitlines()) - 1 + events
    assert f"read 2 files ({rows:,} rows), skipped 1" in lines
    # the skipped file, its name printed as it is (not as markup), and why
    assert any(line.startswith("  skipped notes [old].csv: header matches no") for line in lines)
    assert any(line.startswith("findings: ") and "rules checked: " in line for line in lines)
    # what could not be judged: no request log, so no erasure can be matched
    assert "not evaluable (records the rule could not judge):" in lines
    assert any(
        line.startswith(f"  ERASURE-NOT-DONE ga4/events_flat.parquet: {events:,} of {events:,}, ")
        for line in lines
    )
    written = "findings.csv, findings.parquet, coverage.csv, audit.json, ropa-2026-09-30.xlsx"
    assert f"outputs in {out}: {written}" in lines
    assert lines[-1].startswith("done in ") and lines[-1].endswith(" s")
    assert (out / "coverage.csv").is_file()
