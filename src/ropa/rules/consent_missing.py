"""CONSENT-MISSING: e-mail marketing needs consent the company can demonstrate (1.2).

Art. 7(1) GDPR and markedsføringsloven § 15: a subscriber without an opt-in or
confirmation time, or a CRM marketing contact without a recorded legal basis, cannot
be shown to have consented.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.dtypes import STRING
from ropa.rules import expr as X
from ropa.rules.base import Context, Rule


class ConsentMissing(Rule):
    """Subscriber or marketing contact with no demonstrable consent."""

    id = "CONSENT-MISSING"
    order = 70
    name = "consent.not_demonstrable"
    policy_ref = "1.2"
    severity = "high"
    activity = "newsletter"
    kinds = ("newsletter_subscribed", "crm")
    reads = ("marketing_contact", "legal_basis", "optin_time", "confirm_time")

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        if kind == "crm":
            marketing = X.flag(t, "marketing_contact", ctx).fill_null(False)
            recorded = X.only_where(X.present(X.text(t, "legal_basis")), marketing)
        else:
            recorded = X.filled(t, "optin_time") | X.filled(t, "confirm_time")
        return {"consent_recorded": recorded}

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        if kind == "crm":
            status = X.needs_column(t, kind, ("marketing_contact",))
            if status:
                return status
            marketing = X.flag(t, "marketing_contact", ctx).fill_null(False)
            return X.needs_column(t, kind, ("legal_basis",), rows=marketing)
        # both dates empty is the finding; a date column the export lacks could hold one
        recorded = X.filled(t, "optin_time") | X.filled(t, "confirm_time")
        gaps: list[X.Gap] = []
        for column in ("optin_time", "confirm_time"):
            gaps += X.needs_column(t, kind, (column,), rows=~recorded)
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
        return pd.Series(said, index=rows.index, dtype=STRING)


rule = ConsentMissing()
