"""SPECIAL-NO-CONSENT: special-category answers need explicit consent, Art. 9(2)(a) (1.1)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.rules import expr as X
from ropa.rules.base import Context, Rule
from ropa.rules.values import any_answered, joined, present, text

# Registration questions the loader files under these names (dietary needs, allergies,
# health / religion), numbered when asked twice (dietary_2); each counts when it holds
# something other than a none-word.
SPECIAL_ANSWERS = {"dietary": "dietary", "allergy": "allergy", "special_other": "health/religion"}


class SpecialNoConsent(Rule):
    """Dietary, allergy, health or religion answer held without an explicit yes to consent."""

    id = "SPECIAL-NO-CONSENT"
    order = 50
    name = "special_category.no_explicit_consent"
    policy_ref = "1.1"
    severity = "critical"
    activity = "customers"
    kinds = ("registrations",)
    reads = ("dietary", "allergy", "special_other", "special_consent")

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        has_special = X.any_answered(t, SPECIAL_ANSWERS, ctx)
        consent = X.is_yes(X.text(t, "special_consent"), ctx)
        return {"special_consent_given": X.only_where(consent, has_special)}

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        return [
            self.expect_in(
                "special_consent_given",
                [True],
                "a special-category answer comes with an explicit yes to the consent question",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        kinds = joined(
            {label: any_answered(rows, [col], ctx) for col, label in SPECIAL_ANSWERS.items()}
        )
        consent = pd.Series("consent answer not an explicit yes", index=rows.index).where(
            present(text(rows, "special_consent")), "no consent answer"
        )
        return kinds + " answer present, " + consent


rule = SpecialNoConsent()
