"""Broken and hostile input: ropa never crashes, never changes the input, never leaks.

The corpus is built here from bytes, not stored as binaries in git.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import load_workbook

from ropa.errors import SourceError
from ropa.sources import load_file, load_folder

AS_OF = "2026-09-30"
HUBSPOT = (
    "Record ID,First Name,Last Name,Email,Phone Number,Lifecycle Stage,Last Activity Date,"
    "Create Date,Marketing contact status,Legal basis for processing contact's data\n"
)
MAILCHIMP = (
    "Email Address,First Name,Last Name,Phone Number,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,"
    "CONFIRM_IP,LATITUDE,LONGITUDE,LAST_CHANGED,LEID,EUID\n"
)
INJECTIONS = ['=HYPERLINK("http://x","y")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-1+1"]


def _crm_row(i: int, email: str = "", first: str = "Ola", created: str = "2026-05-01 10:00") -> str:
    email = email or f"person{i}@example.no"
    phone = f"+47 912 34 {i:03d}"
    status = "Marketing contact,Consent"
    return f"{i},{first},Nordmann,{email},{phone},lead,{created},{created},{status}\n"


def build_corpus(root: Path) -> Path:
    data = root / "data"
    data.mkdir()
    (data / "empty.csv").write_bytes(b"")
    (data / "header-only.csv").write_text(MAILCHIMP, encoding="utf-8")
    (data / "binary.csv").write_bytes(bytes(range(256)) * 40)
    (data / "ragged.csv").write_text(
        HUBSPOT + _crm_row(1) + _crm_row(2).rstrip("\n") + ",extra,fields\n" + _crm_row(3),
        encoding="utf-8",
    )
    quoted = HUBSPOT + _crm_row(4) + _crm_row(5).replace("Ola", '"Ola\nKari"') + _crm_row(6)
    (data / "quoted-newlines.csv").write_text(quoted, encoding="utf-8")
    (data / "duplicate-headers.csv").write_text(
        HUBSPOT.rstrip("\n") + ",Email\n" + _crm_row(7).rstrip("\n") + ",dup@example.no\n",
        encoding="utf-8",
    )
    mixed = (HUBSPOT + _crm_row(8, first="Bjørn")).encode("utf-8") + _crm_row(
        9, first="Åse"
    ).encode("cp1252")
    (data / "mixed-encoding.csv").write_bytes(mixed)
    (data / "not-a-zip.xlsx").write_bytes(b"this is not a zip file at all")
    (data / "events.jsonl").write_text(
        '{"event_date":"20260901","event_timestamp":1788220800000000,"event_name":"page_view",'
        '"user_pseudo_id":"1.2","privacy_info":{"analytics_storage":"Yes"}}\n'
        "{not json\n"
        '{"event_date":"20260902","event_timestamp":1788307200000000,"event_name":"page_view",'
        '"user_pseudo_id":"1.3","privacy_info":{"analytics_storage":"Yes"}}\n',
        encoding="utf-8",
    )
    (data / "impossible-dates.csv").write_text(
        HUBSPOT
        + _crm_row(10, created="31.02.2026 10:00")
        + _crm_row(11, created="yesterday")
        + _crm_row(12, created="0001-01-01 00:00")
        + _crm_row(13),
        encoding="utf-8",
    )
    (data / "odd-whitespace.csv").write_text(
        HUBSPOT + _crm_row(14, email="  Kari.NORDMANN@Example.NO\t"), encoding="utf-8"
    )
    (data / "huge-cell.csv").write_text(
        HUBSPOT + _crm_row(15, first="x" * 1_000_000), encoding="utf-8"
    )
    (data / "sources.yaml").write_text(
        'files:\n  "../../etc/passwd":\n    kind: crm\n', encoding="utf-8"
    )
    injected = (
        HUBSPOT.rstrip("\n")
        + ","
        + ",".join(f'"{h.replace(chr(34), chr(34) * 2)}"' for h in INJECTIONS)
    )
    (data / "injected-headers.csv").write_text(
        injected + "\n" + _crm_row(16).rstrip("\n") + ",a,b,c,d\n", encoding="utf-8"
    )
    return data


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_ropa(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ropa", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "ROPA_KEY": "test-key", **(env or {})},
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def hostile_audit(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hostile")
    data = build_corpus(root)
    before = snapshot(data)
    out = root / "out"
    proc = run_ropa("audit", str(data), "--as-of", AS_OF, "--out", str(out), "-v")
    return data, out, before, proc


def test_broken_files_do_not_stop_the_audit(hostile_audit) -> None:
    _, out, _, proc = hostile_audit
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert (out / "findings.csv").exists()
    assert (out / f"ropa-{AS_OF}.xlsx").exists()


def test_every_broken_file_is_listed_in_the_sources_sheet(hostile_audit) -> None:
    data, out, _, _ = hostile_audit
    wb = load_workbook(out / f"ropa-{AS_OF}.xlsx", read_only=True)
    text = "\n".join(
        str(c) for row in wb["Sources"].iter_rows(values_only=True) for c in row if c is not None
    )
    for name in (
        "empty.csv",
        "binary.csv",
        "ragged.csv",
        "not-a-zip.xlsx",
        "events.jsonl",
        "impossible-dates.csv",
        "huge-cell.csv",
        "mixed-encoding.csv",
        "duplicate-headers.csv",
        "quoted-newlines.csv",
    ):
        assert name in text, f"{name} missing from the Sources sheet"
    assert "sources.yaml" in text  # the traversal attempt is reported


def test_input_folder_is_unchanged_by_an_audit(hostile_audit) -> None:
    data, _, before, _ = hostile_audit
    assert snapshot(data) == before


def test_loaded_files_report_problems_as_counts_not_values(tmp_path: Path) -> None:
    data = build_corpus(tmp_path)
    inv = load_folder(data)
    by_name = {Path(s.rel).name: s for s in inv.sources}
    skipped = {Path(s.rel).name: s.reason for s in inv.skipped}
    assert "empty.csv" in skipped and "binary.csv" in skipped and "not-a-zip.xlsx" in skipped
    dates = by_name["impossible-dates.csv"]
    assert any("date" in p for p in dates.problems)
    assert not any("31.02.2026" in p or "yesterday" in p for p in dates.problems)
    assert by_name["events.jsonl"].frame["_row"].tolist() == [1, 3]
    assert by_name["quoted-newlines.csv"].frame["_row"].tolist() == [1, 2, 3]
    huge = by_name["huge-cell.csv"]
    assert len(huge.frame) == 1
    for reason in skipped.values():
        assert "\n" not in reason


def test_formula_injection_never_becomes_a_formula(hostile_audit) -> None:
    _, out, _, _ = hostile_audit
    wb = load_workbook(out / f"ropa-{AS_OF}.xlsx")
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    for payload in INJECTIONS:
                        if payload in cell.value:
                            seen.add(payload)
                            assert not cell.value.startswith(("=", "+", "-", "@"))
    assert seen == set(INJECTIONS)  # the headers reached the Data map sheet, escaped


def test_only_usage_errors_or_nothing_readable_exit_2(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "binary.csv").write_bytes(b"\x00\x01\x02" * 100)
    proc = run_ropa("audit", str(data), "--as-of", AS_OF, "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out" / "findings.csv").exists()

    proc = run_ropa(
        "audit", str(tmp_path / "missing"), "--as-of", AS_OF, "--out", str(tmp_path / "o")
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = run_ropa("audit", str(data), "--as-of", "30.09.2026")
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_key_file_is_private_and_never_written_into_outputs(tmp_path: Path) -> None:
    data = build_corpus(tmp_path)
    key_file = tmp_path / "keydir" / "key"
    env = {k: v for k, v in os.environ.items() if k != "ROPA_KEY"}
    env["ROPA_KEY_FILE"] = str(key_file)
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "ropa", "audit", str(data), "--as-of", AS_OF, "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_text().strip().encode()
    for path in out.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            if path.suffix == ".xlsx":
                with zipfile.ZipFile(path) as z:
                    blob = b"".join(z.read(n) for n in z.namelist())
            assert key not in blob, path


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=2000))
def test_any_bytes_as_csv_give_a_frame_or_the_typed_error(tmp_path: Path, blob: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(blob)
    try:
        src = load_file(path, tmp_path)
    except SourceError as exc:
        assert "\n" not in str(exc)
    else:
        assert "_row" in src.frame.columns


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=8))
def test_any_cells_under_a_known_header_give_a_frame_or_the_typed_error(
    tmp_path: Path, cells: list[str]
) -> None:
    path = tmp_path / "fuzz.csv"
    body = "\n".join(",".join(f'"{c.replace(chr(34), "")}"' for c in cells) for _ in range(3))
    path.write_text(HUBSPOT + body + "\n", encoding="utf-8")
    try:
        src = load_file(path, tmp_path)
    except SourceError as exc:
        assert "\n" not in str(exc)
    else:
        assert src.kind == "crm"
