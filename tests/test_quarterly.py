"""The quarterly audit: findings keep their identity across exports, comparisons say what
is new, persisting or fixed, exceptions accept findings (DESIGN.md, "Comparing audits",
"Exceptions"). Built from the samples as a user would change them between quarters."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from ropa.audit import run_audit, write_outputs
from ropa.compare import FIXED, NEW, PERSISTING, earlier_audits
from ropa.errors import UsageError
from ropa.exceptions import load_exceptions
from ropa.policy import load_policy

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
POLICY = load_policy()
HUBSPOT = "hubspot/hubspot-crm-exports-all-contacts-2026-09-30.csv"
ENVOY = "envoy/entries-2026-09-30.csv"
AS_OF = date(2026, 9, 30)


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROPA_KEY", "quarterly-test")


def copy_samples(to: Path) -> Path:
    shutil.copytree(SAMPLES, to, ignore=shutil.ignore_patterns("manifest.json"))
    return to


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def audit(folder: Path, out: Path, as_of: date = AS_OF, **kwargs) -> pd.DataFrame:
    result = run_audit(folder, as_of=as_of, policy=POLICY, **kwargs)
    write_outputs(result, out)
    return result


def test_renamed_files_and_reordered_rows_keep_every_finding_id(tmp_path: Path) -> None:
    first = audit(SAMPLES, tmp_path / "q1")
    moved = copy_samples(tmp_path / "moved")
    (moved / HUBSPOT).rename(moved / "hubspot" / "contacts-next-quarter.csv")
    header, rows = read_rows(moved / ENVOY)
    write_rows(moved / ENVOY, header, rows[::-1])
    (moved / ENVOY).rename(moved / "envoy" / "visitors.csv")
    second = audit(moved, tmp_path / "q2", earlier=earlier_audits([tmp_path / "q1"], None))
    assert sorted(first.findings["finding_id"]) == sorted(second.findings["finding_id"])
    assert set(second.changes["status"]) == {PERSISTING}
    # the rows did move: the same ids now point at other rows and files
    moved_rows = second.findings[second.findings["source"] == "envoy/visitors.csv"]
    assert len(moved_rows) > 0
    before = first.findings.set_index("finding_id")["row"]
    assert (moved_rows.set_index("finding_id")["row"] != before[moved_rows["finding_id"]]).any()


def test_deleted_records_are_fixed_and_new_violations_are_new(tmp_path: Path) -> None:
    first = audit(SAMPLES, tmp_path / "q1")
    # the earlier audit is dated a quarter back, so the same audit date judges both
    (tmp_path / "q1" / "audit.json").write_text('{"as_of": "2026-06-30"}', encoding="utf-8")
    later = copy_samples(tmp_path / "later")
    header, rows = read_rows(later / HUBSPOT)
    flagged = first.findings[first.findings["source"] == HUBSPOT]
    deleted = sorted({int(r) for r in flagged.loc[flagged["rule_id"] == "RET-PROSPECT", "row"]})
    assert len(deleted) >= 2
    kept = [row for i, row in enumerate(rows, start=1) if i not in deleted]
    write_rows(later / HUBSPOT, header, kept)
    header, rows = read_rows(later / ENVOY)
    new_visit = dict(zip(header, rows[0], strict=True))
    new_visit.update(
        {"Your Full Name": "Nina Nyhus", "Your Email Address": "nina.nyhus@example.no"}
    )
    for key in header:
        if key.startswith("Signed in"):
            new_visit[key] = "2026-01-05 09:00:00"  # more than 90 days before the audit
        elif key.startswith("Signed out"):
            new_visit[key] = "2026-01-05 11:00:00"
    write_rows(later / ENVOY, header, [*rows, [new_visit[h] for h in header]])

    earlier = earlier_audits([tmp_path / "q1"], None)
    assert [a.as_of for a in earlier] == [date(2026, 6, 30)]
    with pytest.raises(UsageError, match="no audit to compare with"):
        run_audit(later, as_of=date(2026, 6, 29), policy=POLICY, earlier=earlier)
    second = audit(later, tmp_path / "q2", earlier=earlier)
    changes = second.changes
    # fixed: exactly the findings of the deleted HubSpot rows, with the earlier row
    was = first.findings
    gone = was[(was["source"] == HUBSPOT) & was["row"].isin(deleted)]
    assert len(gone) >= len(deleted)
    fixed = changes[changes["status"] == FIXED]
    assert sorted(fixed["finding_id"]) == sorted(gone["finding_id"])
    assert sorted(int(r) for r in fixed["row"]) == sorted(int(r) for r in gone["row"])
    # new: exactly the finding of the added visitor (the last data row)
    new = changes[changes["status"] == NEW]
    assert list(new["rule_id"]) == ["RET-VISITOR"]
    assert list(new["source"]) == [ENVOY] and list(new["row"]) == [len(rows) + 1]
    now = second.findings
    persisting = changes[changes["status"] == PERSISTING]
    assert len(persisting) + len(new) == len(now)
    counts = second.change_counts.set_index("rule_id")
    assert counts.loc["RET-PROSPECT", "fixed"] == len(deleted)
    assert counts[["new", "persisting", "fixed"]].to_numpy().sum() == len(changes)
    written = pd.read_csv(tmp_path / "q2" / "changes.csv", dtype=str, keep_default_na=False)
    assert list(written.columns) == [
        "status", "rule_id", "severity", "activity", "finding_id", "source", "row",
        "subject_key", "detail",
    ]  # fmt: skip
    assert len(written) == len(changes)
    assert "nina" not in (tmp_path / "q2" / "changes.csv").read_text(encoding="utf-8").lower()


def test_four_quarters_of_history_give_the_trend(tmp_path: Path) -> None:
    history = tmp_path / "history"
    quarters = [date(2025, 12, 31), date(2026, 3, 31), date(2026, 6, 30)]
    opened = {}
    for day in quarters:
        result = audit(SAMPLES, history / day.isoformat(), as_of=day)
        opened[day] = result.findings[result.findings["rule_id"] != "POLICY-GAP"]
    result = audit(SAMPLES, tmp_path / "now", earlier=earlier_audits([], history))
    trend = result.trend
    assert list(trend.index) == [*quarters, AS_OF]
    for day, found in opened.items():
        assert trend.loc[day].to_dict() == {
            rule: int((found["rule_id"] == rule).sum()) for rule in trend.columns
        }
    # the retention rules grow as the records age: the trend is not flat
    assert trend["RET-VISITOR"].iloc[-1] > trend["RET-VISITOR"].iloc[0]
    book = load_workbook(tmp_path / "now" / f"ropa-{AS_OF.isoformat()}.xlsx")
    ws = book["Trend"]
    dates = [d.isoformat() for d in trend.index]
    assert [c.value for c in ws[2]] == ["Rule", "Severity", *dates, "Trend"]
    sheet_rows = {
        ws.cell(r, 1).value: [ws.cell(r, 3 + k).value for k in range(len(dates))]
        for r in range(3, 3 + len(trend.columns))
    }
    assert sheet_rows == {rule: trend[rule].tolist() for rule in trend.columns}
    severities = [ws.cell(r, 2).value for r in range(3, 3 + len(trend.columns))]
    order = ["critical", "high", "medium", "low"]
    assert severities == sorted(severities, key=order.index)  # critical first
    # the severity totals the chart draws add up to the open findings of each audit
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Audit date")
    totals = {ws.cell(head + k, 1).value: ws.cell(head + k, 6).value for k in range(1, 5)}
    assert totals == {d.isoformat(): int(trend.loc[d].sum()) for d in trend.index}
    assert "Changes" in book.sheetnames


def write_exceptions(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_exceptions_accept_matched_findings_and_list_expired_and_unmatched(tmp_path: Path) -> None:
    plain = run_audit(SAMPLES, as_of=AS_OF, policy=POLICY)
    customer = plain.findings[plain.findings["rule_id"] == "RET-CUSTOMER"].iloc[0]
    legacy = plain.findings[plain.findings["source"] == "envoy/visitors-legacy-2025.xlsx"]
    assert len(legacy) > 1
    path = write_exceptions(
        tmp_path / "exceptions.yaml",
        f"""
- id: EXC-HOLD
  rule_id: RET-CUSTOMER
  finding_id: {customer["finding_id"]}
  reason: legal hold, case 2026/114
  approved_by: CFO
  expires: 2027-06-30
- id: EXC-ARCHIVE
  rule_id: RET-VISITOR
  source: "envoy/*.xlsx"
  reason: police case
  approved_by: DPO
  expires: 2026-09-30
- id: EXC-OLD
  rule_id: RET-INQUIRY
  source: "forms/*"
  reason: migrated
  approved_by: DPO
  expires: 2026-09-29
- id: EXC-NOTHING
  rule_id: CLEANED-KEPT
  subject_key: 0000000000000000
  reason: none
  approved_by: DPO
  expires: 2027-01-01
""",
    )
    result = audit(SAMPLES, tmp_path / "out", exceptions=load_exceptions(path))
    found = result.findings
    accepted = found[found["exception"].notna()]
    hold = accepted[accepted["exception"] == "EXC-HOLD"]
    assert list(hold["finding_id"]) == [customer["finding_id"]]
    archive = accepted[accepted["exception"] == "EXC-ARCHIVE"]  # expires on the audit date
    assert len(archive) == int((legacy["rule_id"] == "RET-VISITOR").sum())
    assert len(accepted) == len(hold) + len(archive)
    assert len(found) == len(plain.findings)  # accepted findings stay in findings.csv
    status = result.exceptions.set_index("id")["status"].to_dict()
    assert status == {
        "EXC-HOLD": "active",
        "EXC-ARCHIVE": "active",
        "EXC-OLD": "expired",
        "EXC-NOTHING": "unmatched",
    }
    rules = {s.rule_id: s for s in result.rules}
    assert rules["RET-VISITOR"].accepted == len(archive)
    assert rules["RET-INQUIRY"].accepted == 0  # an expired exception accepts nothing
    written = pd.read_csv(tmp_path / "out" / "findings.csv", dtype=str, keep_default_na=False)
    assert (written["exception"] != "").sum() == len(accepted)
    book = load_workbook(tmp_path / "out" / f"ropa-{AS_OF.isoformat()}.xlsx")
    summary = {r[0].value: r[1].value for r in book["Summary"].iter_rows(max_col=2)}
    assert summary["Open findings"] == len(found) - len(accepted)
    assert summary["Accepted (exceptions)"] == len(accepted)
    sheet = book["Exceptions"]
    assert [c.value for c in sheet[1]][:2] == ["id", "rule_id"]
    assert {sheet.cell(r, 8).value for r in range(2, 6)} == {"active", "expired", "unmatched"}

    proc = ropa_cli(
        "audit", str(SAMPLES), "--as-of", "2026-09-30", "--out", str(tmp_path / "cli"),
        "--exceptions", str(path),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    opened = len(found) - len(accepted)
    assert f"({opened:,} open, {len(accepted):,} accepted by exceptions)" in proc.stdout
    assert "exception EXC-OLD (RET-INQUIRY) expired on 2026-09-29" in proc.stdout
    assert "exception EXC-NOTHING (CLEANED-KEPT) matches no finding" in proc.stdout


def ropa_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ropa", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "ROPA_KEY": "quarterly-test", "COLUMNS": "200"},
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: x\n", "must be a YAML list"),
        ("- [1, 2]\n", "exception 1 is not a mapping"),
        ("- {id: A, rule_id: RET-VISITOR, reason: r, approved_by: b, expires: 2027-01-01}\n",
         "exactly one of finding_id, subject_key, source, column"),
        ("- {id: A, rule_id: RET-NOPE, source: '*', reason: r, approved_by: b,"
         " expires: 2027-01-01}\n",
         "unknown rule 'RET-NOPE'"),
        ("- {id: A, rule_id: RET-VISITOR, source: '*', reason: r, approved_by: b, expires: soon}\n",
         "'expires' must be a date"),
        ("- {id: A, rule_id: RET-VISITOR, source: '*', approved_by: b, expires: 2027-01-01}\n",
         "lacks 'reason'"),
        ("- {id: A, rule_id: RET-VISITOR, source: '*', reason: r, approved_by: b,"
         " expires: 2027-01-01, note: x}\n",
         "unknown field 'note'"),
        ("- [unclosed\n", "not valid YAML"),
    ],
)  # fmt: skip
def test_a_malformed_exceptions_file_is_one_line_and_exit_2(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write_exceptions(tmp_path / "exc.yaml", text)
    proc = ropa_cli(
        "audit", str(SAMPLES), "--out", str(tmp_path / "out"), "--exceptions", str(path)
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "exc.yaml" in lines[0]
    assert not (tmp_path / "out").exists()


def test_compare_with_a_folder_that_is_not_an_audit_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    proc = ropa_cli(
        "audit", str(SAMPLES), "--out", str(tmp_path / "out"), "--compare", str(tmp_path / "empty")
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "not an audit output folder" in lines[0]


def test_remediation_lists_one_per_system_traceable_private_and_opt_in(tmp_path: Path) -> None:
    from ropa.remediation import plan

    plain = tmp_path / "plain"
    proc = ropa_cli("audit", str(SAMPLES), "--as-of", "2026-09-30", "--out", str(plain))
    assert proc.returncode == 0, proc.stderr
    assert not (plain / "remediation").exists()  # opt-in only
    lists = tmp_path / "lists"
    proc = ropa_cli(
        "audit", str(SAMPLES), "--as-of", "2026-09-30", "--out", str(lists), "--remediation"
    )
    assert proc.returncode == 0, proc.stderr
    assert "they hold personal identifiers" in proc.stdout
    # no other output changes when the flag is given
    for name in ("findings.csv", "coverage.csv"):
        assert (lists / name).read_bytes() == (plain / name).read_bytes()
    folder = lists / "remediation"
    assert folder.stat().st_mode & 0o777 == 0o700
    files = sorted(folder.iterdir())
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in files)
    findings = pd.read_csv(lists / "findings.csv", dtype=str, keep_default_na=False)
    by_id = findings.set_index("finding_id")
    systems = set()
    for path in files:
        system, action = path.stem.split("-", 1)
        systems.add(system)
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert len(table) > 0
        for rec in table.itertuples(index=False):
            finding = by_id.loc[rec.finding_id]
            assert (finding["rule_id"], finding["source"], finding["row"]) == (
                rec.rule_id, rec.source, rec.row,
            )  # fmt: skip
            actions = {
                p["actions"][rec.rule_id]
                for p in plan().values()
                if p["system"] == system and rec.rule_id in p["actions"]
            }
            assert action in actions
    # one list (at least) for every system present in the samples
    assert systems == {"hubspot", "mailchimp", "eventbrite", "envoy", "forms", "ga4", "requests"}
    # the vendor's own identifier is there: HubSpot Record IDs of the flagged rows
    hub = pd.read_csv(folder / "hubspot-delete.csv", dtype=str)
    source = pd.read_csv(SAMPLES / HUBSPOT, dtype=str)
    for rec in hub[hub["source"] == HUBSPOT].to_dict("records"):
        assert source.iloc[int(rec["row"]) - 1]["Record ID"] == rec["Record ID"]
    # every row-level finding with an action is listed once
    actionable = findings[
        findings["row"].ne("")
        & findings.apply(
            lambda f: any(f["rule_id"] in p["actions"] for p in plan().values()),
            axis=1,
        )
    ]
    listed = pd.concat([pd.read_csv(p, dtype=str) for p in files])
    assert sorted(listed["finding_id"]) == sorted(actionable["finding_id"])


def test_the_ropa_carries_the_audit_as_retention_evidence(tmp_path: Path) -> None:
    from tests.test_report_excel import ropa_records

    from ropa.report.excel import EVIDENCE_COLUMNS

    result = audit(SAMPLES, tmp_path / "out")
    ws = load_workbook(tmp_path / "out" / f"ropa-{AS_OF.isoformat()}.xlsx")["ROPA"]
    records = ropa_records(ws)
    assert tuple(records[0])[-3:] == EVIDENCE_COLUMNS
    evidence = {r["Activity"]: tuple(r.values())[-3:] for r in records}
    visitors = (result.findings["rule_id"] == "RET-VISITOR").sum()
    assert evidence["visitors"][0] == "No (audit of 2026-09-30)"
    assert evidence["visitors"][1] == f"RET-VISITOR: {visitors} records kept too long"
    b2b = (result.findings["rule_id"] == "RET-B2B").sum()
    assert evidence["business_contacts"][0] == "No (audit of 2026-09-30)"
    assert evidence["business_contacts"][1] == f"RET-B2B: {b2b} records kept too long"
    assert evidence["requests"][0] == "No retention check for this activity"
    opened = result.findings.groupby("activity")["rule_id"].size()
    assert int(evidence["web"][2]) == opened["web"]
    # an activity whose export is missing is not checked, not "yes"
    only_crm = tmp_path / "crm"
    (only_crm / "hubspot").mkdir(parents=True)
    shutil.copy2(SAMPLES / HUBSPOT, only_crm / HUBSPOT)
    audit(only_crm, tmp_path / "crm-out")
    ws = load_workbook(tmp_path / "crm-out" / f"ropa-{AS_OF.isoformat()}.xlsx")["ROPA"]
    evidence = {r["Activity"]: tuple(r.values())[-3:] for r in ropa_records(ws)}
    assert evidence["visitors"][0].startswith("Not checked (no export for it")


def test_the_notebook_trend_chart_draws_every_rule_with_open_findings(tmp_path: Path) -> None:
    from ropa.report import charts

    history = tmp_path / "history"
    for day in (date(2026, 3, 31), date(2026, 6, 30)):
        audit(SAMPLES, history / day.isoformat(), as_of=day)
    result = run_audit(SAMPLES, as_of=AS_OF, policy=POLICY, earlier=earlier_audits([], history))
    fig = charts.open_trend(result.trend)
    panels = {ax.get_title(): ax for ax in fig.axes}
    drawn = {r for r in result.trend.columns if result.trend[r].sum()}
    assert set(panels) == drawn
    for rule, ax in panels.items():
        (line,) = ax.get_lines()
        assert list(line.get_ydata()) == result.trend[rule].tolist()
    assert list(panels)[0] in {"ERASURE-NOT-DONE", "SPECIAL-NO-CONSENT"}  # critical first


def test_the_notebook_summary_counts_accepted_findings_apart(tmp_path: Path) -> None:
    from ropa import notebook as nb

    plain = run_audit(SAMPLES, as_of=AS_OF, policy=POLICY)
    path = write_exceptions(
        tmp_path / "exc.yaml",
        """
- id: EXC-ARCHIVE
  rule_id: RET-VISITOR
  source: "envoy/*.xlsx"
  reason: police case
  approved_by: DPO
  expires: 2027-01-01
""",
    )
    result = run_audit(SAMPLES, as_of=AS_OF, policy=POLICY, exceptions=load_exceptions(path))
    rows = nb.summary_frame(result).set_index("rule")
    total = int((plain.findings["rule_id"] == "RET-VISITOR").sum())
    legacy = plain.findings[plain.findings["source"] == "envoy/visitors-legacy-2025.xlsx"]
    accepted = int((legacy["rule_id"] == "RET-VISITOR").sum())
    assert accepted > 0
    assert rows.loc["RET-VISITOR", "accepted"] == accepted
    assert rows.loc["RET-VISITOR", "open"] == total - accepted
    assert nb.summary_frame(plain).set_index("rule").loc["RET-VISITOR", "open"] == total
