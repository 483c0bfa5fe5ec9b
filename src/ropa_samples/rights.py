"""The rights-request log (ropa's template): ``request_id,received,type,subject_email,
status,completed`` with dates ``YYYY-MM-DD``."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from ropa_samples import gen
from ropa_samples.gen import Plan, SampleFile, near
from ropa_samples.people import ERASURES, Extras

HEADERS = ["request_id", "received", "type", "subject_email", "status", "completed"]
TYPES = ("access", "rectification", "erasure", "restriction", "portability", "objection")
TYPE_P = (0.35, 0.15, 0.25, 0.05, 0.05, 0.15)


def build(rng: np.random.Generator, as_of: date, plan: Plan, extras: Extras) -> list[SampleFile]:
    """Bulk requests are answered within 30 days (open ones are younger than 31 days);
    their subjects appear in no other export, so completed erasures really were done."""
    planted = gen.planted_frame(HEADERS, _planted(as_of, extras))
    n = plan.bulk("requests", 40, len(planted))
    ago = np.sort(rng.integers(0, 721, n))[::-1]  # the log is kept in order of receipt
    took = np.minimum(rng.integers(0, 31, n), ago)
    young = ago <= 30
    still = young & gen.chance(rng, 0.5, n)
    status = gen.where(
        still,
        gen.where(gen.chance(rng, 0.5, n), "open", "in_progress"),
        gen.where(gen.chance(rng, 0.85, n), "completed", "rejected"),
    )
    received = gen.day(as_of) - ago.astype("timedelta64[D]")
    completed = received + took.astype("timedelta64[D]")
    bulk = {
        "received": gen.fmt_times(received, "date"),
        "type": gen.take(TYPES, rng.choice(len(TYPES), n, p=TYPE_P)),
        "subject_email": gen.people(rng, n, 5_000_000).email,
        "status": status,
        "completed": gen.fmt_times(completed, "date", still),
    }
    frame = gen.merge(
        gen.frame_of(HEADERS, bulk, n), planted, received, gen.text_times(planted["received"])
    )
    frame["request_id"] = pd.Series(
        gen.cat("DSR-", gen.num(np.arange(1, len(frame) + 1), 5)), dtype="str"
    )
    return [
        SampleFile("requests/rights-requests.csv", "requests", frame, email_col="subject_email")
    ]


# fmt: off
def _req(as_of: date, kind: str, email: str, status: str, received: int, completed: int | None,
         **extra: str) -> dict:
    def d(ago: int | None) -> str:
        return "" if ago is None else (as_of - timedelta(days=ago)).isoformat()

    return {"received": d(received), "type": kind, "subject_email": email, "status": status,
            "completed": d(completed), **extra}


def _planted(as_of: date, extras: Extras) -> list[dict]:
    rows = [
        _req(as_of, "erasure", email, status, received, completed,
             **({"_note": "erasure request in progress, received 31 days before as_of"}
                if key == "lars" else {}))
        for key, status, received, completed, email in ERASURES
    ]
    e = extras.take(7)
    overdue = "REQUEST-OVERDUE"
    return rows + [
        _req(as_of, "access", e[0].email, "completed", 90, 59, _note="answered after 31 days"),
        _req(as_of, "objection", e[1].email, "rejected", 150, 110, _note="rejected after 40 days"),
        _req(as_of, "access", e[2].email, "open", 31, None, _note="open, received 31 days ago"),
        _req(as_of, "rectification", e[3].email, "in_progress", 45, None,
             _note="in progress, received 45 days ago"),
        _req(as_of, "access", e[4].email, "completed", 80, 50,
             _near=near((overdue, "answered in exactly 30 days"))),
        _req(as_of, "portability", e[5].email, "open", 30, None,
             _near=near((overdue, "open, received exactly 30 days ago"))),
        _req(as_of, "restriction", e[6].email, "rejected", 70, 40,
             _near=near((overdue, "rejected in exactly 30 days"))),
    ]
# fmt: on
