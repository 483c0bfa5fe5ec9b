"""RET-ANALYTICS: analytics events are not kept beyond the configured retention (1.6)."""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis
import pandas as pd

from ropa.rules import expr as X
from ropa.rules.base import (
    UTC_TIME,
    Context,
    Rule,
    counted,
    iso,
    months_before,
    utc_times,
)


def event_times(frame: pd.DataFrame) -> pd.Series:
    """UTC event time: ``event_time`` as loaded, else ``event_timestamp`` (microseconds).

    Never ``event_date``: that is the property's zone, not UTC.
    """
    times = utc_times(frame, "event_time")
    if "event_timestamp" in frame.columns and times.isna().any():
        micros = pd.to_numeric(frame["event_timestamp"], errors="coerce")
        times = times.fillna(pd.to_datetime(micros, unit="us", utc=True).astype(UTC_TIME))
    return times


def _event_day(t: Any) -> Any:
    """UTC event date (days since 1970): ``event_time`` as loaded, else ``event_timestamp``."""
    days = [X.epoch_day(X.utc_times(t, "event_time"))] if X.has(t, "event_time") else []
    if X.has(t, "event_timestamp"):
        days.append(X.micros_day(t, "event_timestamp"))
    return ibis.coalesce(*days) if len(days) > 1 else (days or [X.null("int64")])[0]


class RetAnalytics(Rule):
    """Analytics event older than the retention window (in calendar months)."""

    id = "RET-ANALYTICS"
    name = "retention.analytics_events"
    policy_ref = "1.6"
    severity = "medium"
    activity = "web"
    kinds = ("analytics",)
    reads = ("event_time", "event_timestamp")
    retention = True  # evidence for the ROPA's retention column
    windows = ("analytics_retention_months",)

    def _cutoff(self, ctx: Context) -> date:
        return months_before(ctx.as_of, ctx.windows.analytics_retention_months)

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        cutoff = X.day_number(self._cutoff(ctx))
        return {"days_before_analytics_cutoff": cutoff - _event_day(t)}

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        columns = ("event_time", "event_timestamp")
        if not any(X.has(t, c) for c in columns):
            return X.needs_column(t, kind, columns)
        return [X.Gap("without an event time", _event_day(t).isnull())]

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        months = policy.windows.analytics_retention_months
        return [
            self.expect_at_most(
                "days_before_analytics_cutoff",
                0,
                f"events are at most {months} calendar months old (UTC date of event_timestamp)",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        months = ctx.windows.analytics_retention_months
        cutoff = self._cutoff(ctx).isoformat()
        return (
            "event on "
            + iso(event_times(rows))
            + " (UTC), "
            + counted(rows["days_before_analytics_cutoff"], "day")
            + f" before the cutoff {cutoff} (audit date minus {months} months)"
        )


rule = RetAnalytics()
