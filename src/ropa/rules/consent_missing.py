"""CONSENT-MISSING: e-mail marketing needs consent the company can demonstrate (1.2).

Art. 7(1) GDPR and markedsføringsloven § 15: a subscriber without an opt-in or
confirmation time, or a CRM marketing contact without a recorded legal basis, cannot
be shown to have consented.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.rules.base import (
    Context,
    Rule,
    Unjudged,
    filled,
    flag,
    needs_column,
    only_where,
    present,
    text,
)


class ConsentMissing(Rule):
    """Subscriber or marketing contact with no demonstrable consent."""

    id = "CONSENT-MISSING"
    name = "consent.not_demonstrable"
    policy_ref = "1.2"
    severity = "high"
    activity = "newsletter"
    kinds = ("newsletter_subscribed", "crm")
    reads = ("marketing_contact", "legal_basis", "optin_time", "confirm_time")

    def derive(self, frame: pd.DataFrame, kind: str, ctx: Context) -> pd.DataFrame:
        if kind == "crm":
            marketing = flag(frame, "marketing_contact", ctx).fillna(False).astype(bool)
            recorded = only_where(present(text(frame, "legal_basis")).astype("boolean"), marketing)
        else:
            recorded = (filled(frame, "optin_time") | filled(frame, "confirm_time")).astype(
                "boolean"
            )
        return pd.DataFrame({"consent_recorded": recorded}, index=frame.index)

    def evaluable(self, frame: pd.DataFrame, kind: str, ctx: Context) -> list[Unjudged]:
        if kind == "crm":
            status = needs_column(frame, kind, ("marketing_contact",))
            if status:
                return status
            marketing = flag(frame, "marketing_contact", ctx).fillna(False).astype(bool)
            return needs_column(frame, kind, ("legal_basis",), rows=marketing)
        # both dates empty is the finding; a date column the export lacks could hold one
        recorded = filled(frame, "optin_time") | filled(frame, "confirm_time")
        gaps: list[Unjudged] = []
        for column in ("optin_time", "confirm_time"):
            gaps += needs_column(frame, kind, (column,), rows=~recorded)
        return gaps

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        return [
            self.expect_in(
                "consent_recorded",
                [True],
                "a subscriber has an opt-in or confirmation time; a CRM marketing contact "
                "has a legal basis",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        if kind == "crm":
            said = "marketing contact with no legal basis for processing recorded"
        else:
            said = "subscribed with neither OPTIN_TIME nor CONFIRM_TIME"
        return pd.Series(said, index=rows.index, dtype="string[pyarrow]")


rule = ConsentMissing()
