"""COOKIE-NO-CONSENT: analytics and advertising cookies need consent (1.6, ekomloven 2025)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.rules.base import (
    Context,
    Rule,
    Unjudged,
    is_yes,
    joined,
    needs_column,
    only_where,
    present,
    text,
)


def _checks(frame: pd.DataFrame, ctx: Context) -> dict[str, pd.Series]:
    return {
        "analytics_consent_ok": only_where(
            is_yes(text(frame, "analytics_storage"), ctx).astype("boolean"),
            present(text(frame, "user_pseudo_id")),
        ),
        "ads_consent_ok": only_where(
            is_yes(text(frame, "ads_storage"), ctx).astype("boolean"),
            present(text(frame, "gclid")),
        ),
    }


class CookieNoConsent(Rule):
    """Event carries a cookie id or gclid although the matching consent is not Yes."""

    id = "COOKIE-NO-CONSENT"
    name = "cookies.no_consent"
    policy_ref = "1.6"
    severity = "high"
    activity = "web"
    kinds = ("analytics",)
    reads = ("analytics_storage", "user_pseudo_id", "ads_storage", "gclid")

    def derive(self, frame: pd.DataFrame, kind: str, ctx: Context) -> pd.DataFrame:
        return pd.DataFrame(_checks(frame, ctx), index=frame.index)

    def evaluable(self, frame: pd.DataFrame, kind: str, ctx: Context) -> list[Unjudged]:
        """An event is judged when each check it is subject to has its consent column,
        or when the other check flags it anyway (an event counts once)."""
        checks = _checks(frame, ctx)
        flagged = pd.Series(False, index=frame.index)
        for column, ok in zip(("analytics_storage", "ads_storage"), checks.values(), strict=True):
            if column in frame.columns:
                flagged |= ok.eq(False).fillna(False).astype(bool)
        cookie = present(text(frame, "user_pseudo_id")) & ~flagged
        gclid = present(text(frame, "gclid")) & ~flagged
        return needs_column(frame, kind, ("analytics_storage",), rows=cookie) + needs_column(
            frame, kind, ("ads_storage",), rows=gclid
        )

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        return [
            self.expect_in(
                "analytics_consent_ok",
                [True],
                "an event with a user_pseudo_id has analytics_storage consent (Yes)",
            ),
            self.expect_in(
                "ads_consent_ok", [True], "an event with a gclid has ads_storage consent (Yes)"
            ),
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        checks = _checks(rows, ctx)
        return joined(
            {
                "user_pseudo_id set while analytics_storage is not Yes": checks[
                    "analytics_consent_ok"
                ]
                .eq(False)
                .fillna(False),
                "gclid set while ads_storage is not Yes": checks["ads_consent_ok"]
                .eq(False)
                .fillna(False),
            },
            sep="; ",
        )


rule = CookieNoConsent()
