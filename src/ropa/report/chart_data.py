"""The numbers behind the charts, computed from the same frames as the findings.

A retention chart reads the age column its rule derives (``ropa.audit.derive``), so a
record the rule dates by a fallback (an inquiry never updated is dated by its creation)
is plotted where the rule judges it, and the bars over the limit are the rule's findings.
"""

from __future__ import annotations

import pandas as pd

from ropa.result import AuditResult

# kind -> (rule id, derived age column, policy window)
AGE_COLUMNS = {
    "visitors": ("RET-VISITOR", "visit_age_days", "visitor_retention_days"),
    "inquiries": ("RET-INQUIRY", "inquiry_age_days", "inquiry_retention_days"),
}


def rule_ages(result: AuditResult, kind: str) -> pd.DataFrame:
    """One row per judged record of ``kind``: source, row, age in days (the rule's own
    derived column), and whether it is over the policy limit (a finding)."""
    from ropa.audit import context_for, derive

    rule_id, column, window = AGE_COLUMNS[kind]
    limit = int(getattr(result.policy.windows, window))
    ctx = context_for(result.inventory, result.as_of, result.policy)
    parts = []
    for src in result.inventory.of_kind(kind):
        derived = derive(src.frame.reset_index(drop=True), kind, ctx)
        parts.append(
            pd.DataFrame(
                {
                    "source": src.rel,
                    "row": derived["_row"].to_numpy(),
                    "age_days": pd.to_numeric(derived[column], errors="coerce").to_numpy(),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["source", "row", "age_days", "over_limit"])
    ages = pd.concat(parts, ignore_index=True).dropna(subset=["age_days"])
    return ages.assign(over_limit=ages["age_days"] > limit).reset_index(drop=True)


def retention_limit(result: AuditResult, kind: str) -> int:
    """The policy window (days) the rule for ``kind`` checks against."""
    return int(getattr(result.policy.windows, AGE_COLUMNS[kind][2]))


def data_map_grid(data_map: pd.DataFrame) -> pd.DataFrame:
    """Files x data categories for the data map heatmap: 0 = not in the file (or only
    in columns without a value), 1 = declared by the file's activity, 2 = undeclared
    (any undeclared column wins for the cell). The 2s are exactly the (file, category)
    pairs of the UNDECLARED-DATA findings: a column without a value is never flagged."""
    dm = data_map.dropna(subset=["category"])
    if "non_empty_share" in dm.columns:
        share = pd.to_numeric(dm["non_empty_share"], errors="coerce")
        dm = dm[~share.eq(0).fillna(False).astype(bool)]
    declared = dm["declared"].astype("boolean").fillna(False)
    state = dm.assign(v=declared.map({True: 1, False: 2}).astype(int))
    grid = state.pivot_table(index="source", columns="category", values="v", aggfunc="max")
    return grid.fillna(0).astype(int)
