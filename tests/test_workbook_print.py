"""The samples workbook prints: its print setup read back with openpyxl, and its pages
as LibreOffice renders them (Debian's ``soffice``; the test fails without it on CI)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ropa.audit import run_audit
from ropa.report.excel import write_audit_workbook

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
AS_OF = date(2026, 9, 30)
# LibreOffice's PDF of the samples workbook: 30 pages (Summary 3: key figures and chart on
# the first; ROPA 9: the controller, customers over two pages, one page for every other
# activity; Data map 5, Findings 8, Coverage 2, one each for Exceptions, Policy gaps and
# Sources). Before the print setup it was 79. The bound leaves room for fonts that set
# lines a little differently (this machine has no Calibri nor a metric twin).
PAGE_BOUND = 34
DATA_SHEETS = ["Data map", "Findings", "Coverage", "Exceptions", "Policy gaps", "Sources"]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.environ.setdefault("ROPA_KEY", "print-test")
    result = run_audit(SAMPLES, as_of=AS_OF)
    out = tmp_path_factory.mktemp("print")
    return write_audit_workbook(result, out / f"ropa-{AS_OF.isoformat()}.xlsx")


def test_every_sheet_prints_on_a4_with_its_header_row_area_and_page_numbers(workbook) -> None:
    book = load_workbook(workbook)
    assert set(DATA_SHEETS) < set(book.sheetnames)
    for ws in book:
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.print_area and ws.print_area.startswith(f"'{ws.title}'!$A$1:"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.HeaderFooter.oddHeader.left.text == "&A"  # the sheet's name
        assert ws.HeaderFooter.oddHeader.right.text == "Audit date 2026-09-30"
        assert ws.HeaderFooter.oddFooter.center.text == "Page &P of &N"
    for name in DATA_SHEETS:
        ws = book[name]
        assert ws.page_setup.orientation == "landscape", name
        (table,) = ws.tables.values()  # the print area is the table (an empty one: its header)
        last_col, last_row = re.fullmatch(r"A1:([A-Z]+)(\d+)", table.ref).groups()  # type: ignore[union-attr]
        rows = last_row if ws.max_row > 1 else "1"
        assert ws.print_area == f"'{name}'!$A$1:${last_col}${rows}", name
    assert book["Summary"].page_setup.orientation == "landscape"
    assert book["ROPA"].page_setup.orientation == "portrait"  # a record, label and value


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice (LibreOffice) is not installed: apt-get install libreoffice-calc")
        pytest.skip("soffice (LibreOffice) is not installed")
    return found


def test_libreoffice_prints_the_samples_workbook_within_the_page_bound(
    workbook, tmp_path: Path
) -> None:
    soffice = _soffice()
    profile = tmp_path / "profile"  # a private LibreOffice profile: no clash with a running one
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    pdf = tmp_path / workbook.with_suffix(".pdf").name
    assert proc.returncode == 0 and pdf.is_file(), proc.stderr
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    assert 10 < pages <= PAGE_BOUND, pages
