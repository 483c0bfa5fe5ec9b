"""ANALYTICS-IDENTIFIABLE: the policy says web users cannot be identified (1.6).

An e-mail address or phone number in a page URL, referrer or user id makes the event
identifiable. URLs are percent-decoded (``%40`` -> ``@``, ``%2B47`` -> ``+47``) before the
search; the patterns are RE2-compatible so they run inside pyarrow (and push down to
warehouses), with no per-row Python.
"""

from __future__ import annotations

from typing import Any

import ibis
import pandas as pd

from ropa.rules import expr as X
from ropa.rules.base import Context, Rule
from ropa.rules.values import joined, text
from ropa.sources.common import per_value

FIELDS = ("page_location", "page_referrer", "user_id")

# Escapes that can hide an e-mail or phone number, replaced as literals (fast in pyarrow),
# in both hex cases. %25 first so that a doubly encoded "%2540" decodes to "@" as well.
_ESCAPES = (
    ("%25", "%"),
    ("%40", "@"),
    ("%2B", "+"),
    ("%2E", "."),
    ("%2D", "-"),
    ("%5F", "_"),
    ("%20", " "),
    ("%28", "("),
    ("%29", ")"),
)

EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
# International numbers (+47 912 34 567, 0047...), or a number under a phone-like key.
PHONE = (
    r"(?:^|[^0-9A-Za-z])(?:\+|00)[1-9][0-9]{0,2}(?:[ .\-()]*[0-9]){6,12}(?:[^0-9]|$)"
    r"|(?:^|[^A-Za-z])(?i:phone|tel|tlf|mobil|mobile|telefon)[a-z_]*=[ +]*[0-9](?:[ .\-]*[0-9]){7,}"
)


# Every key word of PHONE's second branch contains one of these (lower-case).
PHONE_KEYS = ("phone", "tel", "tlf", "mobil")


def decoded(series: pd.Series) -> pd.Series:
    """Percent-escapes that matter here decoded; rows without '%' are left alone."""
    encoded = series.str.contains("%", regex=False).fillna(False).astype(bool)
    if not encoded.any():
        return series
    out = series[encoded]
    for escape, char in _ESCAPES:
        out = out.str.replace(escape, char, regex=False)
        if escape.lower() != escape:
            out = out.str.replace(escape.lower(), char, regex=False)
    return series.mask(encoded, out)


def _contact_data(values: pd.Series) -> pd.DataFrame:
    """Per value: an e-mail address, a phone number (after decoding escapes)."""
    value = decoded(values)
    return pd.DataFrame(
        {
            "email": value.str.contains(EMAIL, regex=True).fillna(False).astype(bool),
            "phone": value.str.contains(PHONE, regex=True).fillna(False).astype(bool),
        },
        index=values.index,
    )


def _hits(frame: pd.DataFrame) -> dict[str, pd.Series]:
    hits: dict[str, pd.Series] = {}
    for field in FIELDS:
        # page URLs repeat (a site has far fewer pages than page views): once per URL
        found = per_value(text(frame, field), _contact_data)
        hits[f"e-mail in {field}"] = found["email"]
        hits[f"phone number in {field}"] = found["phone"]
    return hits


def _decoded_x(value: Any) -> Any:
    """``decoded`` as an expression: the same escapes, replaced as literals."""
    for escape, char in _ESCAPES:
        value = value.replace(escape, char)
        if escape.lower() != escape:
            value = value.replace(escape.lower(), char)
    return value


def _contact_data_x(raw: Any) -> Any:
    """An e-mail address or phone number in ``raw`` (after decoding escapes), as an
    expression. The patterns run only where a literal test says they can match (engines
    evaluate a CASE branch only for its rows): an e-mail needs "@" (or an escape), an
    international number "+" or "00", a number under a key one of the key words."""
    escaped = raw.contains("%")
    value = ibis.ifelse(escaped, _decoded_x(raw), raw)
    lower = raw.lower()
    may_email = raw.contains("@") | escaped
    may_phone = X.any_of(
        [raw.contains("+"), raw.contains("00"), escaped,
         *(lower.contains(word) for word in PHONE_KEYS)]
    )  # fmt: skip
    email = ibis.ifelse(may_email, value.re_search(EMAIL), False)
    phone = ibis.ifelse(may_phone, value.re_search(PHONE), False)
    return email.fill_null(False) | phone.fill_null(False)


class AnalyticsIdentifiable(Rule):
    """Analytics event holds an e-mail address or phone number in a URL or user id."""

    id = "ANALYTICS-IDENTIFIABLE"
    order = 120
    name = "analytics.identifiable"
    policy_ref = "1.6"
    severity = "high"
    activity = "web"
    kinds = ("analytics",)
    reads = ("page_location", "page_referrer", "user_id")

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        found = X.false()
        for field in FIELDS:
            if field in t.columns:
                found = found | X.looked_up(t, f"__contact_{field}", field, _contact_data_x)
        return {"contact_data_in_event": found.fill_null(False)}

    def lookups(self, kind: str, ctx: Context) -> dict[str, tuple[str, Any]]:
        # page URLs repeat; a user id is nearly unique, so it is tested row by row
        return {f"__contact_{f}": (f, _contact_data_x) for f in ("page_location", "page_referrer")}

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        return X.needs_column(t, kind, FIELDS)

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        return [
            self.expect_in(
                "contact_data_in_event",
                [False],
                "no e-mail address or phone number in page_location, page_referrer or user_id",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        return joined(_hits(rows))


rule = AnalyticsIdentifiable()
