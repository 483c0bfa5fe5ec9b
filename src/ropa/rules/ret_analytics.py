"""RET-ANALYTICS: analytics events are not kept beyond the configured retention (1.6)."""

from __future__ import annotations

from typing import Any

import ibis
import pandas as pd

from ropa.dtypes import STRING
from ropa.rules import expr as X
from ropa.rules.age import AgeRule, Dated
from ropa.rules.base import Context
from ropa.rules.values import UTC_TIME, utc_times


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


class RetAnalytics(AgeRule):
    """Analytics event older than the retention window (in calendar months)."""

    id = "RET-ANALYTICS"
    order = 130
    name = "retention.analytics_events"
    policy_ref = "1.6"
    severity = "medium"
    activity = "web"
    kinds = ("analytics",)
    reads = ("event_time", "event_timestamp")
    column = "days_before_analytics_cutoff"
    window = "analytics_retention_months"
    unit = "months"
    dated = Dated(("event_time", "event_timestamp"), ("event on", "event on"), "an event time")
    explains = "events are at most {limit} calendar months old (UTC date of event_timestamp)"
    wording = (
        "{label} {date} (UTC), {age} before the cutoff {cutoff} (audit date minus {limit} months)"
    )

    # GA4's event_timestamp is microseconds, not a time: the event day is counted directly.
    def age(self, t: Any, kind: str, ctx: Context) -> Any:
        return X.day_number(self.cutoff(ctx)) - _event_day(t)

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        columns = self.dated.columns
        if not any(X.has(t, c) for c in columns):
            return X.needs_column(t, kind, columns)
        return [X.Gap(f"without {self.dated.what}", _event_day(t).isnull())]

    def times(self, rows: pd.DataFrame, kind: str) -> tuple[pd.Series, pd.Series]:
        return event_times(rows), pd.Series("event on", index=rows.index, dtype=STRING)


rule = RetAnalytics()
