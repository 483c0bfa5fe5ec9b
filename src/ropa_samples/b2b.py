"""RET-B2B rows for the English HubSpot export: business contacts whose company is no
longer a customer or supplier, or who left it (a custom Lead Status), either side of
``windows.b2b_grace_days`` (90).

They come from their own random generator and are appended after every other row, so
each other sample value, row number and finding stays as it was before RET-B2B.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import numpy as np

from ropa_samples import gen
from ropa_samples.gen import near
from ropa_samples.people import Who
from ropa_samples.vocab import COMPANIES, FIRST_NAMES, JOB_TITLES, LAST_NAMES, mail_local

GRACE = 90  # policy.windows.b2b_grace_days
FIRST_ID = 199_200_001  # after the planted English (199_000_001...) and Norwegian ids


def rows(rng: np.random.Generator, as_of: date, contact: Callable[..., dict]) -> list[dict]:
    """The planted rows (English headers), ``contact`` being ``hubspot_rows.contact`` for
    the English export."""
    a = gen.at
    specs: list[tuple[str, str, datetime | None, datetime, dict]] = [
        ("Former customer", "customer", a(as_of, GRACE + 1, 12), a(as_of, 900, 10),
         {"_note": "former customer, last activity 91 days before the audit date"}),
        ("Left company", "customer", a(as_of, GRACE, 12), a(as_of, 800, 10),
         {"_near": near(("RET-B2B", "left the company, last activity exactly 90 days before"))}),
        ("Former supplier", "other", None, a(as_of, 200, 10),
         {"_note": "former supplier, no last activity, created 200 days before"}),
        ("Left company", "lead", a(as_of, GRACE, 0, 30), a(as_of, 300, 10),
         {"_note": "Oslo 00:30, 90 days before, is the previous UTC day: 91 days"}),
        ("Former customer", "customer", a(as_of, 10, 12), a(as_of, 1200, 10),
         {"_near": near(("RET-B2B", "former customer, active 10 days ago"))}),
    ]  # fmt: skip
    out = []
    for k, (status, stage, last, created, meta) in enumerate(specs):
        who = _person(rng, k)
        row = contact(who, stage, last, created, marketing=False, basis=1, **meta)
        out.append({**row, "Lead Status": status, "Record ID": str(FIRST_ID + k)})
    return out


def _person(rng: np.random.Generator, k: int) -> Who:
    """A business contact no other sample row names (the e-mail carries a b2b number)."""
    first = FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]
    last = LAST_NAMES[int(rng.integers(len(LAST_NAMES)))]
    company = COMPANIES[int(rng.integers(len(COMPANIES)))]
    email = f"{mail_local(first)}.{mail_local(last)}.b2b{k + 1}@{mail_local(company)}.example"
    phone = f"9{int(rng.integers(10**7)):07d}"
    title = JOB_TITLES[int(rng.integers(len(JOB_TITLES)))]
    return Who(first, last, email, phone, company=company, title=title)
