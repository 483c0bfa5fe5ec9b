"""RET-VISITOR: visitor registrations are kept at most 90 days (policy 1.5)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.rules import expr as X
from ropa.rules.base import (
    Context,
    Rule,
    counted,
    iso,
    utc_times,
)


class RetVisitor(Rule):
    """Visitor signed in more than the retention window before the audit date."""

    id = "RET-VISITOR"
    name = "retention.visitor_log"
    policy_ref = "1.5"
    severity = "high"
    activity = "visitors"
    kinds = ("visitors",)
    reads = ("signed_in_time",)
    retention = True  # evidence for the ROPA's retention column
    windows = ("visitor_retention_days",)

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        return {"visit_age_days": X.days_since(X.utc_times(t, "signed_in_time"), ctx)}

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        return X.needs_value(t, kind, ("signed_in_time",), "a sign-in time")

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        limit = policy.windows.visitor_retention_days
        return [
            self.expect_at_most(
                "visit_age_days", limit, f"signed in at most {limit} days before the audit date"
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        limit = ctx.windows.visitor_retention_days
        signed = iso(utc_times(rows, "signed_in_time"))
        return (
            "signed in "
            + signed
            + ", "
            + counted(rows["visit_age_days"], "day")
            + f" before audit date, limit {limit}"
        )


rule = RetVisitor()
