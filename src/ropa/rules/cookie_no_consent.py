"""COOKIE-NO-CONSENT: analytics and advertising cookies need consent (1.6, ekomloven 2025).

A gclid (Google Ads click id) is found where GA4 puts it, ``collected_traffic_source.gclid``
(``gclid``), as an event parameter ``event_params.gclid`` (``param_gclid``), or in the
query string of ``page_location`` (``?gclid=...`` / ``&gclid=...`` with a value; a
parameter that only starts with "gclid", such as ``gclid_like=``, is not one).
"""

from __future__ import annotations

from typing import Any

import ibis
import pandas as pd

from ropa.rules import expr as X
from ropa.rules.base import Context, Rule
from ropa.rules.values import joined, present, text
from ropa.sources.common import per_value

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


def _url_gclid_x(page: Any) -> Any:
    """A ``gclid`` query parameter with a value in the URL ``page``."""
    # the pattern only where the literal can be (engines skip a CASE branch's other rows)
    may = page.lower().contains("gclid=")
    return ibis.ifelse(may, page.re_search(GCLID_IN_URL), False).fill_null(False)


def _carries_gclid_x(t: Any) -> Any:
    """Where the event carries a gclid (any of ``gclid_places``, as one expression)."""
    url = X.looked_up(t, "__gclid_in_url", "page_location", _url_gclid_x).fill_null(False)
    return X.present(X.text(t, "gclid")) | X.present(X.text(t, "param_gclid")) | url


def _yes_x(t: Any, column: str, ctx: Context) -> Any:
    """The consent column read as an explicit yes (one test per distinct value)."""
    return X.looked_up(t, f"__yes_{column}", column, lambda v: X.is_yes(v, ctx)).fill_null(False)


def _checks_x(t: Any, ctx: Context) -> dict[str, Any]:
    return {
        "analytics_consent_ok": X.only_where(
            _yes_x(t, "analytics_storage", ctx), X.present(X.text(t, "user_pseudo_id"))
        ),
        "ads_consent_ok": X.only_where(_yes_x(t, "ads_storage", ctx), _carries_gclid_x(t)),
    }


class CookieNoConsent(Rule):
    """Event carries a cookie id or gclid although the matching consent is not Yes."""

    id = "COOKIE-NO-CONSENT"
    order = 110
    name = "cookies.no_consent"
    policy_ref = "1.6"
    severity = "high"
    activity = "web"
    kinds = ("analytics",)
    reads = (
        "analytics_storage", "user_pseudo_id", "ads_storage", *GCLID_COLUMNS, "page_location",
    )  # fmt: skip

    def lookups(self, kind: str, ctx: Context) -> dict[str, tuple[str, Any]]:
        def yes(value: Any) -> Any:
            return X.is_yes(value, ctx)

        return {
            "__gclid_in_url": ("page_location", _url_gclid_x),
            "__yes_analytics_storage": ("analytics_storage", yes),
            "__yes_ads_storage": ("ads_storage", yes),
        }

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        return _checks_x(t, ctx)

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        """An event is judged when each check it is subject to has its consent column,
        or when the other check flags it anyway (an event counts once)."""
        checks = _checks_x(t, ctx)
        flagged = X.false()
        for column, ok in zip(("analytics_storage", "ads_storage"), checks.values(), strict=True):
            if column in t.columns:
                flagged = flagged | (ok == False).fill_null(False)  # noqa: E712
        cookie = X.present(X.text(t, "user_pseudo_id")) & ~flagged
        gclid = _carries_gclid_x(t) & ~flagged
        return X.needs_column(t, kind, ("analytics_storage",), rows=cookie) + X.needs_column(
            t, kind, ("ads_storage",), rows=gclid
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
        checks = rows[["analytics_consent_ok", "ads_consent_ok"]]  # the derived columns
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
