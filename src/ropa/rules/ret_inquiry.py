"""RET-INQUIRY: inquiries are kept until no follow-up is expected, normally one year (1.4)."""

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


def _last_touch(frame: pd.DataFrame) -> pd.Series:
    return utc_times(frame, "updated_time").fillna(utc_times(frame, "created_time"))


class RetInquiry(Rule):
    """Inquiry last updated (else created) more than the retention window ago."""

    id = "RET-INQUIRY"
    name = "retention.inquiries"
    policy_ref = "1.4"
    severity = "medium"
    activity = "inquiries"
    kinds = ("inquiries",)
    reads = ("updated_time", "created_time")
    retention = True  # evidence for the ROPA's retention column
    windows = ("inquiry_retention_days",)

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        last_touch = X.coalesce_times(t, "updated_time", "created_time")
        return {"inquiry_age_days": X.days_since(last_touch, ctx)}

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        return X.needs_value(
            t, kind, ("updated_time", "created_time"), "an update or creation date"
        )

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        limit = policy.windows.inquiry_retention_days
        return [
            self.expect_at_most(
                "inquiry_age_days",
                limit,
                f"last updated (else created) at most {limit} days before the audit date",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        limit = ctx.windows.inquiry_retention_days
        updated = utc_times(rows, "updated_time")
        what = pd.Series("last updated ", index=rows.index).where(updated.notna(), "created ")
        return (
            what
            + iso(_last_touch(rows))
            + ", "
            + counted(rows["inquiry_age_days"], "day")
            + f" before audit date, limit {limit}"
        )


rule = RetInquiry()
