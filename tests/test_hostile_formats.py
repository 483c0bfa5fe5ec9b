"""Text formats real tools write and limits a careless or hostile file meets: Excel's
"Unicode text" (UTF-16 with BOM, tab-separated, CRLF) and UTF-16 without BOM, old Mac
CR-only line endings, a header line longer than the sniff sample; files over the column
or line limit are skipped with a reason naming the limit and how to raise it, and when
such a file is the only one the audit exits 2 with that reason in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from tests.test_hostile_inputs import run_ropa
from tests.test_hostile_readers import snapshot

from ropa.errors import SourceError
from ropa.sources import load_file
from ropa.sources.detect import sniff

AS_OF = "2026-09-30"
WIDE = {"COLUMNS": "400"}  # the sources table unwrapped, so reasons stay whole
HEADER = [
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Lifecycle Stage",
    "Last Activity Date", "Create Date", "Marketing contact status",
    "Legal basis for processing contact's data",
]  # fmt: skip


def _rows(n: int = 6) -> list[list[str]]:
    """HubSpot contacts; the odd ones last active in 2019 (RET-PROSPECT findings)."""
    return [
        [str(i), "Ola", "Nordmann", f"person{i}@example.no", f"+47 912 34 {i:03d}", "lead",
         day, day, "Marketing contact", "Freely given consent from contact"]
        for i in range(1, n + 1)
        for day in ["2019-05-01 10:00" if i % 2 else "2026-05-01 10:00"]
    ]  # fmt: skip


def _text(header: list[str], rows: list[list[str]], sep: str = ",", end: str = "\n") -> str:
    return "".join(sep.join(cells) + end for cells in [header, *rows])


# Values planted in every file these tests build: none may reach an output or the console.
PLANTED = ("@example.no", "Nordmann", "912 34", "Ola ")


def _audit(data: Path, out: Path, **env: str):
    """``ropa audit`` as a user runs it, with the privacy scan of everything it wrote
    and printed."""
    from tests.test_hostile_properties import output_text

    proc = run_ropa("audit", str(data), "--as-of", AS_OF, "--out", str(out), env=env or None)
    seen = output_text(out) + proc.stdout + proc.stderr
    leaked = [value for value in PLANTED if value in seen]
    assert not leaked, f"planted values in the outputs or console: {leaked}"
    return proc


def _source_line(data: Path, name: str, **env: str) -> str:
    """The row of ``name`` in `ropa sources` (kind, format, encoding, delimiter, rows)."""
    proc = run_ropa("sources", str(data), env={**WIDE, **env})
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if f" {name} " in ln]
    assert len(lines) == 1, proc.stdout
    return " ".join(lines[0].replace("│", " ").split())


def _one_error_line(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture(scope="module")
def utf8_findings(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """findings.csv of the UTF-8, comma-separated, LF version of the contacts."""
    root = tmp_path_factory.mktemp("utf8")
    data = root / "data"
    data.mkdir()
    (data / "contacts.txt").write_text(_text(HEADER, _rows()), encoding="utf-8")
    proc = _audit(data, root / "out")
    assert proc.returncode == 0, proc.stderr
    findings = (root / "out" / "findings.csv").read_bytes()
    assert findings.count(b"RET-PROSPECT") == 3  # rows 1, 3, 5
    return findings


def _audited_like_utf8(tmp_path: Path, blob: bytes, utf8_findings: bytes) -> str:
    """Audit a folder holding ``blob`` as contacts.txt: exit 0, the input untouched and
    nothing added, the same findings as the UTF-8 version; the file's sources row."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "contacts.txt").write_bytes(blob)
    before = snapshot(data)
    proc = _audit(data, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "findings.csv").read_bytes() == utf8_findings
    line = _source_line(data, "contacts.txt")
    assert snapshot(data) == before
    return line


@pytest.mark.parametrize(
    ("codec", "shown"),
    [("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)
def test_excel_unicode_text_is_read_like_utf8(
    tmp_path: Path, utf8_findings: bytes, codec: str, shown: str
) -> None:
    text = _text(HEADER, _rows(), sep="\t", end="\r\n")
    blob = text.encode(codec)
    assert blob.startswith(b"\xff\xfe") == (codec == "utf-16")  # Excel's BOM, LE
    line = _audited_like_utf8(tmp_path, blob, utf8_findings)
    assert line.startswith(f"contacts.txt crm csv {shown} tab 6 "), line


def test_utf16_with_non_latin_names_and_quoted_line_breaks(tmp_path: Path) -> None:
    rows = _rows(3)
    rows[0][1], rows[1][1] = "Åsmund Ærø", '"Kari\r\nAnne"'
    path = tmp_path / "contacts.txt"
    path.write_bytes(_text(HEADER, rows, sep="\t", end="\r\n").encode("utf-16"))
    src = load_file(path, tmp_path)
    assert src.kind == "crm" and src.encoding == "utf-16"
    assert src.frame["_row"].tolist() == [1, 2, 3]
    assert src.problems == []


def test_binary_with_nul_bytes_is_still_not_text(tmp_path: Path) -> None:
    path = tmp_path / "blob.csv"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(SourceError, match="binary file"):
        load_file(path, tmp_path)
    path.write_bytes(b"a")  # one byte: no NUL pattern to read
    with pytest.raises(SourceError) as caught:
        load_file(path, tmp_path)
    assert "UTF-16" not in caught.value.message


@pytest.mark.parametrize("sep_line", ["", "sep=,\r"])
def test_cr_only_line_endings_are_read(tmp_path: Path, utf8_findings: bytes, sep_line: str) -> None:
    blob = (sep_line + _text(HEADER, _rows(), end="\r")).encode("utf-8")
    assert b"\n" not in blob
    line = _audited_like_utf8(tmp_path, blob, utf8_findings)
    assert line.startswith("contacts.txt crm csv utf-8 comma 6 "), line


def _long_header(columns: int) -> list[str]:
    """The HubSpot header with ``columns`` long custom properties in front, so the
    columns that identify the export lie beyond the 64 KB sample."""
    custom = [f"Custom property {i:05d} with a long descriptive name here" for i in range(columns)]
    return custom + HEADER


def test_a_header_longer_than_the_sniff_sample_is_read_whole(tmp_path: Path) -> None:
    header = _long_header(1_500)
    rows = [[""] * 1_500 + r for r in _rows(4)]
    path = tmp_path / "contacts.csv"
    path.write_text(_text(header, rows), encoding="utf-8")
    assert path.read_bytes().index(b"Record ID") > 1 << 16
    src = load_file(path, tmp_path)
    assert src.kind == "crm"
    assert src.frame["_row"].tolist() == [1, 2, 3, 4]
    assert not [c for c in src.frame.columns if c.startswith("Unnamed")]
    assert "Custom property 01499 with a long descriptive name here" in src.headers.values()
    line = _source_line(tmp_path, "contacts.csv")
    assert line.startswith("contacts.csv crm csv utf-8 comma 4 "), line


def test_a_header_line_over_the_line_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(_text(_long_header(30_000), []), encoding="utf-8")
    assert path.stat().st_size > 1 << 20
    env = {"ROPA_MAX_LINE_MB": "1", "ROPA_MAX_COLUMNS": "100000"}
    line = _source_line(tmp_path, "contacts.csv", **env)
    assert "the header line is longer than the 1 MB line limit" in line
    assert "set ROPA_MAX_LINE_MB to raise it" in line


def _folder_with(tmp_path: Path, name: str, blob: bytes) -> Path:
    """A data folder with good contacts and one more file."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "contacts.csv").write_text(_text(HEADER, _rows()), encoding="utf-8")
    (data / name).write_bytes(blob)
    return data


def _skipped_then_only(
    tmp_path: Path, name: str, blob: bytes, reason: str, variable: str, **env: str
) -> None:
    """Among good files the file is skipped with ``reason`` (the rest audited); alone it
    makes the audit exit 2 with one line naming it, the limit and ``variable``."""
    data = _folder_with(tmp_path, name, blob)
    before = snapshot(data)
    proc = _audit(data, tmp_path / "out", **env)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "findings.csv").read_bytes().count(b"RET-PROSPECT") == 3
    line = _source_line(data, name, **env)
    assert " not read " in line and reason in line and f"set {variable} to raise it" in line
    assert _source_line(data, "contacts.csv", **env).startswith(
        "contacts.csv crm csv utf-8 comma 6 "
    )
    assert snapshot(data) == before
    (data / "contacts.csv").unlink()
    before = snapshot(data)
    error = _one_error_line(_audit(data, tmp_path / "out2", **env))
    assert name in error and reason in error and f"set {variable} to raise it" in error
    assert snapshot(data) == before
    assert not (tmp_path / "out2").exists()


def test_a_file_over_the_column_limit_is_skipped_with_the_limit(tmp_path: Path) -> None:
    header = [f"c{i}" for i in range(10_001)]
    blob = _text(header, [["x"] * 10_001]).encode()
    _skipped_then_only(
        tmp_path, "wide.csv", blob, "10,001 columns, over the 10,000 column limit",
        "ROPA_MAX_COLUMNS",
    )  # fmt: skip


def test_the_issues_300000_column_file_is_refused_quickly_by_default(tmp_path: Path) -> None:
    """The hostile corpus's 300,000-column file (13 minutes of value detectors before):
    with the default limit it is skipped at once with the limit named."""
    import time

    header = [f"field_{i}" for i in range(300_000)]
    blob = _text(header, [["1"] * 300_000 for _ in range(3)]).encode()
    started = time.monotonic()
    _skipped_then_only(
        tmp_path, "huge.csv", blob, "300,000 columns, over the 10,000 column limit",
        "ROPA_MAX_COLUMNS",
    )  # fmt: skip
    assert time.monotonic() - started < 120  # two audits and a sources run, not minutes


def test_a_ragged_row_over_the_column_limit_is_skipped(tmp_path: Path) -> None:
    rows = _rows(2)
    rows[1] = rows[1] + ["x"] * 12_000
    blob = _text(HEADER, rows).encode()
    _skipped_then_only(
        tmp_path, "ragged.csv", blob, "12,010 columns, over the 10,000 column limit",
        "ROPA_MAX_COLUMNS",
    )  # fmt: skip


def test_the_column_limit_is_configurable(tmp_path: Path) -> None:
    extra = ["Notes", "Owner", "Region", "Segment", "Source"]
    blob = _text(HEADER + extra, [r + extra for r in _rows(2)]).encode()
    _skipped_then_only(
        tmp_path, "people.csv", blob, "15 columns, over the 12 column limit",
        "ROPA_MAX_COLUMNS", ROPA_MAX_COLUMNS="12",
    )  # fmt: skip


@pytest.mark.parametrize("ragged", [False, True])
def test_a_csv_record_over_the_line_limit_is_skipped(tmp_path: Path, ragged: bool) -> None:
    rows = _rows(3)
    rows[1][1] = "x" * (2 << 20)  # a 2 MB first name
    if ragged:  # read by the Python csv module, not pyarrow
        rows[0] = rows[0] + ["extra"]
    blob = _text(HEADER, rows).encode()
    _skipped_then_only(
        tmp_path, "long.csv", blob, "a record is longer than the 1 MB line limit",
        "ROPA_MAX_LINE_MB", ROPA_MAX_LINE_MB="1",
    )  # fmt: skip
    path = tmp_path / "data" / "long.csv"
    assert len(load_file(path, tmp_path / "data").frame) == 3  # the default is 16 MB


def _xlsx(path: Path, header: list[str], rows: list[list[str]]) -> None:
    book = Workbook()
    for cells in [header, *rows]:
        book.active.append(cells)
    book.save(path)


def _ga4_jsonl(path: Path) -> None:
    event = {
        "event_date": "20260901",
        "event_timestamp": 1788220800000000,
        "event_name": "page_view",
        "user_pseudo_id": "1.2",
        "privacy_info": {"analytics_storage": "Yes"},
    }
    path.write_text(json.dumps(event) + "\n", encoding="utf-8")


@pytest.mark.parametrize("name", ["people.xlsx", "events.jsonl", "people.csv"])
def test_the_column_limit_holds_for_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    path = tmp_path / name
    if name.endswith(".xlsx"):
        _xlsx(path, HEADER, _rows(2))
    elif name.endswith(".jsonl"):
        _ga4_jsonl(path)
    else:
        path.write_text(_text(HEADER, _rows(2)), encoding="utf-8")
    width = len(sniff(path).header)
    assert len(load_file(path, tmp_path).frame) >= 1
    monkeypatch.setenv("ROPA_MAX_COLUMNS", str(width - 1))
    with pytest.raises(SourceError, match=f"over the {width - 1} column limit"):
        load_file(path, tmp_path)
    monkeypatch.setenv("ROPA_MAX_COLUMNS", str(width))
    assert len(load_file(path, tmp_path).frame) >= 1


def test_broken_utf16_is_refused_with_a_reason(tmp_path: Path) -> None:
    blob = _text(HEADER, _rows(200), sep="\t", end="\r\n").encode("utf-16")
    path = tmp_path / "contacts.txt"
    for broken in (blob[:4000] + b"\x00\xd8" + b"A\x00" + blob[4000:], blob[:-1]):
        path.write_bytes(broken)  # a lone surrogate; an odd number of bytes
        with pytest.raises(SourceError, match="not valid UTF-16 text"):
            load_file(path, tmp_path)
