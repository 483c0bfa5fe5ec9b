"""Hostile files for the readers: JSONL lines nested 20,000 levels deep, NaN, arrays and
over-long lines among good records; an XLSX zip bomb and a sheet declaring the whole
grid. One bad part never breaks the file, one bad file never breaks the audit, and no
planted value reaches an output."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook
from tests.test_hostile_inputs import run_ropa as run

from ropa.errors import SourceError
from ropa.sources import load_file

AS_OF = "2026-09-30"
PLANTED = "ingrid.planted@example.no"


def _event(i: int) -> dict:
    return {
        "event_date": "20260901",
        "event_timestamp": 1788220800000000 + i,
        "event_name": "page_view",
        "user_pseudo_id": f"1.{i}",
        "privacy_info": {"analytics_storage": "Yes"},
    }


def _good(i: int) -> str:
    return json.dumps(_event(i)) + "\n"


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def outputs_text(out: Path, proc: subprocess.CompletedProcess[str]) -> bytes:
    blob = (proc.stdout + proc.stderr).encode()
    for path in out.rglob("*"):
        if path.is_file():
            if path.suffix == ".xlsx":
                with zipfile.ZipFile(path) as z:
                    blob += b"".join(z.read(n) for n in z.namelist())
            else:
                blob += path.read_bytes()
    return blob


def _hostile_jsonl(path: Path) -> None:
    deep = '{"a":' * 20_000 + "1" + "}" * 20_000
    planted = dict(_event(90), user_pseudo_id=PLANTED)
    lines = [
        _good(1),
        deep + "\n",
        _good(3),
        "{not json " + PLANTED + "\n",
        json.dumps(planted).replace('"page_view"', "NaN") + "\n",
        json.dumps([PLANTED, 1]) + "\n",
        '{"s": "' + "]" * 500 + '", "x": ' + "[" * 300 + "]" * 300 + "}\n",
        _good(8),
    ]
    path.write_text("".join(lines), encoding="utf-8")


def test_bad_jsonl_lines_are_skipped_and_counted_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    _hostile_jsonl(path)
    src = load_file(path, tmp_path)
    assert src.frame["_row"].tolist() == [1, 3, 8]
    assert "3 lines skipped: not a JSON object" in src.problems
    assert "2 lines skipped: nested deeper than 100 levels" in src.problems
    assert not any(PLANTED in p for p in src.problems)


def test_a_deep_first_line_does_not_crash_the_sniff(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text("[" * 20_000 + "]" * 20_000 + "\n" + _good(2), encoding="utf-8")
    src = load_file(path, tmp_path)
    assert src.frame["_row"].tolist() == [2]
    path.write_text("[" * 20_000 + "\n", encoding="utf-8")
    try:
        load_file(path, tmp_path)
    except SourceError as exc:
        assert "JSON" in exc.message
    else:
        raise AssertionError("a file of one deep line was read")


def test_a_line_over_the_line_limit_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    long = json.dumps(dict(_event(2), user_pseudo_id="x" * (2 << 20))) + "\n"
    path.write_text(_good(1) + long + _good(3), encoding="utf-8")
    os.environ["ROPA_MAX_LINE_MB"] = "1"
    try:
        src = load_file(path, tmp_path)
    finally:
        del os.environ["ROPA_MAX_LINE_MB"]
    assert src.frame["_row"].tolist() == [1, 3]
    assert "1 line skipped: longer than the 1 MB line limit" in src.problems
    assert len(load_file(path, tmp_path).frame) == 3  # the default limit is 16 MB


def _zip_bomb(path: Path, inflated: int) -> None:
    """An XLSX whose first sheet inflates to ``inflated`` bytes: the workbook of openpyxl
    with the sheet replaced by one deflate stream of repeated rows, built without ever
    holding or compressing the whole sheet."""
    import zlib

    book = Workbook()
    book.active.append(["Name", "Email"])
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    head = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    tail = b"</sheetData></worksheet>"
    chunk = b"<row><c><v>0</v></c></row>" * (1 << 15)
    count = (inflated - len(head) - len(tail)) // len(chunk) + 1
    comp = zlib.compressobj(1, zlib.DEFLATED, -15)
    start = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    body = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    end = comp.compress(tail) + comp.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + count * len(chunk) + len(tail)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info.filename))
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", (2026, 9, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.CRC, info.file_size = crc, size
        info.compress_size = len(start) + count * len(body) + len(end)
        with dst.open(info, "w", force_zip64=True) as raw:
            raw._compressor = None  # the deflate stream is written as it is
            for piece in (start, *([body] * count), end):
                raw._fileobj.write(piece)
                raw._compress_size += len(piece)
            raw._file_size, raw._crc = size, crc
    plain.unlink()


def test_an_xlsx_zip_bomb_is_refused_in_one_line_quickly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _zip_bomb(data / "bomb.xlsx", 1_200 << 20)
    with zipfile.ZipFile(data / "bomb.xlsx") as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size > 1_200 << 20
    before = snapshot(data)
    started = time.monotonic()
    proc = run("audit", str(data), "--as-of", AS_OF, "--out", str(tmp_path / "out"))
    took = time.monotonic() - started
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert took < 15  # the refusal itself is well under 5 s; the rest is start-up
    proc = run("sources", str(data))
    assert "1.2 GB, over the 512 MB limit" in proc.stdout.replace("\n", " ") or (
        "1.2 GB" in proc.stdout
    ), proc.stdout
    assert snapshot(data) == before


def test_a_sheet_declaring_the_whole_grid_is_read_by_its_real_extent(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Your Full Name", "Your Email Address", "Your Phone Number", "Your Company",
                  "Signed in time (UTC)", "Signed out time (UTC)"])  # fmt: skip
    sheet.append(["Kari", PLANTED, "+47 912 34 567", "Metier", "2026-09-01 09:00",
                  "2026-09-01 10:00"])  # fmt: skip
    path = tmp_path / "visitors.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = re.sub(
        rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml
    )
    assert parts["xl/worksheets/sheet1.xml"] != xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    src = load_file(path, tmp_path)
    assert len(src.frame) == 1
    assert sum(not c.startswith("_") for c in src.frame.columns) == 6


def test_an_audit_with_hostile_jsonl_reads_the_rest_and_leaks_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "ga4").mkdir(parents=True)
    _hostile_jsonl(data / "ga4" / "events.jsonl")
    _zip_bomb(data / "bomb.xlsx", 700 << 20)
    before = snapshot(data)
    out = tmp_path / "out"
    proc = run("audit", str(data), "--as-of", AS_OF, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(data) == before
    blob = outputs_text(out, proc)
    assert PLANTED.encode() not in blob
    assert b"not a JSON object" in blob and b"bomb.xlsx" in blob
