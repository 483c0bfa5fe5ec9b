"""The value-free tables of an audit, built once; the workbook, the console and the
notebooks only render them (their own headings, translations and number formats).

Every frame holds counts, rule ids, severities, activities, file names, row counts,
dates and reasons: never a value read from an export.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.policy.model import SEVERITIES
from ropa.result import AuditResult
from ropa.sources.base import Inventory

NO_ACTIVITY = "(no activity)"
RULE_COLUMNS = (
    "rule_id",
    "severity",
    "activity",
    "policy_ref",
    "checked",
    "findings",
    "open",
    "accepted",
    "coverage",
    "not_evaluable",
    "reason",
)
SOURCE_COLUMNS = (
    "file",
    "status",
    "kind",
    "activity",
    "format",
    "encoding",
    "delimiter",
    "rows",
    "columns",
    "date_min",
    "date_max",
    "problems",
    "problem_count",
)
CHANGE_COLUMNS = ("rule_id", "new", "persisting", "fixed", "accepted")


def _objects(records: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    """Records as a frame of Python objects: ints stay ints beside a missing cell."""
    return pd.DataFrame(
        {c: pd.Series([rec.get(c) for rec in records], dtype=object) for c in columns}
    )


def rule_table(result: AuditResult) -> pd.DataFrame:
    """One row per rule, in the audit's order: whether it ran (``reason`` says why not,
    or why only partly), its findings (counted in the findings), open and accepted ones,
    how much of the data it could judge and how many records it could not."""
    findings = result.findings
    counts = findings["rule_id"].value_counts().to_dict() if len(findings) else {}
    return _objects(
        [
            {
                "rule_id": s.rule_id,
                "severity": s.severity,
                "activity": s.activity,
                "policy_ref": s.policy_ref,
                "checked": s.checked,
                "findings": int(counts.get(s.rule_id, 0)),
                "open": s.findings - s.accepted,
                "accepted": s.accepted,
                "coverage": s.coverage,
                "not_evaluable": s.not_evaluable,
                "reason": s.reason,
            }
            for s in result.rules
        ],
        RULE_COLUMNS,
    )


def partly_judged(result: AuditResult) -> pd.DataFrame:
    """The rules not fully judged (not run, or some records not evaluable), with the
    reason: the rule's own, else its not-evaluable reasons per source."""
    from ropa.coverage import FULL

    rules = rule_table(result)
    partly = rules[~rules["checked"].astype(bool) | (rules["coverage"] != FULL)]
    reasons = [
        reason or coverage_reasons(result, rule_id)
        for rule_id, reason in zip(partly["rule_id"], partly["reason"], strict=True)
    ]
    columns = ["rule_id", "severity", "checked", "coverage", "not_evaluable"]
    return partly[columns].assign(reason=pd.Series(reasons, index=partly.index, dtype=object))


def not_evaluable(result: AuditResult) -> pd.DataFrame:
    """The coverage rows (rule, source) with records the rule could not judge."""
    coverage = result.coverage
    if not len(coverage):
        return coverage
    return coverage[coverage["not_evaluable"] > 0]


def coverage_reasons(result: AuditResult, rule_id: str) -> str:
    """The rule's not-evaluable reasons, per source that has any."""
    rows = result.coverage[
        (result.coverage["rule_id"] == rule_id) & (result.coverage["not_evaluable"] > 0)
    ]
    return "; ".join(
        f"{source}: {reason}" for source, reason in zip(rows["source"], rows["reason"], strict=True)
    )


def rule_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings per rule, severity, activity and source (missing = ""): the worst
    severity first, then the most findings."""
    keys = ["rule_id", "severity", "activity", "source"]
    # counted on the findings' own text columns first (millions of rows, no Python
    # objects), then the few groups are keyed as before (missing = "")
    groups = findings.reindex(columns=keys).groupby(keys, dropna=False, sort=False).size()
    counts = (
        groups.reset_index(name="findings")
        .astype({k: object for k in keys})
        .fillna({k: "" for k in keys})
        .groupby(keys, sort=True)["findings"]
        .sum()
        .reset_index(name="findings")
    )
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    counts["_rank"] = counts["severity"].map(lambda s: rank.get(s, len(rank)))
    order = counts.sort_values(["_rank", "findings", *keys], ascending=[True, False, *[True] * 4])
    return order.drop(columns="_rank").reset_index(drop=True)


def activity_severity_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings per activity (rows, most first) and severity (columns, critical first).

    The workbook's native chart and the matplotlib figure both read this table, so the
    Summary sheet and the notebooks show the same numbers.
    """
    if findings.empty:
        return pd.DataFrame(0, index=pd.Index([], name="activity"), columns=list(SEVERITIES))
    # counted per (activity, severity) first: a few pairs however many findings
    pairs = (
        findings.groupby(["activity", "severity"], dropna=False, sort=False)
        .size()
        .reset_index(name="n")
    )
    activity = pairs["activity"].astype(object).where(pairs["activity"].notna(), None)
    activity = activity.replace("", None).fillna(NO_ACTIVITY).rename("activity")
    table = pd.crosstab(
        activity, pairs["severity"].astype(object), values=pairs["n"], aggfunc="sum"
    ).fillna(0)
    extra = sorted(str(s) for s in table.columns if s not in SEVERITIES)
    table = table.reindex(columns=[*SEVERITIES, *extra], fill_value=0).astype("int64")
    order = table.sum(axis=1).rename("total").to_frame().assign(name=table.index)
    order = order.sort_values(["total", "name"], ascending=[False, True]).index
    table = table.loc[order]
    table.columns.name = None
    return table


def change_table(result: AuditResult) -> pd.DataFrame:
    """New / persisting / fixed / accepted per rule against the latest earlier audit
    (empty without earlier audits)."""
    if result.change_counts is None:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    return result.change_counts


def rule_severity(rule_id: str) -> str:
    """A rule's severity ("low" for a rule this version no longer has)."""
    from ropa.rules import RULES_BY_ID

    return RULES_BY_ID[rule_id].severity if rule_id in RULES_BY_ID else "low"


def trend_table(trend: pd.DataFrame) -> pd.DataFrame:
    """Open findings per rule (rows, critical first, then by id) at every audit date
    (one column per date, ISO text), after the rule id and its severity."""
    rules = sorted(trend.columns, key=lambda r: (SEVERITIES.index(rule_severity(r)), r))
    table = pd.DataFrame(
        {
            "rule_id": pd.Series(rules, dtype=object),
            "severity": pd.Series([rule_severity(r) for r in rules], dtype=object),
        }
    )
    for day in trend.index:
        table[day.isoformat()] = pd.Series([int(trend.at[day, r]) for r in rules], dtype=object)
    return table


def trend_totals(trend: pd.DataFrame) -> pd.DataFrame:
    """Open findings per audit date (rows) and severity (columns, critical first), and
    their total."""
    rules = trend_table(trend)
    of = {sev: list(rules.loc[rules["severity"] == sev, "rule_id"]) for sev in SEVERITIES}
    records = []
    for day in trend.index:
        values = {sev: int(sum(trend.at[day, r] for r in of[sev])) for sev in SEVERITIES}
        total = sum(values.values())
        records.append({"audit_date": day.isoformat(), **values, "total": total})
    return _objects(records, ("audit_date", *SEVERITIES, "total"))


def source_table(inv: Inventory) -> pd.DataFrame:
    """One row per file: read (how, rows, columns, date range of its main time column,
    problems) or skipped (the reason as its problem)."""
    from ropa.sources import describe

    records: list[dict[str, Any]] = []
    for src in inv.sources:
        info = describe(src)
        records.append(
            {
                **info,
                "status": "read",
                "problems": "; ".join(src.problems),
                "problem_count": len(src.problems),
            }
        )
    for skipped in inv.skipped:
        reason = skipped.reason
        records.append({"file": skipped.rel, "status": "skipped", "problems": reason})
        records[-1]["problem_count"] = 1
    return _objects(records, SOURCE_COLUMNS)


KEY_FIGURES = ("inputs", "rows", "skipped", "findings", "open", "accepted", "gaps")


def key_figures(result: AuditResult) -> pd.DataFrame:
    """One row: files read, their rows, files skipped, findings (open ones and those an
    exception accepts) and policy gaps."""
    from ropa.exceptions import open_findings

    inv, findings = result.inventory, result.findings
    opened = len(open_findings(findings))
    figures = {
        "inputs": len(inv.sources),
        "rows": sum(s.rows for s in inv.sources),
        "skipped": len(inv.skipped),
        "findings": len(findings),
        "open": opened,
        "accepted": len(findings) - opened,
        "gaps": len(result.gaps),
    }
    return _objects([figures], KEY_FIGURES)
