"""ERASURE-NOT-DONE: a completed erasure leaves no trace in any source (4, Art. 17).

Every kind is checked but those the policy keeps after an erasure
(``sources.canonical.KEEP_ON_ERASURE``): the newsletter's unsubscribed export is the
suppression record, so the address is never mailed again; the request log itself is
the evidence.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from ropa.dtypes import STRING
from ropa.mapping import normalise_email
from ropa.rules import expr as X
from ropa.rules.base import Context, ContextFact, Rule
from ropa.rules.values import folded, iso, text, utc_dates, utc_times
from ropa.sources.canonical import KEEP_ON_ERASURE, KINDS

# Values of the request-log template ropa ships (not policy words).
ERASURE = "erasure"
COMPLETED = "completed"
CONTEXT_READS = ("type", "status", "completed_time", "email")  # of the request log


def erased_emails(frames: list[pd.DataFrame], as_of: date) -> dict[str, str]:
    """Normalised e-mail -> ISO date of its first erasure completed before ``as_of``."""
    found: dict[str, str] = {}
    for frame in frames:
        completed = utc_times(frame, "completed_time")
        done = (
            folded(text(frame, "type")).eq(ERASURE).fillna(False)
            & folded(text(frame, "status")).eq(COMPLETED).fillna(False)
            & (utc_dates(completed) < pd.Timestamp(as_of, tz="UTC")).fillna(False)
        ).astype(bool)
        emails = normalise_email(text(frame, "email"))
        pairs = pd.DataFrame({"email": emails[done], "on": iso(completed[done])}).dropna()
        for email, on in pairs.groupby("email")["on"].min().items():
            found[email] = min(on, found.get(email, on))
    return found


class ErasureNotDone(Rule):
    """Row belongs to a subject whose erasure request was completed before the audit date."""

    id = "ERASURE-NOT-DONE"
    order = 150
    name = "rights.erasure_not_done"
    policy_ref = "4.1"
    severity = "critical"
    activity = "requests"
    kinds = tuple(k for k in KINDS if k not in KEEP_ON_ERASURE)
    reads = ("email",)
    needs = ("requests",)
    context = (ContextFact("erased", "requests", CONTEXT_READS, erased_emails),)

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        from ropa.engine import EMAIL_KEY, erased_table

        if EMAIL_KEY not in t.columns:  # no e-mail, no subject to match (analytics)
            return {"erased_subject": X.null("boolean")}
        key = t[EMAIL_KEY]
        return {"erased_subject": X.only_where(key.isin(erased_table().email), key.notnull())}

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        if "requests" not in ctx.present:
            return [X.Gap("no rights-request log", X.true(), counted=False)]
        if "email" not in t.columns:
            return [X.Gap("no e-mail column to match erased subjects", X.true(), counted=False)]
        return X.needs_value(t, kind, ("email",), "an e-mail address")

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        return [
            self.expect_in(
                "erased_subject",
                [False],
                "no row belongs to a subject whose erasure was completed before the audit date",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        on = normalise_email(text(rows, "email")).map(dict(ctx.erased)).astype(STRING)
        return "still held although an erasure request for this e-mail was completed " + on


rule = ErasureNotDone()
