"""The HubSpot sample exports' headers (English default export, Norwegian UI) and their
planted contacts: the rows either side of every limit, with the note of why each is there.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from ropa_samples import gen
from ropa_samples.gen import near
from ropa_samples.people import PERSONS, Extras, Who
from ropa_samples.vocab import (
    LEGAL_BASIS,
    LIFECYCLE,
    MARKETING,
    PLACES,
    STAFF,
)

EN = [
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Lifecycle Stage",
    "Lead Status",
    "Contact owner",
    "Last Activity Date",
    "Create Date",
    "Marketing contact status",
    "Legal basis for processing contact's data",
    "Unsubscribed from all email",
    "Associated Company",
    "Job Title",
    "City",
    "Country/Region",
]
NO = [
    "Post-ID",
    "Fornavn",
    "Etternavn",
    "E-post",
    "Telefonnummer",
    "Livssyklusfase",
    "Dato for siste aktivitet",
    "Opprettelsesdato",
    "Status for markedsføringskontakt",
    "Juridisk grunnlag for behandling av kontaktens data",
    "Avmeldt fra all e-post",
    "Tilknyttet selskap",
    "Stillingstittel",
    "Fødselsnummer",
]
# internal field -> (English header, Norwegian header)
FIELDS = dict(
    zip(
        (
            "id",
            "first",
            "last",
            "email",
            "phone",
            "stage",
            "last_act",
            "created",
            "marketing",
            "basis",
            "unsub",
            "company",
            "title",
        ),
        zip([EN[i] for i in (0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14)], NO[:13], strict=True),
        strict=True,
    )
)
YES_NO = {0: ("Yes", "Ja"), 1: ("No", "Nei")}


# fmt: off
def contact(lang: int, w: Who, stage: str, last: datetime | None, created: datetime,
             marketing: bool = True, basis: int | None = 0, unsub: int | None = None,
             email: str | None = None, **extra: str) -> dict:
    """One planted contact; ``basis``/``unsub`` index LEGAL_BASIS / YES_NO, None = empty.
    Record ids are set by ``_numbered``."""
    h = {k: v[lang] for k, v in FIELDS.items()}
    style = "iso_m" if lang == 0 else "no_m"
    row = {
        h["first"]: w.first, h["last"]: w.last, h["email"]: w.email if email is None else email,
        h["phone"]: w.phone_intl(spaced=lang == 0),
        h["stage"]: LIFECYCLE[stage][lang] if stage else "",
        h["last_act"]: gen.fmt_one(last, style), h["created"]: gen.fmt_one(created, style),
        h["marketing"]: MARKETING[marketing][lang],
        h["basis"]: "" if basis is None else LEGAL_BASIS[basis][lang],
        h["unsub"]: "" if unsub is None else YES_NO[unsub][lang],
        h["company"]: w.company, h["title"]: w.title,
    }
    if lang == 0:
        row.update({"Contact owner": STAFF[len(w.email) % len(STAFF)],
                    "City": PLACES[w.place][0], "Country/Region": "Norway"})
    return {**row, **extra}


def en_contact(*args: Any, **kw: Any) -> dict:
    return contact(0, *args, **kw)


def numbered(rows: list[dict], header: str, first: int) -> list[dict]:
    return [{**r, header: str(first + k)} for k, r in enumerate(rows)]


def boundaries(as_of: date) -> dict[str, datetime]:
    """Noon on the days either side of each limit (the flagged side and the kept side)."""
    years = 5  # policy.windows.customer_accounting_years
    cut = gen.minus_months(as_of, 24)  # policy.windows.prospect_inactive_months

    def noon(d: date, hh: int = 12, mm: int = 0) -> datetime:
        return datetime(d.year, d.month, d.day, hh, mm)

    kept_year = date(as_of.year - years, 1, 1)
    return {
        "fy_flagged": noon(date(as_of.year - years - 1, 12, 31)),
        "fy_kept": noon(kept_year),
        "fy_kept_0030": noon(kept_year, 0, 30),
        "prospect_kept": noon(cut),
        "prospect_kept_0030": noon(cut, 0, 30),
        "prospect_flagged": noon(cut - timedelta(days=1)),
        "prospect_long_ago": noon(cut - timedelta(days=500)),
        "prospect_weeks_ago": noon(cut - timedelta(days=46)),
    }


def en_planted(as_of: date, extras: Extras) -> list[dict]:
    b, p, a = boundaries(as_of), PERSONS, gen.at
    old = a(as_of, 2600, 10)
    e = extras.take(16)
    y = as_of.year

    def c(*args: Any, **kw: Any) -> dict:
        return contact(0, *args, **kw)

    rows = [
        c(p["kari"], "customer", a(as_of, 20, 14), datetime(2019, 3, 4, 9, 30),
          _near=near(("RET-CUSTOMER", "created 2019, but the last activity is recent"))),
        c(p["ingrid"], "lead", a(as_of, 90, 10), a(as_of, 400, 10), basis=2,
          email="Ingrid.Berg@firma.example",
          _note="unsubscribed in Mailchimp (e-mail differs in case), still marketing"),
        c(p["lars"], "customer", a(as_of, 60, 9), a(as_of, 900, 9),
          _near=near(("ERASURE-NOT-DONE", "erasure request in progress, not completed"))),
        c(p["nora"], "opportunity", a(as_of, 35, 15), a(as_of, 300, 15), basis=1,
          _near=near(("ERASURE-NOT-DONE", "erasure completed on the audit date"))),
        c(p["sigrid"], "customer", a(as_of, 200, 11), a(as_of, 1000, 11), marketing=False,
          _note="erasure completed, contact still in CRM"),
        c(p["emma"], "lead", a(as_of, 15, 13), a(as_of, 100, 13), basis=1,
          _near=near(("CRM-MARKETING-AFTER-OPTOUT", "cleaned (bounced) in Mailchimp, "
                                                    "not unsubscribed"))),
        c(e[0], "customer", b["fy_flagged"], old, marketing=False,
          _note="last activity on the last day of the expired financial year"),
        c(e[1], "customer", b["fy_kept_0030"], old, marketing=False,
          _note="Oslo 00:30 on 1 January is 23:30 UTC on 31 December: expired year"),
        c(e[2], "customer", None, datetime(y - 7, 5, 10, 10), marketing=False,
          _note="no last activity; create date in an expired financial year"),
        c(e[3], "customer", b["fy_kept"], old, marketing=False,
          _near=near(("RET-CUSTOMER", "last activity on 1 January of the first kept year"))),
        c(e[4], "lead", b["prospect_flagged"], old, marketing=False, basis=1,
          _note="lead inactive one day more than 24 months"),
        c(e[5], "marketingqualifiedlead", b["prospect_kept_0030"], old, marketing=False, basis=1,
          _note="Oslo 00:30 on the cut-off day is the previous UTC day: flagged"),
        c(e[6], "subscriber", None, b["prospect_long_ago"], marketing=False, basis=1,
          _note="no last activity; created before the cut-off"),
        c(e[7], "salesqualifiedlead", b["prospect_kept"], old, marketing=False, basis=1,
          _near=near(("RET-PROSPECT", "last activity exactly 24 months before"))),
        c(e[8], "evangelist", datetime(y - 8, 6, 1, 12), old, marketing=False,
          _near=near(("RET-PROSPECT", "evangelist is never a prospect"),
                     ("RET-CUSTOMER", "evangelist is never a customer"))),
        c(e[9], "other", datetime(y - 9, 2, 1, 12), old, marketing=False,
          _near=near(("RET-PROSPECT", "lifecycle stage other"),
                     ("RET-CUSTOMER", "lifecycle stage other"))),
        c(e[10], "", datetime(y - 10, 9, 1, 12), old, marketing=False,
          _near=near(("RET-PROSPECT", "empty lifecycle stage"))),
        c(e[11], "lead", a(as_of, 40, 10), a(as_of, 50, 10), basis=None,
          _note="marketing contact without a legal basis"),
        c(e[12], "customer", a(as_of, 10, 10), a(as_of, 600, 10), basis=None,
          _note="marketing contact without a legal basis"),
        c(e[13], "lead", a(as_of, 41, 10), a(as_of, 51, 10), marketing=False, basis=None,
          _near=near(("CONSENT-MISSING", "non-marketing contact, no basis"))),
        c(e[14], "customer", a(as_of, 5, 10), a(as_of, 500, 10), unsub=0,
          _note="'Unsubscribed from all email' is Yes, still a marketing contact"),
        c(e[15], "customer", a(as_of, 6, 10), a(as_of, 501, 10), marketing=False, unsub=0,
          _near=near(("CRM-MARKETING-AFTER-OPTOUT", "unsubscribed from all e-mail, "
                                                    "non-marketing"))),
    ]
    return numbered(rows, "Record ID", 199_000_001)


def no_planted(as_of: date, extras: Extras) -> list[dict]:
    b, p, a = boundaries(as_of), PERSONS, gen.at
    old = a(as_of, 2600, 10)
    e = extras.take(12)
    y = as_of.year

    def c(*args: Any, **kw: Any) -> dict:
        return contact(1, *args, **kw)

    def fnr(born: date, individual: int) -> dict:
        return {"Fødselsnummer": fodselsnummer_h(born, individual)}

    rows = [
        c(p["ola"], "customer", a(as_of, 100, 10), a(as_of, 900, 10), marketing=False,
          email="Ola.Hansen@Eksempel.no ",
          _note="erasure completed; e-mail differs in case and trailing space"),
        c(p["jonas"], "lead", a(as_of, 30, 9), a(as_of, 300, 9), marketing=False, basis=1,
          unsub=1, _near=near(("CRM-MARKETING-AFTER-OPTOUT",
                               "unsubscribed in Mailchimp, Ikke-markedsføringskontakt"))),
        c(p["henrik"], "customer", a(as_of, 25, 9), a(as_of, 700, 9),
          _note="unsubscribed in Mailchimp, still Markedsføringskontakt"),
        c(e[0], "customer", datetime(y - 6, 6, 15, 12), old, marketing=False,
          _note="Kunde, last activity in an expired financial year"),
        c(e[1], "customer", b["fy_kept"], old, marketing=False,
          _near=near(("RET-CUSTOMER", "Kunde, last activity 1 January of first kept year"))),
        c(e[2], "opportunity", b["prospect_weeks_ago"], old, marketing=False, basis=1,
          _note="Salgsmulighet inactive for more than 24 months"),
        c(e[3], "lead", b["prospect_kept"], old, marketing=False, basis=1,
          _near=near(("RET-PROSPECT", "Lead, last activity exactly 24 months before"))),
        c(e[4], "evangelist", datetime(y - 7, 3, 1, 12), old, marketing=False,
          _near=near(("RET-PROSPECT", "Evangelist is never a prospect"),
                     ("RET-CUSTOMER", "Evangelist is never a customer"))),
        c(e[5], "other", datetime(y - 8, 3, 1, 12), old, marketing=False,
          _near=near(("RET-PROSPECT", "Annet is never a prospect"))),
        c(e[6], "lead", a(as_of, 12, 10), a(as_of, 12, 10), basis=None,
          _note="Markedsføringskontakt without a legal basis"),
        c(e[7], "lead", a(as_of, 13, 10), a(as_of, 13, 10), marketing=False, basis=None,
          _near=near(("CONSENT-MISSING", "Ikke-markedsføringskontakt, no basis"))),
        c(e[8], "customer", a(as_of, 14, 10), a(as_of, 400, 10), unsub=0,
          _note="Avmeldt fra all e-post = Ja, still Markedsføringskontakt"),
        c(e[9], "customer", a(as_of, 15, 10), a(as_of, 401, 10), unsub=1,
          **fnr(date(1978, 3, 14), 123),
          _near=near(("CRM-MARKETING-AFTER-OPTOUT", "Avmeldt fra all e-post = Nei"))),
        c(e[10], "customer", a(as_of, 16, 10), a(as_of, 402, 10), **fnr(date(1985, 11, 2), 456)),
        c(e[11], "salesqualifiedlead", a(as_of, 17, 10), a(as_of, 403, 10), basis=1,
          **fnr(date(1969, 7, 23), 234)),
    ]
    return numbered(rows, "Post-ID", 199_100_001)
# fmt: on


def fodselsnummer_h(born: date, individual: int) -> str:
    """A synthetic H-number (month + 40, as hospitals assign) with valid mod-11 digits:
    a valid Norwegian national id to a detector, yet no real person's fødselsnummer."""
    base = f"{born.day:02d}{born.month + 40:02d}{born.year % 100:02d}{individual:03d}"
    d = [int(ch) for ch in base]
    k1 = (11 - sum(w * x for w, x in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), d, strict=True)) % 11) % 11
    w2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    k2 = (11 - sum(w * x for w, x in zip(w2, [*d, k1], strict=True)) % 11) % 11
    if 10 in (k1, k2):
        return fodselsnummer_h(born, individual + 1)
    return f"{base}{k1}{k2}"
