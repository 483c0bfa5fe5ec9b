"""SPECIAL-KEPT: dietary and allergy answers are needed for the event, not after it (1.1)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.rules import expr as X
from ropa.rules.age import AgeRule, Dated
from ropa.rules.base import Context
from ropa.rules.values import any_answered, joined

KEPT_ANSWERS = {"dietary": "dietary", "allergy": "allergy"}


class SpecialKept(AgeRule):
    """Dietary or allergy answer still held longer than the window after the event."""

    id = "SPECIAL-KEPT"
    order = 60
    name = "special_category.kept_after_event"
    policy_ref = "1.1"
    severity = "high"
    activity = "customers"
    kinds = ("registrations",)
    reads = ("dietary", "allergy", "event_time")
    column = "special_days_after_event"
    window = "special_category_days_after_event"
    dated = Dated(("event_time",), ("event on",), "an event date")
    explains = "dietary / allergy answers are deleted within {limit} days after the event"
    wording = "{held} answer still held {age} after the {label} {date}, limit {limit}"

    def applies(self, t: Any, kind: str, ctx: Context) -> Any:
        return X.any_answered(t, KEPT_ANSWERS, ctx)

    def parts(self, rows: pd.DataFrame, kind: str, ctx: Context) -> dict[str, pd.Series]:
        return {
            "held": joined(
                {label: any_answered(rows, [c], ctx) for c, label in KEPT_ANSWERS.items()}
            )
        }


rule = SpecialKept()
