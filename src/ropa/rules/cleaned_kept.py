"""CLEANED-KEPT: addresses reported as no longer active are deleted (1.2)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.rules import expr as X
from ropa.rules.base import Context, Rule, counted, iso, utc_times


class CleanedKept(Rule):
    """Cleaned (bounced) address still stored longer than the window after cleaning."""

    id = "CLEANED-KEPT"
    name = "newsletter.cleaned_kept"
    policy_ref = "1.2"
    severity = "medium"
    activity = "newsletter"
    kinds = ("newsletter_cleaned",)
    reads = ("clean_time",)
    retention = True  # evidence for the ROPA's retention column
    windows = ("cleaned_retention_days",)

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        return {"cleaned_age_days": X.days_since(X.utc_times(t, "clean_time"), ctx)}

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        return X.needs_value(t, kind, ("clean_time",), "a clean date")

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        limit = policy.windows.cleaned_retention_days
        return [
            self.expect_at_most(
                "cleaned_age_days", limit, f"cleaned addresses are deleted within {limit} days"
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        limit = ctx.windows.cleaned_retention_days
        return (
            "cleaned "
            + iso(utc_times(rows, "clean_time"))
            + ", "
            + counted(rows["cleaned_age_days"], "day")
            + f" before audit date, limit {limit}"
        )


rule = CleanedKept()
