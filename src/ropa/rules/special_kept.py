"""SPECIAL-KEPT: dietary and allergy answers are needed for the event, not after it (1.1)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.rules import expr as X
from ropa.rules.base import Context, Rule, any_answered, counted, iso, joined, utc_times

KEPT_ANSWERS = {"dietary": "dietary", "allergy": "allergy"}


class SpecialKept(Rule):
    """Dietary or allergy answer still held longer than the window after the event."""

    id = "SPECIAL-KEPT"
    name = "special_category.kept_after_event"
    policy_ref = "1.1"
    severity = "high"
    activity = "customers"
    kinds = ("registrations",)
    reads = ("dietary", "allergy", "event_time")
    retention = True  # evidence for the ROPA's retention column
    windows = ("special_category_days_after_event",)

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        held = X.any_answered(t, KEPT_ANSWERS, ctx)
        after = X.days_since(X.utc_times(t, "event_time"), ctx)
        return {"special_days_after_event": X.only_where(after, held)}

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        held = X.any_answered(t, KEPT_ANSWERS, ctx)
        return X.needs_value(t, kind, ("event_time",), "an event date", rows=held)

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        limit = policy.windows.special_category_days_after_event
        return [
            self.expect_at_most(
                "special_days_after_event",
                limit,
                f"dietary / allergy answers are deleted within {limit} days after the event",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        limit = ctx.windows.special_category_days_after_event
        kinds = joined({label: any_answered(rows, [c], ctx) for c, label in KEPT_ANSWERS.items()})
        return (
            kinds
            + " answer still held "
            + counted(rows["special_days_after_event"], "day")
            + " after the event on "
            + iso(utc_times(rows, "event_time"))
            + f", limit {limit}"
        )


rule = SpecialKept()
