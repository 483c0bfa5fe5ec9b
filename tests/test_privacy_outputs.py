"""No personal data in anything ropa writes, except the subject-request export.

A full audit of the samples (with Data Docs and -v logging), then every output file is
scanned for every sample e-mail address, phone number and full name.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from ropa.sources import load_folder

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
AS_OF = "2026-09-30"


def personal_values() -> set[str]:
    """Every e-mail, phone number and full name in the sample inputs, as written there."""
    values: set[str] = set()
    for src in load_folder(SAMPLES).sources:
        f = src.frame
        for col in ("email", "phone", "mobile_phone", "full_name"):
            if col in f.columns:
                values |= {v.strip() for v in f[col].dropna().astype(str) if len(v.strip()) > 5}
        if "first_name" in f.columns and "last_name" in f.columns:
            full = (
                f["first_name"].astype("string") + " " + f["last_name"].astype("string")
            ).dropna()
            values |= {v.strip() for v in full if len(v.strip()) > 5}
    return values


def output_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    if path.suffix == ".parquet":
        return pd.read_parquet(path).to_csv(index=False)
    if path.suffix == ".png":
        return ""
    return path.read_bytes().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def audit_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("privacy") / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ropa",
            "audit",
            str(SAMPLES),
            "--as-of",
            AS_OF,
            "--out",
            str(out),
            "--data-docs",
            "--remediation",
            "-v",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "ROPA_KEY": "privacy-test"},
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, proc.stdout + proc.stderr


def test_samples_hold_personal_data_to_look_for() -> None:
    values = personal_values()
    assert len(values) > 500
    assert any("@" in v for v in values) and any(
        re.search(r"\d{8}", v.replace(" ", "")) for v in values
    )


def test_no_sample_email_phone_or_name_in_any_output_or_log(audit_out: tuple[Path, str]) -> None:
    out, logs = audit_out
    values = personal_values()
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in files), "Data Docs were not written"
    # The remediation lists are the one output meant to hold identifiers (opt-in, 0600):
    # the scan finds them there, and nowhere else.
    lists = [p for p in files if p.parent.name == "remediation"]
    assert lists and any(any(v in output_text(p) for v in values) for p in lists)
    files = [p for p in files if p not in lists]
    texts = {str(p.relative_to(out)): output_text(p) for p in files}
    texts["<console and -v log>"] = logs
    leaks = {
        name: sorted(v for v in values if v in text)[:3]
        for name, text in texts.items()
        if any(v in text for v in values)
    }
    assert leaks == {}


def test_every_output_has_the_mode_of_findings_csv(audit_out: tuple[Path, str]) -> None:
    out, _ = audit_out
    files = [p for p in out.rglob("*") if p.is_file()]
    folders = [p for p in out.rglob("*") if p.is_dir()]
    assert {p.name for p in files} >= {"findings.csv", "index.html", f"ropa-{AS_OF}.xlsx"}
    assert {p.name for p in folders} >= {"data-docs", "remediation"}
    assert {p.relative_to(out).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in files} == {
        p.relative_to(out).as_posix(): 0o600 for p in files
    }
    assert {p.relative_to(out).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in folders} == {
        p.relative_to(out).as_posix(): 0o700 for p in folders
    }


def test_data_docs_carry_no_identifying_url(audit_out: tuple[Path, str]) -> None:
    out, _ = audit_out
    for html in (out / "data-docs").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "data_context_id" not in text and "great_expectations_logo" not in text.lower()
        for url in re.findall(r"https?://[^\s\"'<>)]+", text):
            assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", url), url


def test_findings_detail_and_keys_hold_no_raw_values(audit_out: tuple[Path, str]) -> None:
    out, _ = audit_out
    findings = pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False)
    assert len(findings) > 0
    assert findings["subject_key"].str.fullmatch(r"([0-9a-f]{16})?").all()
    text = findings.to_csv(index=False)
    assert "@" not in text.replace("%40", "")
    assert not re.search(r"\+47 ?\d", text)
