"""RET-PROSPECT: prospects who never converted are not kept indefinitely (1.1)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from ropa.rules.base import (
    Context,
    Rule,
    Unjudged,
    counted,
    days_before_cutoff,
    iso,
    lifecycle,
    months_before,
    needs_stage_and_activity,
    only_where,
    utc_times,
)


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

    def derive(self, frame: pd.DataFrame, kind: str, ctx: Context) -> pd.DataFrame:
        before = days_before_cutoff(_last_activity(frame), self._cutoff(ctx))
        prospect = lifecycle(frame).isin(ctx.words("prospect_stages"))
        return pd.DataFrame(
            {"days_before_prospect_cutoff": only_where(before, prospect)}, index=frame.index
        )

    def evaluable(self, frame: pd.DataFrame, kind: str, ctx: Context) -> list[Unjudged]:
        return needs_stage_and_activity(frame, kind, ctx, "prospect_stages")

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
