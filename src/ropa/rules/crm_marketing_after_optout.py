"""CRM-MARKETING-AFTER-OPTOUT: an opt-out in one tool ends marketing in all of them (1.2)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from ropa.mapping import normalise_email
from ropa.rules import expr as X
from ropa.rules.base import Context, ContextFact, Rule, among
from ropa.rules.values import flag, header_label, joined, text

CONTEXT_READS = ("email",)  # of the newsletter's unsubscribed export


def unsubscribed_emails(frames: list[pd.DataFrame], as_of: date | None = None) -> frozenset[str]:
    """Normalised e-mails of every newsletter_unsubscribed export (at any date)."""
    found: set[str] = set()
    for frame in frames:
        found.update(normalise_email(text(frame, "email")).dropna().unique().tolist())
    return frozenset(found)


def _opt_outs(frame: pd.DataFrame, ctx: Context) -> tuple[pd.Series, pd.Series]:
    in_newsletter = among(normalise_email(text(frame, "email")), ctx.unsubscribed_values)
    from_all = flag(frame, "unsubscribed_all", ctx).fillna(False).astype(bool)
    return in_newsletter, from_all


def _opt_outs_expr(t: Any, ctx: Context) -> tuple[Any, Any]:
    """``_opt_outs`` as expressions: the e-mail key joined to the unsubscribed table."""
    from ropa.engine import EMAIL_KEY, unsubscribed_table

    if EMAIL_KEY in t.columns:
        key = t[EMAIL_KEY]
        in_newsletter = key.isin(unsubscribed_table().email).fill_null(False)
    else:
        in_newsletter = X.false()
    return in_newsletter, X.flag(t, "unsubscribed_all", ctx).fill_null(False)


class CrmMarketingAfterOptout(Rule):
    """Contact unsubscribed (newsletter tool or CRM) yet still a CRM marketing contact."""

    id = "CRM-MARKETING-AFTER-OPTOUT"
    order = 100
    name = "consent.marketing_after_optout"
    policy_ref = "1.2"
    severity = "high"
    activity = "newsletter"
    kinds = ("crm",)
    reads = ("email", "unsubscribed_all", "marketing_contact")
    needs = ("newsletter_unsubscribed",)
    context = (
        ContextFact("unsubscribed", "newsletter_unsubscribed", CONTEXT_READS, unsubscribed_emails),
    )
    runs_without_needs = True  # "Unsubscribed from all email" is still checked

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        in_newsletter, from_all = _opt_outs_expr(t, ctx)
        marketing = X.flag(t, "marketing_contact", ctx).fill_null(False)
        return {"marketing_after_optout": X.only_where(marketing, in_newsletter | from_all)}

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        status = X.needs_column(t, kind, ("marketing_contact",))
        if status:
            return status
        if "unsubscribed_all" in t.columns or "newsletter_unsubscribed" in ctx.present:
            return []
        marketing = X.flag(t, "marketing_contact", ctx).fill_null(False)
        reason = (
            f"no '{header_label(kind, 'unsubscribed_all')}' column"
            " and no newsletter unsubscribed export"
        )
        return [X.Gap(reason, marketing, counted=False)]

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        return [
            self.expect_in(
                "marketing_after_optout",
                [False],
                "a contact who opted out is no longer a marketing contact",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        in_newsletter, from_all = _opt_outs(rows, ctx)
        why = joined(
            {
                "unsubscribed in the newsletter tool": in_newsletter,
                "'Unsubscribed from all email' is true": from_all,
            },
            sep=" and ",
        )
        return "still a marketing contact although " + why


rule = CrmMarketingAfterOptout()
