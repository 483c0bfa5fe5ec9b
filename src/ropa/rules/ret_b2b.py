"""RET-B2B: a business contact is kept until the relationship or the role ends (1.3).

HubSpot marks the end in the contact's Lead Status ("Former customer", "Left company")
or in a custom Lifecycle Stage; the words are ``vocabulary.b2b_ended_words``. Such a
contact is due for deletion once ``windows.b2b_grace_days`` have passed since the last
activity (else the create date).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.rules import expr as X
from ropa.rules.age import AgeRule, Dated
from ropa.rules.base import Context
from ropa.rules.values import header_label, is_word, joined, stage_key_of, stage_keys, text

MARKERS = ("lead_status", "lifecycle_stage")


def _tests(ctx: Context) -> dict[str, tuple[str, Any]]:
    """The per-value tests of an ended relationship: name -> (column, value -> bool)."""
    words = ctx.words("b2b_ended_words")
    return {
        "__b2b_status": ("lead_status", lambda value: X.is_word(value, words)),
        "__b2b_stage": ("lifecycle_stage", X.stage_among(stage_keys(words))),
    }


class RetB2b(AgeRule):
    """Business contact whose company relationship or role ended, kept past the grace window."""

    id = "RET-B2B"
    order = 45
    name = "retention.business_contact_ended"
    policy_ref = "1.3"
    severity = "medium"
    activity = "business_contacts"
    kinds = ("crm",)
    reads = ("lead_status", "lifecycle_stage", "last_activity_time", "create_time")
    column = "b2b_days_since_ended_contact"
    window = "b2b_grace_days"
    dated = Dated(
        ("last_activity_time", "create_time"),
        ("last activity", "created"),
        "a last activity or create date",
    )
    explains = (
        "a business contact whose relationship or role ended is deleted within {limit} days"
        " of the last activity (else creation)"
    )
    wording = (
        "business relationship ended ({marker}), {label} {date}, {age} before audit date,"
        " limit {limit}"
    )

    def requires(self, kind: str) -> tuple[str, ...]:
        return MARKERS

    def lookups(self, kind: str, ctx: Context) -> dict[str, tuple[str, Any]]:
        # statuses and stages repeat: each test runs once per distinct value
        return _tests(ctx)

    def applies(self, t: Any, kind: str, ctx: Context) -> Any:
        tests = _tests(ctx)
        by_status = X.looked_up(t, "__b2b_status", *tests["__b2b_status"])
        by_stage = X.looked_up(t, "__b2b_stage", *tests["__b2b_stage"])
        return by_status | by_stage

    def parts(self, rows: pd.DataFrame, kind: str, ctx: Context) -> dict[str, pd.Series]:
        words = ctx.words("b2b_ended_words")
        stage = stage_key_of(text(rows, "lifecycle_stage"))
        marked = {
            f"'{header_label(kind, 'lead_status')}'": is_word(text(rows, "lead_status"), words),
            f"'{header_label(kind, 'lifecycle_stage')}'": stage.isin(stage_keys(words))
            .fillna(False)
            .astype(bool),
        }
        return {"marker": joined(marked, sep=" and ")}


rule = RetB2b()
