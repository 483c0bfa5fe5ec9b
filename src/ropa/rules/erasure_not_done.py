"""ERASURE-NOT-DONE: a completed erasure leaves no trace in any source (4, Art. 17).

The newsletter's unsubscribed export is exempt: the policy keeps the suppression
record so the address is never mailed again. The request log itself is the evidence.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from ropa.mapping import normalise_email
from ropa.rules.base import (
    Context,
    Rule,
    Unjudged,
    among,
    folded,
    iso,
    needs_value,
    only_where,
    present,
    text,
    utc_dates,
    utc_times,
)

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
    name = "rights.erasure_not_done"
    policy_ref = "4.1"
    severity = "critical"
    activity = "requests"
    kinds = (
        "newsletter_subscribed",
        "newsletter_cleaned",
        "crm",
        "registrations",
        "visitors",
        "inquiries",
        "analytics",
    )
    reads = ("email",)
    needs = ("requests",)

    def derive(self, frame: pd.DataFrame, kind: str, ctx: Context) -> pd.DataFrame:
        if "email" not in frame.columns:  # no e-mail, no subject to match (analytics)
            return pd.DataFrame(
                {"erased_subject": pd.Series(pd.NA, index=frame.index, dtype="boolean")}
            )
        emails = normalise_email(text(frame, "email"))
        erased = among(emails, ctx.erased_values).astype("boolean")
        return pd.DataFrame(
            {"erased_subject": only_where(erased, present(emails))}, index=frame.index
        )

    def evaluable(self, frame: pd.DataFrame, kind: str, ctx: Context) -> list[Unjudged]:
        if "requests" not in ctx.present:
            everyone = pd.Series(True, index=frame.index)
            return [Unjudged("no rights-request log", everyone, counted=False)]
        if "email" not in frame.columns:
            everyone = pd.Series(True, index=frame.index)
            return [Unjudged("no e-mail column to match erased subjects", everyone, counted=False)]
        return needs_value(frame, kind, ("email",), "an e-mail address")

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        return [
            self.expect_in(
                "erased_subject",
                [False],
                "no row belongs to a subject whose erasure was completed before the audit date",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        on = normalise_email(text(rows, "email")).map(dict(ctx.erased)).astype("string[pyarrow]")
        return "still held although an erasure request for this e-mail was completed " + on


rule = ErasureNotDone()
