"""RET-PROSPECT: prospects who never converted are not kept indefinitely (1.1)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from ropa.rules import expr as X
from ropa.rules.base import Context, Rule, counted, iso, months_before, utc_times


def _last_activity(frame: pd.DataFrame) -> pd.Series:
    return utc_times(frame, "last_activity_time").fillna(utc_times(frame, "create_time"))


class RetProspect(Rule):
    """Prospect (never a customer) with no activity for longer than the inactivity window."""

    id = "RET-PROSPECT"
    name = "retention.inactive_prospect"
    policy_ref = "1.1"
    severity = "low"
    activity = "customers"
    kinds = ("crm",)
    reads = ("last_activity_time", "create_time", "lifecycle_stage")
    retention = True  # evidence for the ROPA's retention column
    windows = ("prospect_inactive_months",)

    def _cutoff(self, ctx: Context) -> date:
        return months_before(ctx.as_of, ctx.windows.prospect_inactive_months)

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        last = X.coalesce_times(t, "last_activity_time", "create_time")
        before = X.days_before_cutoff(last, self._cutoff(ctx))
        prospect = X.is_stage(t, ctx, "prospect_stages")
        return {"days_before_prospect_cutoff": X.only_where(before, prospect)}

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        return X.needs_stage_and_activity(t, kind, ctx, "prospect_stages")

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        months = policy.windows.prospect_inactive_months
        return [
            self.expect_at_most(
                "days_before_prospect_cutoff",
                0,
                f"a prospect's last activity (else creation) lies within {months} months "
                "before the audit date",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        months = ctx.windows.prospect_inactive_months
        cutoff = self._cutoff(ctx).isoformat()
        return (
            "prospect, last activity "
            + iso(_last_activity(rows))
            + ", "
            + counted(rows["days_before_prospect_cutoff"], "day")
            + f" before the cutoff {cutoff} (audit date minus {months} months)"
        )


rule = RetProspect()
