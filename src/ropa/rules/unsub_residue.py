"""UNSUB-RESIDUE: an unsubscribed record keeps only what suppression needs (1.2).

The policy reserves the right to store that a recipient no longer wants information:
the e-mail address is enough for that. Names, phone, street address, IP addresses and
geolocation are residue. ZIP, company and region are not counted.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.rules import expr as X
from ropa.rules.base import Context, Rule
from ropa.rules.values import counted, filled, joined

RESIDUE = {
    "first_name": "first name",
    "last_name": "last name",
    "phone": "phone",
    "address": "address",
    "optin_ip": "OPTIN_IP",
    "confirm_ip": "CONFIRM_IP",
    "latitude": "LATITUDE",
    "longitude": "LONGITUDE",
}


class UnsubResidue(Rule):
    """Unsubscribed member still holds personal data beyond the suppression e-mail."""

    id = "UNSUB-RESIDUE"
    order = 80
    name = "newsletter.unsubscribed_residue"
    policy_ref = "1.2"
    severity = "medium"
    activity = "newsletter"
    kinds = ("newsletter_unsubscribed",)
    reads = tuple(RESIDUE)

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        return {"residue_fields": X.count_true(X.filled(t, c) for c in RESIDUE)}

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        return [
            self.expect_at_most(
                "residue_fields",
                0,
                "an unsubscribed record holds no name, phone, address, IP or geolocation",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        held = joined({label: filled(rows, col) for col, label in RESIDUE.items()})
        return (
            "unsubscribed record still holds "
            + held
            + " ("
            + counted(rows["residue_fields"], "field")
            + " beyond the suppression e-mail)"
        )


rule = UnsubResidue()
