"""RET-CUSTOMER: customer data is kept as long as accounting law requires, no longer (1.1).

Bokføringsloven § 13: primary documentation is kept 5 years after the end of the
financial year (the calendar year here). A customer whose last activity lies in a
financial year whose accounting period has ended is due for deletion.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.rules import expr as X
from ropa.rules.base import Context, Rule, counted, iso, num, utc_times


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

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        years = ctx.windows.customer_accounting_years
        if kind == "registrations":
            last = X.utc_times(t, "event_time")
        else:
            last = X.coalesce_times(t, "last_activity_time", "create_time")
        past = X.days_past_year_end(last, years, ctx)
        if kind == "crm":
            past = X.only_where(past, X.is_stage(t, ctx, "customer_stages"))
        return {"days_past_accounting_period": past}

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        if kind != "crm":
            return X.needs_value(t, kind, ("event_time",), "an event date")
        return X.needs_stage_and_activity(t, kind, ctx, "customer_stages")

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
