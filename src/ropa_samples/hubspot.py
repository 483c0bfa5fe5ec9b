"""HubSpot contacts exports: the English default export (comma, UTF-8, ``YYYY-MM-DD HH:MM``)
and a Norwegian-UI business-contacts export (semicolon, cp1252, ``dd.mm.yyyy HH:MM``).
Zone-less times are Oslo local time."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ropa_samples import b2b, gen
from ropa_samples.gen import Plan, SampleFile
from ropa_samples.hubspot_rows import (
    EN,
    FIELDS,
    NO,
    YES_NO,
    en_contact,
    en_planted,
    no_planted,
)
from ropa_samples.people import Extras
from ropa_samples.vocab import (
    COMPANIES,
    HUBSPOT_LEAD_STATUS,
    JOB_TITLES,
    LEGAL_BASIS,
    LIFECYCLE,
    MARKETING,
    PLACES,
    STAFF,
)

STAGES = tuple(LIFECYCLE)
PROSPECTS = ("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity")


def build(rng: np.random.Generator, as_of: date, plan: Plan, extras: Extras) -> list[SampleFile]:
    stamp = as_of.isoformat()
    en_rows = gen.planted_frame(EN, en_planted(as_of, extras))
    # RET-B2B's rows: their own generator (spawning leaves ``rng``'s draws as they were)
    # and appended last, so no other value or row number moves.
    ended = gen.planted_frame(EN, b2b.rows(rng.spawn(1)[0], as_of, en_contact))
    en_n, no_n = plan.bulk("crm", 1000, len(en_rows) + len(ended)), plan.other(150)
    en = gen.scatter(gen.frame_of(EN, _bulk(rng, en_n, as_of, 0, 0), en_n), en_rows, rng)
    en = pd.concat([en, ended], ignore_index=True)
    no = gen.scatter(
        gen.frame_of(NO, _bulk(rng, no_n, as_of, 1, en_n), no_n),
        gen.planted_frame(NO, no_planted(as_of, extras)),
        rng,
    )
    return [
        SampleFile(
            f"hubspot/hubspot-crm-exports-all-contacts-{stamp}.csv", "crm", en, email_col="Email"
        ),
        SampleFile(
            f"hubspot/kontakter-bedrift-{stamp}.csv",
            "crm",
            no,
            encoding="cp1252",
            delimiter=";",
            lineterminator="\r\n",
            email_col="E-post",
        ),
    ]


def _bulk(rng: np.random.Generator, n: int, as_of: date, lang: int, offset: int) -> dict:
    """Clean contacts: customers active in the last four financial years, prospects active
    within 700 days, marketing contacts always with a legal basis and never unsubscribed."""
    h = {k: v[lang] for k, v in FIELDS.items()}
    probs = (
        [0.12, 0.18, 0.08, 0.07, 0.06, 0.40, 0.05, 0.04]
        if lang == 0
        else [0.03, 0.07, 0.03, 0.05, 0.07, 0.65, 0.05, 0.05]
    )
    stage = rng.choice(len(STAGES), n, p=probs)
    customer = stage == STAGES.index("customer")
    prospect = np.isin(stage, [STAGES.index(s) for s in PROSPECTS])
    max_ago = np.where(
        customer, (as_of - date(as_of.year - 4, 1, 1)).days, np.where(prospect, 700, 3000)
    )
    ago = (rng.random(n) * (max_ago + 1)).astype(np.int64)
    minutes = rng.integers(7 * 60, 21 * 60, n)
    last = (gen.day(as_of) - ago.astype("timedelta64[D]")).astype("datetime64[s]") + (
        minutes * 60
    ).astype("timedelta64[s]")
    no_activity = gen.chance(rng, 0.15, n)
    created = last - np.where(no_activity, 0, rng.integers(0, 1500, n)).astype("timedelta64[D]")
    style = "iso_m" if lang == 0 else "no_m"
    marketing = gen.chance(rng, np.where(customer | prospect, 0.65, 0.4), n)
    basis = np.where(customer, rng.integers(0, 2, n) * 3, rng.integers(1, 3, n))
    yes, no = YES_NO[0][lang], YES_NO[1][lang]
    unsub = gen.where(
        ~marketing & gen.chance(rng, 0.1, n), yes, gen.where(gen.chance(rng, 0.3, n), no, "")
    )
    who = gen.people(rng, n, 1_000_000 + offset)
    works = gen.chance(rng, 0.7, n)
    cols = {
        h["id"]: gen.num(100_000_000 + offset + rng.permutation(n)),
        h["first"]: who.first,
        h["last"]: who.last,
        h["email"]: who.email,
        h["phone"]: gen.blank(
            gen.phones(rng, n, ("intl_spaced", "intl", "bare")), gen.chance(rng, 0.4, n)
        ),
        h["stage"]: gen.blank(
            gen.take([LIFECYCLE[s][lang] for s in STAGES], stage),
            gen.chance(rng, 0.03, n) & ~customer & ~prospect,
        ),
        h["last_act"]: gen.fmt_times(last, style, no_activity),
        h["created"]: gen.fmt_times(created, style),
        h["marketing"]: gen.where(marketing, MARKETING[True][lang], MARKETING[False][lang]),
        h["basis"]: gen.blank(
            gen.take([b[lang] for b in LEGAL_BASIS], basis), ~marketing & gen.chance(rng, 0.5, n)
        ),
        h["unsub"]: unsub,
        h["company"]: gen.blank(gen.pick(rng, COMPANIES, n), ~works),
        h["title"]: gen.blank(gen.pick(rng, JOB_TITLES, n), ~works),
    }
    if lang == 0:
        no_city = ~gen.chance(rng, 0.6, n)
        cols["Lead Status"] = gen.blank(gen.pick(rng, HUBSPOT_LEAD_STATUS, n), ~prospect)
        cols["Contact owner"] = gen.pick(rng, STAFF, n)
        cols["City"] = gen.blank(
            gen.take([p[0] for p in PLACES], rng.integers(0, len(PLACES), n)), no_city
        )
        cols["Country/Region"] = gen.blank(gen.const("Norway", n), no_city)
    return cols
