"""Mailchimp audience exports: subscribed, unsubscribed and cleaned members (UTF-8, comma,
UTC times ``YYYY-MM-DD HH:MM:SS``)."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np

from ropa_samples import gen
from ropa_samples.gen import Plan, SampleFile, near
from ropa_samples.people import PERSONS, Extras, Who
from ropa_samples.vocab import CAMPAIGN_TITLES, MC_TAGS, PLACES, STREETS, UNSUB_REASONS

HEAD = [
    "Email Address",
    "First Name",
    "Last Name",
    "Address",
    "Phone Number",
    "MEMBER_RATING",
    "OPTIN_TIME",
    "OPTIN_IP",
    "CONFIRM_TIME",
    "CONFIRM_IP",
    "LATITUDE",
    "LONGITUDE",
    "GMTOFF",
    "DSTOFF",
    "TIMEZONE",
    "CC",
    "REGION",
    "LAST_CHANGED",
]
TAIL = ["LEID", "EUID", "NOTES", "TAGS"]
UNSUB = [
    "UNSUB_TIME",
    "UNSUB_CAMPAIGN_TITLE",
    "UNSUB_CAMPAIGN_ID",
    "UNSUB_REASON",
    "UNSUB_REASON_OTHER",
]
CLEAN = ["CLEAN_TIME", "CLEAN_CAMPAIGN_TITLE", "CLEAN_CAMPAIGN_ID"]
RESIDUE = [
    "First Name",
    "Last Name",
    "Address",
    "Phone Number",
    "OPTIN_IP",
    "CONFIRM_IP",
    "LATITUDE",
    "LONGITUDE",
]
LOCATION = ["GMTOFF", "DSTOFF", "TIMEZONE", "CC", "REGION"]
IP_NETS = ("192.0.2.", "198.51.100.", "203.0.113.")  # documentation ranges (RFC 5737)
BASE = {"subscribed": 600, "unsubscribed": 80, "cleaned": 40}


def build(rng: np.random.Generator, as_of: date, plan: Plan, extras: Extras) -> list[SampleFile]:
    stamp = as_of.isoformat()
    out = []
    offset = 0
    for status, planted in (
        ("subscribed", _subscribed_planted),
        ("unsubscribed", _unsubscribed_planted),
        ("cleaned", _cleaned_planted),
    ):
        headers = HEAD + {"subscribed": [], "unsubscribed": UNSUB, "cleaned": CLEAN}[status] + TAIL
        rows = gen.planted_frame(headers, planted(as_of, extras))
        n = plan.bulk(f"newsletter_{status}", BASE[status], len(rows))
        bulk = _members(rng, n, as_of, offset, status)
        offset += n
        frame = gen.scatter(gen.frame_of(headers, bulk, n), rows, rng)
        out.append(
            SampleFile(
                f"mailchimp/{status}_members_export_{stamp}.csv",
                f"newsletter_{status}",
                frame,
                email_col="Email Address",
            )
        )
    return out


def _members(rng: np.random.Generator, n: int, as_of: date, offset: int, status: str) -> dict:
    """Bulk members. Subscribed and cleaned keep the whole record; unsubscribed keep only
    the suppression minimum (e-mail, consent times, ids, the unsubscribe itself)."""
    who = gen.people(rng, n, 3_000_000 + offset)
    place = rng.integers(0, len(PLACES), n)
    region = gen.take([p[1] for p in PLACES], place)
    zips = np.array([p[2] for p in PLACES])[place] + rng.integers(0, 9, n)
    addr = gen.cat(
        gen.pick(rng, STREETS, n),
        " ",
        gen.num(rng.integers(1, 80, n)),
        "  ",
        gen.take([p[0] for p in PLACES], place),
        "  ",
        region,
        "  ",
        gen.num(zips, 4),
        "  NO",
    )
    no_geo = ~gen.chance(rng, 0.6, n)
    jitter = rng.normal(0, 0.02, (2, n))
    ip = gen.cat(gen.pick(rng, IP_NETS, n), gen.num(rng.integers(1, 255, n)))
    first_ago = (900, 2000) if status == "unsubscribed" else (40, 1800)
    optin = gen.times(rng, n, as_of, first_ago, (0, 24), step=1)
    unconfirmed = ~gen.chance(rng, 0.85, n)
    confirm = optin + rng.integers(20, 900, n).astype("timedelta64[s]")
    cols = {
        "Email Address": who.email,
        "First Name": gen.blank(who.first, gen.chance(rng, 0.05, n)),
        "Last Name": gen.blank(who.last, gen.chance(rng, 0.08, n)),
        "Address": gen.blank(addr, ~gen.chance(rng, 0.35, n)),
        "Phone Number": gen.blank(gen.phones(rng, n, ("intl_spaced",)), ~gen.chance(rng, 0.3, n)),
        "MEMBER_RATING": gen.num(rng.integers(1, 6, n)),
        "OPTIN_TIME": gen.fmt_times(optin, "iso_s"),
        "OPTIN_IP": ip,
        "CONFIRM_TIME": gen.fmt_times(confirm, "iso_s", unconfirmed),
        "CONFIRM_IP": gen.blank(ip, unconfirmed),
        "LATITUDE": gen.blank(
            gen.decimals(np.array([p[3] for p in PLACES])[place] + jitter[0], 4), no_geo
        ),
        "LONGITUDE": gen.blank(
            gen.decimals(np.array([p[4] for p in PLACES])[place] + jitter[1], 4), no_geo
        ),
        "GMTOFF": gen.blank(gen.const("1", n), no_geo),
        "DSTOFF": gen.blank(gen.const("2", n), no_geo),
        "TIMEZONE": gen.blank(gen.const("Europe/Oslo", n), no_geo),
        "CC": gen.blank(gen.const("NO", n), no_geo),
        "REGION": gen.blank(region, no_geo),
        "LEID": gen.digits(rng, n, 9),
        "EUID": gen.hexes(rng, n, 10),
        "TAGS": gen.pick(rng, MC_TAGS, n),
    }
    if status == "subscribed":
        changed = gen.times(rng, n, as_of, (0, 39), (0, 24), step=1)
    elif status == "unsubscribed":
        changed = gen.times(rng, n, as_of, (1, 890), (0, 24), step=1)
        cols.update(
            {
                "UNSUB_TIME": gen.fmt_times(changed, "iso_s"),
                "UNSUB_CAMPAIGN_TITLE": gen.pick(rng, CAMPAIGN_TITLES, n),
                "UNSUB_CAMPAIGN_ID": gen.hexes(rng, n, 10),
                "UNSUB_REASON": gen.pick(rng, UNSUB_REASONS, n),
            }
        )
        for h in RESIDUE + LOCATION:  # stripped to the suppression minimum
            del cols[h]
    else:
        changed = gen.times(rng, n, as_of, (0, 30), (0, 24), step=1)
        cols.update(
            {
                "CLEAN_TIME": gen.fmt_times(changed, "iso_s"),
                "CLEAN_CAMPAIGN_TITLE": gen.pick(rng, CAMPAIGN_TITLES, n),
                "CLEAN_CAMPAIGN_ID": gen.hexes(rng, n, 10),
            }
        )
    cols["LAST_CHANGED"] = gen.fmt_times(changed, "iso_s")
    return cols


# fmt: off
def _row(w: Who, optin: datetime | None, confirm: datetime | None, changed: datetime,
         full: bool = True, cells: dict[str, str] | None = None, **extra: str) -> dict:
    """A planted member; ``full`` keeps name, address, phone, IPs and geolocation;
    ``cells`` (any header) and ``extra`` (headers that are identifiers) override."""
    ip = f"203.0.113.{10 + len(w.email) % 200}"
    row = {
        "Email Address": w.email, "MEMBER_RATING": "3",
        "OPTIN_TIME": gen.fmt_one(optin, "iso_s"), "CONFIRM_TIME": gen.fmt_one(confirm, "iso_s"),
        "LAST_CHANGED": gen.fmt_one(changed, "iso_s"), "LEID": f"7{len(w.email):02d}{w.phone[:6]}",
        "EUID": (w.phone + "abcdef")[::-1][:10], "TAGS": '"Nyhetsbrev"',
    }
    if full:
        lat, lon = w.latlong
        row.update({
            "First Name": w.first, "Last Name": w.last, "Address": w.address(),
            "Phone Number": w.phone_intl(), "OPTIN_IP": ip if optin else "",
            "CONFIRM_IP": ip if confirm else "", "LATITUDE": lat, "LONGITUDE": lon,
            "GMTOFF": "1", "DSTOFF": "2", "TIMEZONE": "Europe/Oslo", "CC": "NO",
            "REGION": PLACES[w.place][1],
        })
    return {**row, **(cells or {}), **extra}


def _subscribed_planted(as_of: date, extras: Extras) -> list[dict]:
    p, a = PERSONS, gen.at
    e = extras.take(5)
    return [
        _row(p["kari"], a(as_of, 700, 9, 14, 2), a(as_of, 700, 9, 15, 40), a(as_of, 20, 8)),
        _row(p["ola"], a(as_of, 400, 19, 2, 11), a(as_of, 400, 19, 3, 1), a(as_of, 12, 6),
             _note="erasure completed, still subscribed"),
        _row(p["nora"], a(as_of, 300, 7, 45), a(as_of, 300, 7, 46), a(as_of, 30, 10),
             _near=near(("ERASURE-NOT-DONE", "erasure completed on the audit date, not before"))),
        _row(e[0], None, None, a(as_of, 90, 11), TAGS='"Import 2019"',
             _note="imported: no OPTIN_TIME, no CONFIRM_TIME"),
        _row(e[1], None, None, a(as_of, 15, 11), full=False,
             _note="no OPTIN_TIME, no CONFIRM_TIME"),
        _row(e[2], None, a(as_of, 200, 13), a(as_of, 25, 13),
             _near=near(("CONSENT-MISSING", "OPTIN_TIME empty but CONFIRM_TIME set"))),
        _row(e[3], a(as_of, 210, 13), None, a(as_of, 26, 13),
             _near=near(("CONSENT-MISSING", "CONFIRM_TIME empty but OPTIN_TIME set"))),
        _row(e[4], a(as_of, 500, 8), a(as_of, 500, 8, 5), a(as_of, 3, 8),
             NOTES="Ønsker glutenfri lunsj når hun er på kurs",
             _note="NOTES mentions a diet (health) term"),
    ]


def _unsubscribed_planted(as_of: date, extras: Extras) -> list[dict]:
    p, a = PERSONS, gen.at
    e = extras.take(7)
    lat, lon = e[4].latlong
    kept = "unsubscribed export may keep the suppression record"

    def unsub(w: Who, days: int, full: bool = False, cells: dict[str, str] | None = None,
              **extra: str) -> dict:
        t = a(as_of, days, 10, 30)
        return _row(w, a(as_of, 1500, 9), a(as_of, 1500, 9, 2), t, full, cells, **{
            "UNSUB_TIME": gen.fmt_one(t, "iso_s"), "UNSUB_CAMPAIGN_TITLE": "Nyhetsbrev juni",
            "UNSUB_CAMPAIGN_ID": "4f1c9a7e20", "UNSUB_REASON": UNSUB_REASONS[0], **extra})

    return [
        unsub(p["ingrid"], 120),
        unsub(p["ola"], 70, _near=near(("ERASURE-NOT-DONE", kept))),
        unsub(p["sigrid"], 180, _near=near(("ERASURE-NOT-DONE", kept))),
        unsub(p["jonas"], 45),
        unsub(p["henrik"], 60),
        unsub(e[0], 100, cells={"First Name": e[0].first, "Last Name": e[0].last},
              _note="name kept after unsubscribe"),
        unsub(e[1], 200, cells={"Phone Number": e[1].phone_intl()}, _note="phone kept"),
        unsub(e[2], 300, Address=e[2].address(7), _note="street address kept"),
        unsub(e[3], 40, OPTIN_IP="198.51.100.23", CONFIRM_IP="198.51.100.23", _note="IPs kept"),
        unsub(e[4], 41, LATITUDE=lat, LONGITUDE=lon, _note="geolocation kept"),
        unsub(e[5], 500, full=True, _note="whole record kept"),
        unsub(e[6], 33, GMTOFF="1", DSTOFF="2", TIMEZONE="Europe/Oslo", CC="NO",
              REGION="Vestland", UNSUB_REASON="Other (fill in reason below)",
              UNSUB_REASON_OTHER="For mange e-poster",
              _near=near(("UNSUB-RESIDUE", "only timezone, country and region kept"))),
    ]


def _cleaned_planted(as_of: date, extras: Extras) -> list[dict]:
    p, a = PERSONS, gen.at
    e = extras.take(4)

    def cleaned(w: Who, days: int, hh: int = 12, mm: int = 0, ss: int = 0, **extra: str) -> dict:
        t = a(as_of, days, hh, mm, ss)
        return _row(w, a(as_of, 1200, 9), a(as_of, 1200, 9, 3), t, True, {
            "CLEAN_TIME": gen.fmt_one(t, "iso_s"), "CLEAN_CAMPAIGN_TITLE": "Kurskalender høst",
            "CLEAN_CAMPAIGN_ID": "9b2e77d410"}, **extra)

    return [
        cleaned(p["emma"], 10),
        cleaned(p["sigrid"], 160, _note="erasure completed, address still in cleaned export"),
        cleaned(e[0], 31, _note="cleaned 31 days before as_of"),
        cleaned(e[1], 200, 3, 15, _note="cleaned 200 days before as_of"),
        cleaned(e[2], 800, 22, 40, _note="bounced over two years ago, never deleted"),
        cleaned(e[3], 30, 23, 59, 59,
                _near=near(("CLEANED-KEPT", "cleaned exactly 30 days before (23:59:59 UTC)"))),
    ]
# fmt: on
