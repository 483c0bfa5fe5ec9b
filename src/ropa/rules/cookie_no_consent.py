"""COOKIE-NO-CONSENT: analytics and advertising cookies need consent (1.6, ekomloven 2025).

A gclid (Google Ads click id) is found where GA4 puts it, ``collected_traffic_source.gclid``
(``gclid``), as an event parameter ``event_params.gclid`` (``param_gclid``), or in the
query string of ``page_location`` (``?gclid=...`` / ``&gclid=...`` with a value; a
parameter that only starts with "gclid", such as ``gclid_like=``, is not one).
"""

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
    per_value,
    present,
    text,
)

GCLID_COLUMNS = ("gclid", "param_gclid")
GCLID_IN_URL = r"(?i)[?&]gclid=[^&# ]"  # no \s: pandas would run it in Python


def _url_gclid(values: pd.Series) -> pd.Series:
    """Per URL: a ``gclid`` query parameter with a value."""
    return values.str.contains(GCLID_IN_URL, regex=True).fillna(False).astype(bool)


def gclid_places(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Where the event carries a gclid: its traffic source, its parameters, its page URL
    (page URLs repeat: tested once per distinct URL)."""
    return {
        "gclid set": present(text(frame, "gclid")),
        "gclid in event_params": present(text(frame, "param_gclid")),
        "gclid in the page_location query string": per_value(
            text(frame, "page_location"), _url_gclid
        ).astype(bool),
    }


def carries_gclid(frame: pd.DataFrame) -> pd.Series:
    found = pd.Series(False, index=frame.index)
    for hit in gclid_places(frame).values():
        found = found | hit
    return found


def _checks(frame: pd.DataFrame, ctx: Context) -> dict[str, pd.Series]:
    return {
        "analytics_consent_ok": only_where(
            is_yes(text(frame, "analytics_storage"), ctx).astype("boolean"),
            present(text(frame, "user_pseudo_id")),
        ),
        "ads_consent_ok": only_where(
            is_yes(text(frame, "ads_storage"), ctx).astype("boolean"),
            carries_gclid(frame),
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
    reads = (
        "analytics_storage", "user_pseudo_id", "ads_storage", *GCLID_COLUMNS, "page_location",
    )  # fmt: skip

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
        gclid = carries_gclid(frame) & ~flagged
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
        no_ads = checks["ads_consent_ok"].eq(False).fillna(False).astype(bool)
        parts = {
            "user_pseudo_id set while analytics_storage is not Yes": checks["analytics_consent_ok"]
            .eq(False)
            .fillna(False),
        }
        for place, hit in gclid_places(rows).items():
            parts[f"{place} while ads_storage is not Yes"] = no_ads & hit
        return joined(parts, sep="; ")


rule = CookieNoConsent()
