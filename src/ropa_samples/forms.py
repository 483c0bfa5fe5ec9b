"""Contact-form entries, Gravity Forms style: TAB-delimited UTF-8, Oslo local times
``YYYY-MM-DD HH:MM:SS``; messages may hold quoted line breaks."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd

from ropa_samples import gen
from ropa_samples.gen import Plan, SampleFile, near
from ropa_samples.people import PERSONS, Extras, Who
from ropa_samples.vocab import GA4_PAGES, INQUIRY_MESSAGES

HEADERS = [
    "Entry Id",
    "Date Created",
    "Name (First)",
    "Name (Last)",
    "Email",
    "Phone",
    "Message",
    "User IP",
    "Source Url",
    "Last Updated",
]
SITE = "https://www.metier.no"


def build(rng: np.random.Generator, as_of: date, plan: Plan, extras: Extras) -> list[SampleFile]:
    planted = gen.planted_frame(HEADERS, _planted(as_of, extras))
    n = plan.bulk("inquiries", 200, len(planted))
    minutes = rng.integers(7 * 60, 22 * 60, n) * 60 + rng.integers(0, 60, n)
    created = (gen.day(as_of) - rng.integers(0, 331, n).astype("timedelta64[D]")).astype(
        "datetime64[s]"
    ) + minutes.astype("timedelta64[s]")
    created = np.sort(created)[::-1]  # newest entry first, as Gravity Forms lists them
    room = (gen.day(as_of) - created.astype("datetime64[D]")).astype(np.int64)
    later = np.minimum(rng.integers(0, 31, n), room).astype("timedelta64[D]")
    updated = created + later + rng.integers(0, 600, n).astype("timedelta64[s]")
    who = gen.people(rng, n, 6_000_000)
    bulk = {
        "Date Created": gen.fmt_times(created, "iso_s"),
        "Name (First)": who.first,
        "Name (Last)": who.last,
        "Email": who.email,
        "Phone": gen.blank(gen.phones(rng, n, ("bare", "intl_spaced")), gen.chance(rng, 0.5, n)),
        "Message": gen.pick(rng, INQUIRY_MESSAGES, n),
        "User IP": gen.cat("198.51.100.", gen.num(rng.integers(1, 255, n))),
        "Source Url": gen.cat(SITE, gen.pick(rng, GA4_PAGES, n)),
        "Last Updated": gen.fmt_times(updated, "iso_s", gen.chance(rng, 0.4, n)),
    }
    frame = gen.merge(
        gen.frame_of(HEADERS, bulk, n),
        planted,
        created,
        gen.text_times(planted["Date Created"]),
        descending=True,
    )
    frame["Entry Id"] = pd.Series(gen.num(np.arange(len(frame), 0, -1) + 1040), dtype="str")
    return [
        SampleFile(
            "forms/contact-form-entries.csv",
            "inquiries",
            frame,
            delimiter="\t",
            lineterminator="\r\n",
            email_col="Email",
        )
    ]


# fmt: off
def _entry(w: Who, created: datetime, updated: datetime | None, message: str, email: str = "",
           **extra: str) -> dict:
    return {
        "Date Created": gen.fmt_one(created, "iso_s"), "Name (First)": w.first,
        "Name (Last)": w.last, "Email": email or w.email, "Phone": w.phone, "Message": message,
        "User IP": f"203.0.113.{40 + len(w.last)}", "Source Url": SITE + "/kontakt-oss",
        "Last Updated": gen.fmt_one(updated, "iso_s"), **extra,
    }


def _planted(as_of: date, extras: Extras) -> list[dict]:
    p, a = PERSONS, gen.at
    e = extras.take(8)
    m = INQUIRY_MESSAGES
    return [
        _entry(p["kari"], a(as_of, 40, 10, 5, 12), None, m[4], email="  Kari.Nordmann@Example.no "),
        _entry(p["ola"], a(as_of, 80, 14, 0, 30), a(as_of, 79, 9, 12), m[1],
               _note="erasure completed, inquiry kept"),
        _entry(e[0], a(as_of, 380, 11), a(as_of, 366, 12), m[0],
               _note="last updated 366 days before as_of"),
        _entry(e[1], a(as_of, 400, 15, 20), None, m[3],
               _note="created 400 days ago, never updated"),
        _entry(e[2], a(as_of, 372, 10), a(as_of, 365, 0, 30), m[6],
               _note="updated 00:30 Oslo time = 22:30 UTC the day before: 366 days"),
        _entry(e[3], a(as_of, 370, 9), a(as_of, 365, 12), m[2],
               _near=near(("RET-INQUIRY", "last updated exactly 365 days before as_of"))),
        _entry(e[4], a(as_of, 500, 9), a(as_of, 100, 12), m[8],
               _near=near(("RET-INQUIRY", "created 500 days ago but updated 100 days ago"))),
        _entry(e[5], a(as_of, 8, 16, 45), None,
               "Hei!\nJeg har cøliaki og trenger glutenfri lunsj på kurset. Er det mulig?",
               _note="message mentions a health condition"),
        _entry(e[6], a(as_of, 3, 11, 10), a(as_of, 2, 8),
               "Deltakeren vår har nøtteallergi – kan dere ta hensyn til det i lunsjen?",
               _note="message mentions an allergy"),
        _entry(e[7], a(as_of, 1, 23, 50), None, m[9]),
    ]
# fmt: on
