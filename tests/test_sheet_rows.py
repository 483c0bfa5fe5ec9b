"""The Findings sheet's rows built by arrow kernels (report.sheet_rows) are the bytes
xlsxwriter writes cell by cell, table range included, on text that exercises every
escape xlsxwriter applies; what the fast path does not copy falls back to xlsxwriter."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import xlsxwriter
from openpyxl import load_workbook
from xlsxwriter.worksheet import Worksheet

from ropa.dtypes import STRING
from ropa.report import sheet_rows, writer
from ropa.report.excel import _OPTIONS

HOSTILE = [
    "RET-ANALYTICS",
    "  leading and trailing  ",
    "ends in a no-break space\u00a0",
    "\u3000ideographic space first",
    "tab\tinside",
    "\tstarts with a tab",  # a formula start: quoted by escape_cell
    '=HYPERLINK("http://x")',
    "-5",
    'a & b < c > d "quoted"',
    "control \x00 \x07 \x0b \x0c \x0d \x1f chars",
    "literal _x0041_ and _X00ff_ escapes",
    "non-characters \ufffe \uffff",
    "line one\nline two\nline three",
    "emoji \U0001f600 and æøå",
    "",
    "<r>looks rich but is not at both ends",
    "x" * 300,  # wraps over several lines
    "word " * 80,
]


def frame(n: int = len(HOSTILE)) -> pd.DataFrame:
    texts = [HOSTILE[i % len(HOSTILE)] for i in range(n)]
    return pd.DataFrame(
        {
            "rule_id": pd.Series(texts, dtype=STRING),
            "row": pd.array([None if i % 5 == 3 else i + 1 for i in range(n)], dtype="Int64"),
            "column": pd.Series([None] * n, dtype=STRING),
            "detail": pd.Series(
                [t[::-1] if i % 2 else None for i, t in enumerate(texts)], dtype=STRING
            ),  # fmt: skip
        }
    )


def legacy_add_table(self: Worksheet, *args: Any, **kwargs: Any) -> Any:
    """``_Sheet.add_table`` as it was: xlsxwriter's own over the whole range."""
    streaming = self.constant_memory
    self.constant_memory = False
    try:
        return Worksheet.add_table(self, *args, **kwargs)
    finally:
        self.constant_memory = streaming


def write(path: Path, data: pd.DataFrame, *, cell_by_cell: bool, mp: pytest.MonkeyPatch) -> dict:
    with mp.context() as m:
        if cell_by_cell:
            m.setattr(writer, "rows_xml", lambda *a, **k: None)
            m.setattr(writer._Sheet, "add_table", legacy_add_table)
        wb = xlsxwriter.Workbook(str(path), dict(_OPTIONS))
        w = writer._Writer(wb)
        w.frame("findings", data, wrap=True, limit=len(data) - 2, note="first {shown} of {total}")
        w.frame("coverage", data.iloc[:3], wrap=False)
        wb.close()
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_rows_built_by_arrow_are_the_bytes_xlsxwriter_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = frame(3 * len(HOSTILE) + 1)
    built: list[int] = []
    real = sheet_rows.rows_xml

    def counting(*args: Any, **kwargs: Any) -> Any:
        blocks = real(*args, **kwargs)
        built.append(blocks is not None)
        return blocks

    monkeypatch.setattr(writer, "rows_xml", counting)
    fast = write(tmp_path / "fast.xlsx", data, cell_by_cell=False, mp=monkeypatch)
    assert built == [True, True]  # both sheets took the arrow path
    monkeypatch.setattr(writer, "rows_xml", real)
    slow = write(tmp_path / "slow.xlsx", data, cell_by_cell=True, mp=monkeypatch)
    assert fast.keys() == slow.keys()
    for name in slow:
        assert fast[name] == slow[name], name
    sheet = fast["xl/worksheets/sheet1.xml"].decode("utf-8")
    for escaped in ("_x0000_", "_x005F_x0041_", "_xFFFE_", "&amp;", "&lt;", 'xml:space="preserve"',
                    'customHeight="1"'):  # fmt: skip
        assert escaped in sheet  # the hostile texts did reach the escapes
    ws = load_workbook(tmp_path / "fast.xlsx")["Findings"]
    assert [ws.cell(2 + i, 1).value for i in (0, 2, 12)] == [HOSTILE[i] for i in (0, 2, 12)]
    assert ws.cell(7, 1).value == "'" + HOSTILE[5]  # a formula start made inert
    assert ws.cell(1 + len(data) - 2 + 1, 1).value.startswith("first")  # the limit's note
    assert ws.tables["Findings"].ref == f"A1:D{len(data) - 1}"


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([0.25, None], dtype="Float64"),  # a fraction: %.16G of a float
        pd.Series([True, False], dtype="boolean"),
        pd.Series([10**16, 1], dtype="Int64"),  # a number Excel shows in E notation
        pd.Series(["x" * 20_000, "y"], dtype=STRING),  # near the cell limit
        pd.Series(["<r>raw</r>", "y"], dtype=STRING),  # written raw by xlsxwriter
        pd.Series([date(2026, 9, 30), None], dtype=object),  # an Excel date
    ],
    ids=["fraction", "boolean", "big-number", "long-text", "rich-string", "date"],
)
def test_what_the_arrow_path_does_not_copy_is_written_by_xlsxwriter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, column: pd.Series
) -> None:
    data = pd.DataFrame({"rule_id": pd.Series(["A", "B"], dtype=STRING), "value": column})
    taken: list[bool] = []
    real = sheet_rows.rows_xml
    monkeypatch.setattr(
        writer, "rows_xml", lambda *a, **k: taken.append(real(*a, **k) is not None)
    )  # records and returns None: the sheet is then written cell by cell
    write(tmp_path / "w.xlsx", data, cell_by_cell=False, mp=monkeypatch)
    assert taken[0] is False


def test_one_table_per_sheet(tmp_path: Path) -> None:
    wb = xlsxwriter.Workbook(str(tmp_path / "t.xlsx"), dict(_OPTIONS))
    ws = wb.add_worksheet("S", worksheet_class=writer._Sheet)
    ws.add_table(0, 0, 5, 1, {"name": "One", "columns": [{"header": "a"}, {"header": "b"}]})
    with pytest.raises(ValueError, match="one table per sheet"):
        ws.add_table(7, 0, 9, 1, {"name": "Two"})
    ws.write_string(0, 0, "a")  # the header, inline, as _Writer.table writes it
    ws.write_string(0, 1, "b")
    wb.close()
    assert load_workbook(tmp_path / "t.xlsx")["S"].tables["One"].ref == "A1:B6"
