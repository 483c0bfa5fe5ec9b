"""RET-CUSTOMER: customer data is kept as long as accounting law requires, no longer (1.1).

Bokføringsloven § 13: primary documentation is kept 5 years after the end of the
financial year (the calendar year here). A customer whose last activity lies in a
financial year whose accounting period has ended is due for deletion.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.rules.base import (
    Context,
    Rule,
    Unjudged,
    counted,
    iso,
    lifecycle,
    needs_stage_and_activity,
    needs_value,
    num,
    only_where,
    utc_times,
    year_end_ordinal,
)


def _last_activity(frame: pd.DataFrame, kind: str) -> pd.Series:
    if kind == "registrations":
        return utc_times(frame, "event_time")
    return utc_times(frame, "last_activity_time").fillna(utc_times(frame, "create_time"))


class RetCustomer(Rule):
    """Customer whose last activity lies in a financial year whose accounting period ended."""

    id = "RET-CUSTOMER"
    name = "retention.customer_accounting_period"
    policy_ref = "1.1"
    severity = "medium"
    activity = "customers"
    kinds = ("crm", "registrations")
    reads = ("event_time", "last_activity_time", "create_time", "lifecycle_stage")
    retention = True  # evidence for the ROPA's retention column
    windows = ("customer_accounting_years",)

    def derive(self, frame: pd.DataFrame, kind: str, ctx: Context) -> pd.DataFrame:
        years = ctx.windows.customer_accounting_years
        last = _last_activity(frame, kind)
        period_end = year_end_ordinal(last.dt.year.astype("Int64") + years)
        past = ctx.as_of.toordinal() - period_end
        if kind == "crm":
            past = only_where(past, lifecycle(frame).isin(ctx.words("customer_stages")))
        return pd.DataFrame({"days_past_accounting_period": past}, index=frame.index)

    def evaluable(self, frame: pd.DataFrame, kind: str, ctx: Context) -> list[Unjudged]:
        if kind != "crm":
            return needs_value(frame, kind, ("event_time",), "an event date")
        return needs_stage_and_activity(frame, kind, ctx, "customer_stages")

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        years = policy.windows.customer_accounting_years
        return [
            self.expect_at_most(
                "days_past_accounting_period",
                0,
                "the accounting period (financial year of the last activity plus "
                f"{years} years) has not ended by the audit date",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        years = ctx.windows.customer_accounting_years
        last = _last_activity(rows, kind)
        fy = last.dt.year.astype("Int64")
        what = "event on " if kind == "registrations" else "last activity "
        return (
            what
            + iso(last)
            + " (financial year "
            + num(fy)
            + "), accounting period ended "
            + num(fy + years)
            + "-12-31, "
            + counted(rows["days_past_accounting_period"], "day")
            + f" before audit date, limit {years} years"
        )


rule = RetCustomer()
