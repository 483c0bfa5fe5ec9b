"""CLEANED-KEPT: addresses reported as no longer active are deleted (1.2)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.rules.base import (
    Context,
    Rule,
    Unjudged,
    counted,
    days_since,
    iso,
    needs_value,
    utc_times,
)


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

    def derive(self, frame: pd.DataFrame, kind: str, ctx: Context) -> pd.DataFrame:
        age = days_since(utc_times(frame, "clean_time"), ctx)
        return pd.DataFrame({"cleaned_age_days": age}, index=frame.index)

    def evaluable(self, frame: pd.DataFrame, kind: str, ctx: Context) -> list[Unjudged]:
        return needs_value(frame, kind, ("clean_time",), "a clean date")

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
