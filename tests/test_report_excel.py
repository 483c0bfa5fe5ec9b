"""The Excel ROPA and audit workbook, read back cell by cell with openpyxl."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from xlsxwriter.utility import quote_sheetname

from ropa.errors import UsageError
from ropa.policy import load_policy
from ropa.policy.gaps import NOT_STATED, policy_gaps
from ropa.report import escape_cell, write_audit_workbook, write_policy_workbook
from ropa.report.excel import FINDINGS_SHEET_LIMIT
from ropa.result import AuditResult, RuleStatus
from ropa.sources.base import Inventory, LoadedSource, SkippedFile

INJECTIONS = ['=HYPERLINK("http://x","y")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-1+1"]
FINDING_COLUMNS = [
    "rule_id",
    "severity",
    "activity",
    "policy_ref",
    "source",
    "row",
    "column",
    "subject_key",
    "detail",
]
AUDIT_SHEETS = [
    "Summary", "ROPA", "Data map", "Findings", "Coverage", "Exceptions", "Policy gaps", "Sources",
]  # fmt: skip
ART30_HEADERS = [
    "Purpose of processing",
    "Categories of individuals",
    "Categories of personal data",
    "Categories of recipients",
    "Third countries",
    "Safeguards for transfers",
    "Retention schedule",
    "General description of security measures",
    "Article 6 lawful basis",
]


def findings_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    frame["finding_id"] = [f"{i:016x}" for i in range(len(frame))]
    frame["exception"] = pd.Series([None] * len(frame), dtype=object)
    return frame.astype({"row": "Int64"})


FINDINGS = findings_frame(
    [
        (
            "CONSENT-MISSING",
            "high",
            "newsletter",
            "§1.2",
            "newsletter/subscribed.csv",
            4,
            None,
            "a1b2c3d4e5f60718",
            "no OPTIN_TIME and no CONFIRM_TIME",
        ),
        (
            "RET-VISITOR",
            "high",
            "visitors",
            "§1.5",
            "visitors/log.csv",
            1,
            None,
            "1111222233334444",
            "signed in 2026-01-03, 270 days before audit date, limit 90",
        ),
        (
            "RET-VISITOR",
            "high",
            "visitors",
            "§1.5",
            "visitors/log.csv",
            2,
            None,
            "5555666677778888",
            "signed in 2026-02-03, 239 days before audit date, limit 90",
        ),
        (
            "RET-VISITOR",
            "high",
            "visitors",
            "§1.5",
            f"visitors/{INJECTIONS[2]}.csv",
            7,
            None,
            "9999aaaabbbbcccc",
            "signed in 2026-03-03, 211 days before audit date, limit 90",
        ),
        (
            "SPECIAL-NO-CONSENT",
            "critical",
            "customers",
            "§1.1",
            "events/attendees.csv",
            3,
            None,
            "ddddeeeeffff0000",
            INJECTIONS[3],
        ),
        (
            "UNDECLARED-DATA",
            "medium",
            "newsletter",
            "§1.2",
            "newsletter/subscribed.csv",
            None,
            INJECTIONS[0],
            None,
            "user.name not declared by newsletter",
        ),
    ]
)


def make_result(tmp_path: Path, findings: pd.DataFrame = FINDINGS) -> AuditResult:
    data_dir = tmp_path / "data"
    frame = pd.DataFrame({"email": ["x"], "_source": ["newsletter/subscribed.csv"], "_row": [1]})
    sources = [
        LoadedSource(
            path=data_dir / "newsletter/subscribed.csv",
            rel="newsletter/subscribed.csv",
            kind="newsletter_subscribed",
            activity="newsletter",
            frame=frame,
            headers={"email": "Email Address"},
            file_format="csv",
            encoding="utf-8",
            delimiter=",",
            problems=["3 rows with unparseable dates in 'OPTIN_TIME'"],
        ),
        LoadedSource(
            path=data_dir / "visitors.xlsx",
            rel=f"visitors/{INJECTIONS[1]}.xlsx",
            kind="visitors",
            activity="visitors",
            frame=frame.iloc[:0],
            headers={},
            file_format="xlsx",
        ),
    ]
    inventory = Inventory(
        data_dir=data_dir,
        sources=sources,
        skipped=[SkippedFile("notes.csv", "header matches no known export")],
    )
    data_map = pd.DataFrame(
        {
            "source": ["newsletter/subscribed.csv"] * 2,
            "column": ["Email Address", INJECTIONS[0]],
            "canonical": ["email", None],
            "category": ["user.contact.email", "user.name"],
            "detected_by": ["name", "value"],
            "activity": ["newsletter"] * 2,
            "declared": [True, False],
            "non_empty_share": [1.0, 0.5],
            "rows": [10, 10],
        }
    )
    policy = load_policy()
    rules = [
        RuleStatus(
            "RET-VISITOR",
            "high",
            "visitors",
            "§1.5",
            "visitors kept > 90 days",
            True,
            findings=3,
            coverage="full",
        ),
        RuleStatus(
            "COOKIE-NO-CONSENT",
            "high",
            "web",
            "Cookies",
            "cookies without consent",
            False,
            reason="not checked: no analytics export",
        ),
        RuleStatus(
            "REQUEST-OVERDUE",
            "high",
            "requests",
            "§4.1",
            "requests answered late",
            False,
            reason="not checked: no request log",
        ),
    ]
    return AuditResult(
        data_dir=data_dir,
        as_of=date(2026, 9, 30),
        policy=policy,
        policy_path="policy.yaml",
        engine="pandas",
        inventory=inventory,
        data_map=data_map,
        findings=findings,
        gaps=policy_gaps(policy),
        rules=rules,
    )


def header_row(ws: Worksheet, first: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"no row starting with {first!r} in {ws.title}")


def table(ws: Worksheet, first: str) -> list[dict]:
    """The rows under the header row whose first cell is ``first``, up to a blank row."""
    top = header_row(ws, first)
    headers = [c.value for c in ws[top] if c.value is not None]
    rows = []
    for values in ws.iter_rows(min_row=top + 1, max_col=len(headers), values_only=True):
        if values[0] is None:
            break
        rows.append(dict(zip(headers, values, strict=True)))
    return rows


def ropa_records(ws: Worksheet, first: str = "Activity") -> list[dict]:
    """The ROPA's activity blocks: label -> value from each row labelled ``first`` down
    to the blank row after it."""
    records: list[dict] = []
    current: dict | None = None
    for label, value in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if label == first:
            current = {}
            records.append(current)
        if current is not None and label is None:
            current = None
        elif current is not None:
            current[label] = value
    return records


@pytest.fixture(scope="module")
def policy_book(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("policy") / "ropa.xlsx"
    write_policy_workbook(load_policy(), path)
    return load_workbook(path)


@pytest.fixture(scope="module")
def audit_book(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("audit")
    path = write_audit_workbook(make_result(tmp), tmp / "ropa-2026-09-30.xlsx")
    return load_workbook(path)


@pytest.mark.parametrize("text", [*INJECTIONS, "\tcmd", "\rcmd"])
def test_text_that_excel_would_evaluate_is_quoted(text: str) -> None:
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["RET-VISITOR", "a=b", "", 5, -1, 2.5, None])
def test_plain_text_and_numbers_are_left_alone(value: object) -> None:
    assert escape_cell(value) == value


def test_policy_workbook_has_the_ropa_and_the_gaps(policy_book) -> None:
    assert policy_book.sheetnames == ["ROPA", "Policy gaps"]


def test_ropa_has_one_record_per_activity_of_the_policy(policy_book) -> None:
    rows = ropa_records(policy_book["ROPA"])
    assert [r["Activity"] for r in rows] == list(load_policy().activities)


def test_no_art_30_cell_is_empty_and_silence_says_so(policy_book) -> None:
    rows = ropa_records(policy_book["ROPA"])
    for row in rows:
        for header, value in row.items():
            assert isinstance(value, str) and value.strip(), (row["Activity"], header)
    for header in ART30_HEADERS:
        assert header in rows[0]
    web = next(r for r in rows if r["Activity"] == "web")
    assert web["Retention schedule"] == NOT_STATED
    assert web["Safeguards for transfers"] == NOT_STATED
    assert all(r["General description of security measures"] == NOT_STATED for r in rows)
    visitors = next(r for r in rows if r["Activity"] == "visitors")
    assert "90 days" in visitors["Retention schedule"] and "P90D" in visitors["Retention schedule"]
    customers = next(r for r in rows if r["Activity"] == "customers")
    assert "user.health_and_medical" in customers["Categories of personal data"]
    assert "9(2)(a)" in customers["Article 9 condition"]


def test_controller_block_shows_datatilsynet_and_missing_contact_details(policy_book) -> None:
    ws = policy_book["ROPA"]
    block = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, 9)}
    assert block["Controller"] == "Metier OEC (Norway)"
    assert block["Contact details"] == NOT_STATED
    assert block["Data protection officer"] == NOT_STATED
    assert block["Supervisory authority"] == "Datatilsynet"


def test_ropa_prints_one_activity_per_page_with_rows_as_tall_as_their_text(policy_book) -> None:
    ws = policy_book["ROPA"]
    starts = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Activity"]
    assert len(starts) == len(load_policy().activities)
    assert [b.id + 1 for b in ws.row_breaks.brk] == starts  # a page break above each
    assert ws.page_setup.orientation == "portrait" and ws.print_title_rows == "$1:$1"
    for r in range(starts[0], ws.max_row + 1):
        label, value = ws.cell(r, 1), ws.cell(r, 2)
        if label.value is None:
            continue
        assert label.font.b and value.alignment.wrap_text, r
        lines = str(value.value).count("\n") + 1
        assert (ws.row_dimensions[r].height or 15) >= 15 * lines, (r, label.value)
    purposes = next(r for r in range(starts[0], ws.max_row + 1) if ws.cell(r, 1).value
                    == "Purpose of processing")  # fmt: skip
    assert ws.row_dimensions[purposes].height >= 15 * 5  # customers: five purposes


def test_policy_gaps_sheet_lists_every_gap(policy_book) -> None:
    ws = policy_book["Policy gaps"]
    assert [c.value for c in ws[1]] == list(policy_gaps(load_policy()).columns)
    ids = [r["gap_id"] for r in table(ws, "gap_id")]
    assert ids == list(policy_gaps(load_policy())["gap_id"])
    assert ws.freeze_panes == "A2"
    (gaps,) = ws.tables.values()  # an Excel table: filter buttons on the header
    assert gaps.ref == f"A1:G{len(ids) + 1}" and gaps.autoFilter.ref == gaps.ref


def test_audit_workbook_has_its_sheets_in_order(audit_book) -> None:
    assert audit_book.sheetnames == AUDIT_SHEETS
    for name, first in [
        ("Data map", "source"),
        ("Findings", "rule_id"),
        ("Policy gaps", "gap_id"),
        ("Sources", "File"),
    ]:
        ws = audit_book[name]
        assert ws.cell(1, 1).value == first and ws.cell(1, 1).font.b, name
        assert ws.freeze_panes == "A2", name


def test_summary_states_date_folder_inputs_policy_and_engine(audit_book) -> None:
    ws = audit_book["Summary"]
    meta = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, 12)}
    assert meta["Audit date"] == datetime(2026, 9, 30)  # an Excel date, shown as one
    assert ws.cell(2, 2).number_format == "yyyy-mm-dd"
    assert meta["Data folder"].endswith("data")
    assert meta["Inputs read"] == 2 and meta["Files skipped"] == 1
    assert "2023-04-27" in meta["Policy"] and "policy.yaml" in meta["Policy"]
    assert meta["Engine"] == "pandas" and meta["Findings"] == len(FINDINGS)


def test_summary_counts_equal_the_findings(audit_book) -> None:
    rows = table(audit_book["Summary"], "Rule")
    counted = {(r["Rule"], r["Source"]): r["Findings"] for r in rows if r["Rule"] != "Total"}
    expected = FINDINGS.groupby(["rule_id", "source"]).size().to_dict()
    assert {(k[0], k[1].lstrip("'")): v for k, v in counted.items()} == expected
    assert next(r for r in rows if r["Rule"] == "Total")["Findings"] == len(FINDINGS)
    # worst first, then the most findings
    assert [(r["Rule"], r["Findings"]) for r in rows[:3]] == [
        ("SPECIAL-NO-CONSENT", 1), ("RET-VISITOR", 2), ("CONSENT-MISSING", 1),
    ]  # fmt: skip


def test_summary_opens_on_the_key_figures_the_chart_and_links_to_every_sheet(
    audit_book,
) -> None:
    ws = audit_book["Summary"]
    (chart,) = ws._charts
    assert chart.anchor._from.row < 20  # in view when the file opens, below the figures
    links = {c.value: c.hyperlink.location for row in ws.iter_rows(max_row=15)
             for c in row if c.hyperlink}  # fmt: skip
    assert links == {name: f"{quote_sheetname(name)}!A1" for name in AUDIT_SHEETS[1:]}


def test_summary_chart_counts_findings_by_activity_and_severity(audit_book) -> None:
    ws = audit_book["Summary"]
    rows = {r["Activity"]: r for r in table(ws, "Activity")}
    assert rows["visitors"]["high"] == 3 and rows["customers"]["critical"] == 1
    assert sum(r["Total"] for r in rows.values()) == len(FINDINGS)
    assert len(ws._charts) == 1


def test_summary_lists_the_rules_not_checked_with_the_reason(audit_book) -> None:
    ws = audit_book["Summary"]
    top = header_row(ws, "Rules not fully checked (see the Coverage sheet)") + 1
    assert [ws.cell(top, c).value for c in range(1, 6)] == [
        "Rule", "Severity", "Checked", "Not evaluable", "Reason",
    ]  # fmt: skip
    assert {ws.cell(r, 3).value for r in range(top + 1, top + 3)} == {"not checked"}
    assert ws.cell(top + 3, 1).value is None  # RET-VISITOR judged every record
    reasons = {ws.cell(r, 1).value: ws.cell(r, 5).value for r in range(top + 1, top + 3)}
    assert reasons == {
        "COOKIE-NO-CONSENT": "not checked: no analytics export",
        "REQUEST-OVERDUE": "not checked: no request log",
    }


def test_findings_sheet_holds_every_finding_in_order(audit_book) -> None:
    rows = table(audit_book["Findings"], "rule_id")
    assert [r["rule_id"] for r in rows] == FINDINGS["rule_id"].tolist()
    assert rows[1]["row"] == 1 and rows[-1]["row"] is None
    assert rows[-1]["column"] == "'" + INJECTIONS[0]


def test_sources_sheet_lists_files_read_and_skipped(audit_book) -> None:
    rows = table(audit_book["Sources"], "File")
    read = rows[0]
    assert read["File"] == "newsletter/subscribed.csv" and read["Rows"] == 1
    assert read["Delimiter"] == "comma" and read["Encoding"] == "utf-8"
    assert "unparseable dates" in read["Problems"]
    assert rows[-1] == {
        "File": "notes.csv",
        "Status": "skipped",
        "Kind": None,
        "Activity": None,
        "Format": None,
        "Encoding": None,
        "Delimiter": None,
        "Rows": None,
        "Problems": "header matches no known export",
    }


def test_injected_names_come_back_as_text_not_formulas(audit_book) -> None:
    seen = set()
    for ws in audit_book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
                    seen |= {
                        p for p in INJECTIONS if cell.value == "'" + p or p + "." in cell.value
                    }
    assert seen == set(INJECTIONS)


def test_data_map_keeps_booleans_and_shares(audit_book) -> None:
    rows = table(audit_book["Data map"], "source")
    assert [r["declared"] for r in rows] == [True, False]
    assert rows[1]["non_empty_share"] == 0.5
    ws = audit_book["Data map"]
    assert ws.cell(2, 8).number_format == "0.0%"  # shown as 50.0 %


def test_workbook_is_written_atomically_over_an_old_one(tmp_path: Path) -> None:
    path = tmp_path / "ropa.xlsx"
    path.write_bytes(b"old report")
    write_audit_workbook(make_result(tmp_path), path)
    assert load_workbook(path).sheetnames == AUDIT_SHEETS
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["ropa.xlsx"]


def test_same_audit_gives_the_same_workbook_bytes(tmp_path: Path) -> None:
    a = write_audit_workbook(make_result(tmp_path), tmp_path / "a.xlsx")
    b = write_audit_workbook(make_result(tmp_path), tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()


def test_text_columns_as_arrow_strings_give_the_same_workbook_bytes(tmp_path: Path) -> None:
    # an audit's findings are string[pyarrow] (escaped by arrow kernels, column by
    # column); these are Python objects (escaped cell by cell): the same cells
    findings = FINDINGS.copy()
    findings.loc[2, "detail"] = "\t" + INJECTIONS[1] + " " + "x" * 40_000  # cut at 32,767
    findings.loc[0, "subject_key"] = None
    arrow = findings.astype({c: "string[pyarrow]" for c in FINDING_COLUMNS if c != "row"})
    plain = write_audit_workbook(make_result(tmp_path, findings), tmp_path / "plain.xlsx")
    typed = write_audit_workbook(make_result(tmp_path, arrow), tmp_path / "typed.xlsx")
    assert plain.read_bytes() == typed.read_bytes()
    rows = table(load_workbook(typed)["Findings"], "rule_id")
    assert rows[2]["detail"].startswith("'\t@SUM(1+1) x") and len(rows[2]["detail"]) == 32_767
    assert rows[0]["subject_key"] is None and rows[1]["subject_key"] == "1111222233334444"


def test_findings_beyond_the_limit_point_to_findings_csv(tmp_path: Path) -> None:
    path = write_audit_workbook(make_result(tmp_path), tmp_path / "r.xlsx", findings_limit=4)
    ws = load_workbook(path)["Findings"]
    assert ws.max_row == 1 + 4 + 1
    assert "first 4 of 6 findings" in ws.cell(6, 1).value
    assert "findings.csv" in ws.cell(6, 1).value
    summary = load_workbook(path)["Summary"]
    assert any("findings.csv" in str(c.value) for row in summary.iter_rows() for c in row)


def test_over_100000_findings_are_truncated_with_a_pointer(tmp_path: Path) -> None:
    n = FINDINGS_SHEET_LIMIT + 1
    many = findings_frame(
        [
            (
                "RET-VISITOR",
                "high",
                "visitors",
                "§1.5",
                "visitors/log.csv",
                i,
                None,
                f"{i:016x}",
                "signed in 2026-01-03, 270 days before audit date, limit 90",
            )
            for i in range(1, n + 1)
        ]
    )
    # how fast is `make bench`'s to measure (step 5), not a timed test's
    path = write_audit_workbook(make_result(tmp_path, many), tmp_path / "big.xlsx")
    ws = load_workbook(path, read_only=True)["Findings"]
    assert ws.max_row == 1 + FINDINGS_SHEET_LIMIT + 1  # header, 100,000 findings, the pointer
    # Reading 100,000 rows back through openpyxl takes longer than writing them: look at
    # the end of the sheet's XML instead (constant_memory writes inline strings).
    sheet = f"xl/worksheets/sheet{AUDIT_SHEETS.index('Findings') + 1}.xml"
    with zipfile.ZipFile(path) as z:
        tail = z.read(sheet).decode("utf-8")[-3000:]
    last_rows = re.findall(r'<row r="(\d+)"', tail)
    assert last_rows[-1] == str(FINDINGS_SHEET_LIMIT + 2)
    assert f"{FINDINGS_SHEET_LIMIT:016x}" in tail and f"{n:016x}" not in tail
    assert "first 100,000 of 100,001 findings" in tail and "findings.csv" in tail


def test_outputs_are_written_with_the_workbook_beside_them(tmp_path: Path) -> None:
    from ropa.audit import write_outputs

    result = make_result(tmp_path, FINDINGS.astype({"subject_key": "string[pyarrow]"}))
    written = write_outputs(result, tmp_path / "out")
    assert [p.name for p in written] == [
        "findings.csv", "findings.parquet", "coverage.csv", "audit.json",
        "ropa-2026-09-30.xlsx",
    ]  # fmt: skip
    alone = write_audit_workbook(result, tmp_path / "alone.xlsx")
    assert written[-1].read_bytes() == alone.read_bytes()
    # the workbook's error reaches the caller; the files written beside it stay
    blocked = tmp_path / "blocked"
    (blocked / "ropa-2026-09-30.xlsx").mkdir(parents=True)
    with pytest.raises(UsageError, match="cannot write workbook"):
        write_outputs(result, blocked)
    assert (blocked / "findings.csv").read_bytes() == written[0].read_bytes()


def test_unwritable_target_is_a_one_line_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(UsageError) as info:
        write_policy_workbook(load_policy(), blocker / "ropa.xlsx")
    assert "\n" not in str(info.value) and "ropa.xlsx" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_numpy_numbers_are_written_as_numbers(tmp_path: Path) -> None:
    result = make_result(tmp_path)
    result.data_map["rows"] = result.data_map["rows"].astype("int64")
    result.data_map["declared"] = result.data_map["declared"].astype("bool[pyarrow]")
    path = write_audit_workbook(result, tmp_path / "r.xlsx")
    rows = table(load_workbook(path)["Data map"], "source")
    assert [r["rows"] for r in rows] == [10, 10]
    assert [r["declared"] for r in rows] == [True, False]


def test_an_audit_without_findings_still_writes_every_sheet(tmp_path: Path) -> None:
    path = write_audit_workbook(make_result(tmp_path, FINDINGS.iloc[:0]), tmp_path / "r.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == AUDIT_SHEETS
    rows = table(book["Summary"], "Rule")
    assert rows == [{"Rule": "Total", "Severity": None, "Activity": None, "Source": None,
                     "Findings": 0}]  # fmt: skip
    assert book["Summary"]._charts == []
    assert book["Findings"].max_row == 1


def test_the_workbook_is_private_like_findings_csv(tmp_path: Path) -> None:
    import stat

    from ropa.audit import run_audit, write_outputs

    samples = Path(__file__).resolve().parents[1] / "data" / "samples"
    result = run_audit(samples, as_of=date(2026, 9, 30))
    for path in write_outputs(result, tmp_path):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
