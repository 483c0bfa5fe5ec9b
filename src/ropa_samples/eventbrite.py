"""Eventbrite attendee report (UTF-8 with BOM, comma). Event and order times are written
at daytime hours, so the calendar date is the same in UTC and in Oslo."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from ropa_samples import gen
from ropa_samples.gen import Plan, SampleFile, near
from ropa_samples.people import PERSONS, Extras, Who
from ropa_samples.vocab import COMPANIES, COURSES, JOB_TITLES, TICKET_TYPES

CONSENT_Q = "Do you consent to us storing your dietary and allergy information?"
# A custom question columns.yaml does not know (no canonical name, synonym or "not
# personal" header, answers no detector places): the planted UNMAPPED-COLUMN. Added
# after every other draw, so the other columns are the same as without it.
INDUSTRY_Q = "Hvilken bransje jobber du i?"
INDUSTRIES = ("Offentlig sektor", "Bygg og anlegg", "Olje og energi", "IT og telekom",
              "Bank og finans", "Utdanning", "Varehandel", "Konsulentvirksomhet")  # fmt: skip
HEADERS = [
    "Order #",
    "Order Date",
    "First Name",
    "Last Name",
    "Email",
    "Cell Phone",
    "Company",
    "Job Title",
    "Quantity",
    "Ticket Type",
    "Attendee #",
    "Attendee Status",
    "Event Name",
    "Event ID",
    "Event Date",
    "Total Paid",
    "Currency",
    "Dietary requirements",
    "Allergies",
] + [CONSENT_Q]
# Answers the registration form collects (the column is declared for customers).
DIETS = ("Vegetar", "Glutenfri", "Laktosefri", "Halal", "Vegan", "Pescetarianer")
ALLERGIES = ("Nøtter", "Skalldyr", "Egg", "Pollen", "Laktose")
NONE_ANSWERS = ("", "", "", "", "Ingen", "-", "n/a", "Nei")
YES = ("Yes", "Ja", "yes")
ANY_CONSENT = ("Yes", "No", "", "Ja", "Nei")


def _catalogue(as_of: date) -> list[tuple[str, int, datetime, int]]:
    """Scheduled events (name, id, start, price) from ~2 years back to ~4 months ahead."""
    events = []
    for k in range(28):
        name, price = COURSES[k % len(COURSES)]
        start = gen.at(as_of, 700 - k * 30 + (k % 3) * 4, 9)
        events.append((name, 610_000_000_000 + k * 7_919, start, price))
    for year, month in ((as_of.year - 1, 10), (as_of.year, 10)):
        events.append(
            (f"Lederkonferansen {year}", 620_000_000_000 + year, datetime(year, month, 15, 9), 6900)
        )
    return events


def build(rng: np.random.Generator, as_of: date, plan: Plan, extras: Extras) -> list[SampleFile]:
    planted = gen.planted_frame(HEADERS, _planted(as_of, extras))
    n = plan.bulk("registrations", 400, len(planted))
    events = _catalogue(as_of)
    ev = rng.integers(0, len(events), n)
    start = np.array([np.datetime64(e[2], "s") for e in events])[ev]
    ago = (gen.day(as_of) - start.astype("datetime64[D]")).astype(np.int64)
    lead = rng.integers(1, 90, n).astype("timedelta64[D]")  # ordered 1-89 days ahead
    ordered = np.minimum(start.astype("datetime64[D]") - lead, gen.day(as_of))
    ordered = ordered.astype("datetime64[s]") + rng.integers(8 * 3600, 18 * 3600, n).astype(
        "timedelta64[s]"
    )
    by_order = np.argsort(ordered, kind="stable")  # the report lists orders by date
    ev, start, ago, ordered = ev[by_order], start[by_order], ago[by_order], ordered[by_order]
    recent = ago <= 30  # answers are deleted 30 days after the event
    diet_on = recent & gen.chance(rng, 0.35, n)
    allergy_on = recent & gen.chance(rng, 0.15, n)
    ticket = rng.integers(0, len(TICKET_TYPES), n)
    price = np.array([e[3] for e in events])[ev] * np.where(
        ticket == TICKET_TYPES.index("Medlemspris"), 0.9, 1.0
    )
    who = gen.people(rng, n, 2_000_000)
    works = gen.chance(rng, 0.8, n)
    bulk = {
        "Order Date": gen.fmt_times(ordered, "iso_s"),
        "First Name": who.first,
        "Last Name": who.last,
        "Email": who.email,
        "Cell Phone": gen.blank(gen.phones(rng, n, ("bare", "intl")), gen.chance(rng, 0.5, n)),
        "Company": gen.blank(gen.pick(rng, COMPANIES, n), ~works),
        "Job Title": gen.blank(gen.pick(rng, JOB_TITLES, n), ~works),
        "Quantity": gen.const("1", n),
        "Ticket Type": gen.take(TICKET_TYPES, ticket),
        "Attendee Status": gen.where(
            (ago > 0) & gen.chance(rng, 0.9, n), "Checked In", "Attending"
        ),
        "Event Name": gen.take([e[0] for e in events], ev),
        "Event ID": gen.num(np.array([e[1] for e in events])[ev]),
        "Event Date": gen.fmt_times(start, "iso_s"),
        "Total Paid": gen.cat(gen.num(np.round(price)), ".00"),
        "Currency": gen.const("NOK", n),
        "Dietary requirements": gen.where(
            diet_on, gen.pick(rng, DIETS, n), gen.pick(rng, NONE_ANSWERS, n)
        ),
        "Allergies": gen.where(
            allergy_on, gen.pick(rng, ALLERGIES, n), gen.pick(rng, NONE_ANSWERS, n)
        ),
        CONSENT_Q: gen.where(
            diet_on | allergy_on, gen.pick(rng, YES, n), gen.pick(rng, ANY_CONSENT, n)
        ),
    }
    frame = gen.merge(
        gen.frame_of(HEADERS, bulk, n), planted, ordered, gen.text_times(planted["Order Date"])
    )
    m = len(frame)
    frame["Order #"] = pd.Series(
        gen.num(1_100_000_000 + np.cumsum(rng.integers(1, 400, m))), dtype="str"
    )
    frame["Attendee #"] = pd.Series(
        gen.num(1_400_000_000 + np.cumsum(rng.integers(1, 900, m))), dtype="str"
    )
    answered = gen.chance(rng, 0.6, m)
    frame[INDUSTRY_Q] = pd.Series(gen.blank(gen.pick(rng, INDUSTRIES, m), ~answered), dtype="str")
    return [
        SampleFile(
            f"eventbrite/report-attendees-{as_of.isoformat()}.csv",
            "registrations",
            frame,
            encoding="utf-8-sig",
            lineterminator="\r\n",
            email_col="Email",
        )
    ]


# fmt: off
def _reg(w: Who, event: str, start: datetime, diet: str = "", allergy: str = "",
         consent: str = "", **extra: str) -> dict:
    ordered = (start - timedelta(days=21)).replace(hour=10, minute=17, second=42)
    return {
        "Order Date": gen.fmt_one(ordered, "iso_s"), "First Name": w.first, "Last Name": w.last,
        "Email": w.email, "Cell Phone": w.phone, "Company": w.company, "Job Title": w.title,
        "Quantity": "1", "Ticket Type": "Standard", "Attendee Status": "Attending",
        "Event Name": event, "Event ID": str(630_000_000_000 + start.toordinal()),
        "Event Date": gen.fmt_one(start, "iso_s"), "Total Paid": "9900.00", "Currency": "NOK",
        "Dietary requirements": diet, "Allergies": allergy, CONSENT_Q: consent, **extra,
    }


def _planted(as_of: date, extras: Extras) -> list[dict]:
    p, a = PERSONS, gen.at
    future = a(as_of, -21, 9)
    e = extras.take(13)
    y = as_of.year - 6  # the latest financial year whose accounting period has ended
    pe, apm = "Prosjektøkonomi", "Agile Project Management"
    return [
        _reg(p["kari"], apm, future, "Vegetar", consent="Ja"),
        _reg(p["ola"], pe, a(as_of, 10, 9), _note="erasure completed, registration kept"),
        _reg(p["ingrid"], "PRINCE2 Practitioner", a(as_of, 100, 9), "-", consent="No",
             _near=near(("SPECIAL-NO-CONSENT", "dietary answer '-' counts as none"))),
        _reg(p["magnus"], pe, a(as_of, 5, 9), consent="Nei",
             _near=near(("ERASURE-NOT-DONE", "erasure request rejected"))),
        _reg(e[0], pe, datetime(y, 12, 10, 9), _note="event in an expired financial year"),
        _reg(e[1], pe, datetime(y + 1, 1, 12, 9), "Ingen",
             _near=near(("RET-CUSTOMER", "event in the first financial year still kept"),
                        ("SPECIAL-KEPT", "dietary answer 'Ingen' counts as none"))),
        _reg(e[2], apm, future, "Vegetar", consent="No", _note="dietary answer, consent No"),
        _reg(e[3], apm, future, allergy="Nøtter", _note="allergy answer, no consent answer"),
        _reg(e[4], apm, future, "Halal", consent="Nei", _note="dietary answer, consent Nei"),
        _reg(e[5], apm, future, "Ingen",
             _near=near(("SPECIAL-NO-CONSENT", "dietary answer 'Ingen' counts as none"))),
        _reg(e[6], apm, future, "n/a", consent="No",
             _near=near(("SPECIAL-NO-CONSENT", "dietary answer 'n/a' counts as none"))),
        _reg(e[7], apm, future, "Glutenfri", consent="JA ",
             _near=near(("SPECIAL-NO-CONSENT", "consent 'JA ' is an explicit yes"))),
        _reg(e[8], apm, future, allergy="Laktose", consent="yes",
             _near=near(("SPECIAL-NO-CONSENT", "consent 'yes' is an explicit yes"))),
        _reg(e[9], pe, a(as_of, 31, 9), "Vegetar", consent="Yes",
             _note="dietary answer 31 days after the event"),
        _reg(e[10], pe, a(as_of, 30, 9), "Laktosefri", consent="Yes",
             _near=near(("SPECIAL-KEPT", "dietary answer exactly 30 days after the event"))),
        _reg(e[11], "Scrum Master Certification", a(as_of, 200, 9), allergy="Nøtter",
             consent="Ja", _note="allergy answer kept 200 days after the event"),
        _reg(e[12], "Gevinstrealisering i praksis", a(as_of, 90, 9), "Kosher",
             _note="dietary answer without consent, 90 days after the event"),
    ]
# fmt: on
