"""Small helpers the notebooks call, so the notebooks show results and hold no logic.

Every frame returned here is value-free (counts, shares, dates, row numbers, subject
keys), so notebook outputs can be stored without personal data.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ropa.report.tables import change_table, rule_table, source_table
from ropa.result import AuditResult
from ropa.sources.base import Inventory
from ropa.sources.loader import MAIN_TIME


def project_path(relative: str | Path) -> Path:
    """Resolve a path against the project root (the folder holding pyproject.toml).

    Notebooks run with the notebook folder (nbval) or the repository (papermill) as
    working directory; parameters stay relative either way.
    """
    path = Path(relative)
    if path.is_absolute():
        return path
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / "pyproject.toml").exists():
            return folder / path
    return Path.cwd() / path


def summary_frame(result: AuditResult) -> pd.DataFrame:
    """Per rule: open findings (those no exception accepts), accepted ones, and how much
    of the data it could judge (full / partial / not evaluable); rules not run say why."""
    return pd.DataFrame(
        [
            {
                "rule": r.rule_id,
                "severity": r.severity,
                "activity": r.activity,
                "policy": r.policy_ref,
                "open": r.open if r.checked else None,
                "accepted": r.accepted if r.checked else None,
                "checked": r.coverage if r.checked else r.reason,
                "not evaluable": r.not_evaluable if r.checked else None,
            }
            for r in rule_table(result).itertuples(index=False)
        ]
    )


def changes_frame(result: AuditResult) -> pd.DataFrame:
    """New / persisting / fixed / accepted per rule against the latest earlier audit
    (empty without ``earlier`` audits)."""
    return change_table(result)


def top_findings(result: AuditResult, n: int = 10, per_rule: int = 2) -> pd.DataFrame:
    """The worst findings across rules: up to ``per_rule`` findings of every rule, most
    severe rule first, then the rule with most findings; ``of rule`` is the rule's
    total, so a rule with many findings shows two examples and its count, not ``n`` rows."""
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    f = result.findings
    cols = ["rule_id", "severity", "of rule", "source", "row", "column", "subject_key", "detail"]
    if f.empty:
        return pd.DataFrame(columns=cols)
    total = f.groupby(["rule_id", "severity"])["rule_id"].transform("size")
    ranked = f.assign(
        _rank=f["severity"].map(order).fillna(9), **{"of rule": total.astype("int64")}
    ).sort_values(["_rank", "of rule", "rule_id", "source", "row"],
                  ascending=[True, False, True, True, True])  # fmt: skip
    picked = ranked.groupby(["rule_id", "severity"], sort=False).head(per_rule)
    return picked.head(n)[cols].reset_index(drop=True)


def retention_ages(result: AuditResult, kind: str) -> pd.Series:
    """Ages in days of the records of ``kind`` as its retention rule dates them (the
    rule's derived column, fallback date included): the bars over the limit are its
    findings."""
    from ropa.report.chart_data import rule_ages

    return rule_ages(result, kind)["age_days"]


def ages_days(inv: Inventory, kind: str, as_of: object, column: str | None = None) -> pd.Series:
    """Age in UTC calendar days at the audit date of every record of a kind."""
    column = column or MAIN_TIME[kind][0]
    stamp = pd.Timestamp(as_of, tz="UTC")
    parts = []
    for src in inv.of_kind(kind):
        if column in src.frame.columns:
            times = pd.to_datetime(src.frame[column], utc=True).dt.floor("D")
            parts.append((stamp - times).dt.days.dropna())
    return pd.concat(parts, ignore_index=True) if parts else pd.Series(dtype="float64")


def sources_frame(inv: Inventory, data_map: pd.DataFrame) -> pd.DataFrame:
    """One row per file: kind, rows, columns, mean fill rate (from the data map, so an
    export read in batches counts every record), date range, problems."""
    rates = fill_rates(data_map)
    records = []
    for src in source_table(inv).itertuples(index=False):
        if src.status != "read":
            records.append({"file": src.file, "kind": "not read", "problems": 1})
            continue
        filled = rates.loc[rates["file"] == src.file, "fill rate"]
        records.append(
            {
                "file": src.file,
                "kind": src.kind,
                "activity": src.activity,
                "rows": src.rows,
                "columns": src.columns,
                "mean fill rate": round(float(filled.mean()), 3) if len(filled) else 0,
                "from": src.date_min,
                "to": src.date_max,
                "problems": src.problem_count,
            }
        )
    return pd.DataFrame.from_records(records)


def fill_rates(data_map: pd.DataFrame) -> pd.DataFrame:
    """Share of non-empty values per file and column (headers as in the file), from the
    data map (which counts every record, batch by batch)."""
    columns = data_map.drop_duplicates(["source", "column", "canonical"])
    return pd.DataFrame(
        {
            "file": columns["source"].astype(str).to_numpy(),
            "column": columns["column"].astype(str).to_numpy(),
            "fill rate": columns["non_empty_share"].astype(float).round(3).to_numpy(),
        }
    )


def consent_breakdown(inv: Inventory) -> pd.DataFrame:
    """Newsletter and CRM consent status counts (no values, only categories)."""
    rows = []
    for src in inv.of_kind("newsletter_subscribed"):
        has = (
            src.frame.get("optin_time", pd.Series(index=src.frame.index)).notna()
            | src.frame.get("confirm_time", pd.Series(index=src.frame.index)).notna()
        )
        rows.append({"file": src.rel, "status": "opt-in recorded", "records": int(has.sum())})
        rows.append({"file": src.rel, "status": "no opt-in record", "records": int((~has).sum())})
    for kind, label in (
        ("newsletter_unsubscribed", "unsubscribed"),
        ("newsletter_cleaned", "cleaned"),
    ):
        for src in inv.of_kind(kind):
            rows.append({"file": src.rel, "status": label, "records": src.rows})
    for src in inv.of_kind("crm"):
        marketing = src.frame.get("marketing_contact")
        if marketing is None:
            continue
        basis = src.frame.get("legal_basis", pd.Series(pd.NA, index=src.frame.index))
        basis_ok = basis.astype("string").str.strip().fillna("").ne("")
        is_m = marketing.fillna(False).astype(bool)
        rows.append(
            {
                "file": src.rel,
                "status": "marketing contact, basis recorded",
                "records": int((is_m & basis_ok).sum()),
            }
        )
        rows.append(
            {
                "file": src.rel,
                "status": "marketing contact, no basis",
                "records": int((is_m & ~basis_ok).sum()),
            }
        )
        rows.append(
            {"file": src.rel, "status": "non-marketing contact", "records": int((~is_m).sum())}
        )
    return pd.DataFrame(rows)
