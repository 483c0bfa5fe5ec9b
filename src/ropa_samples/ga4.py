"""GA4 BigQuery export: one daily table as nested JSONL (``events_YYYYMMDD``: every event
of one Oslo calendar day) and a flattened Parquet export spanning ~16 months.

Consent mode is modelled as GA4 records it: without analytics consent an event is a
cookieless ping (no ``user_pseudo_id``); a gclid arrives only with ads consent. Planted
events break that: a gclid without ads consent in ``collected_traffic_source``, as an
``event_params`` key ``gclid``, or in the ``page_location`` query string.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ropa_samples import gen
from ropa_samples.gen import Plan, SampleFile, near
from ropa_samples.people import Extras
from ropa_samples.vocab import (
    GA4_BROWSERS,
    GA4_DEVICES,
    GA4_EVENTS,
    GA4_GEO,
    GA4_PAGES,
    GA4_QUERIES,
    GA4_REFERRERS,
    GA4_SOURCES,
)

SITE = "https://www.metier.no"
OSLO = "Europe/Oslo"
COLUMNS = [
    "event_date",
    "event_timestamp",
    "event_name",
    "user_pseudo_id",
    "user_id",
    "event_params.page_location",
    "event_params.page_referrer",
    "event_params.ga_session_id",
    "event_params.gclid",
    "privacy_info.analytics_storage",
    "privacy_info.ads_storage",
    "collected_traffic_source.gclid",
    "collected_traffic_source.manual_source",
    "geo.country",
    "geo.region",
    "geo.city",
    "device.category",
    "device.web_info.browser",
    "platform",
]
INTS = ["event_timestamp", "event_params.ga_session_id"]
STRINGS = [c for c in COLUMNS if c not in INTS]
OLD_EVENTS = 24  # planted events older than the retention window (fixed, not scaled)


def build(rng: np.random.Generator, as_of: date, plan: Plan, extras: Extras) -> list[SampleFile]:
    shard = as_of.replace(day=1)
    lo = _utc(datetime(shard.year, shard.month, shard.day), local=True)
    hi = _utc(datetime.combine(shard + timedelta(days=1), datetime.min.time()), local=True)
    daily = _frame(rng, plan.other(500), lo, hi, _planted(extras, lo + 3600 * 10**6, []))
    cut = gen.minus_months(as_of, 14)
    cut_us = _utc(datetime(cut.year, cut.month, cut.day))
    end_us = _utc(datetime.combine(as_of + timedelta(days=1), datetime.min.time())) - 1
    old_lo = _utc(datetime.combine(gen.minus_months(as_of, 16), datetime.min.time()))
    old = {
        "ts": np.sort(rng.integers(old_lo, cut_us, OLD_EVENTS)),
        "note": "event older than 14 months",
    }
    boundary = [
        (
            cut_us - 30 * 60 * 10**6,
            "23:30 UTC the day before the cut-off; event_date (Oslo) is the cut-off day",
            "",
        ),
        (cut_us + 10 * 60 * 10**6, "", near(("RET-ANALYTICS", "00:10 UTC on the cut-off day"))),
        (cut_us + 12 * 3600 * 10**6, "", near(("RET-ANALYTICS", "noon UTC on the cut-off day"))),
    ]
    planted = _planted(extras, end_us - 5 * 86_400 * 10**6, boundary)
    n = plan.bulk("analytics", 2000, len(planted) + OLD_EVENTS)
    flat = _frame(rng, n, cut_us, end_us, planted, old)
    return [
        SampleFile(f"ga4/events_{shard:%Y%m%d}.jsonl", "analytics", daily, fmt="jsonl"),
        *(
            SampleFile(f"ga4/events_flat.{fmt}", "analytics", flat, fmt=fmt)
            for fmt in plan.analytics_formats
        ),
    ]


def _utc(dt: datetime, local: bool = False) -> int:
    """Microseconds since the epoch of a naive UTC (or, with ``local``, Oslo) time."""
    ts = pd.Timestamp(dt).tz_localize(OSLO if local else "UTC")
    return int(ts.tz_convert("UTC").value // 1000)


def _events(rng: np.random.Generator, ts: np.ndarray) -> dict[str, Any]:
    n = len(ts)
    consented = gen.chance(rng, 0.72, n)
    refused = ~consented & gen.chance(rng, 0.85, n)  # the rest: consent state unset
    ads_yes = consented & gen.chance(rng, 0.55, n)
    gclid_on = ads_yes & gen.chance(rng, 0.12, n)
    seconds = ts // 10**6
    pseudo = gen.cat(
        gen.digits(rng, n, 10), ".", gen.num(seconds - rng.integers(0, 400 * 86400, n))
    )
    geo = rng.integers(0, len(GA4_GEO), n)
    return {
        "event_timestamp": ts,
        "event_name": gen.pick(rng, GA4_EVENTS, n),
        "user_pseudo_id": gen.where(consented, pseudo, None),
        "user_id": gen.sparse(
            consented & gen.chance(rng, 0.03, n), lambda k: gen.cat("crm-", gen.digits(rng, k, 5))
        ),
        "event_params.page_location": gen.cat(
            SITE, gen.pick(rng, GA4_PAGES, n), gen.pick(rng, GA4_QUERIES, n)
        ),
        "event_params.page_referrer": gen.pick(rng, GA4_REFERRERS, n),
        "event_params.ga_session_id": seconds - rng.integers(0, 1800, n),
        "event_params.gclid": gen.const(None, n),  # only planted events log one
        "privacy_info.analytics_storage": gen.where(
            consented, "Yes", gen.where(refused, "No", None)
        ),
        "privacy_info.ads_storage": gen.where(
            ads_yes, "Yes", gen.where(consented | refused, "No", None)
        ),
        "collected_traffic_source.gclid": gen.sparse(
            gclid_on, lambda k: gen.cat("Cj0KCQjw", gen.letters_id(rng, k, 24))
        ),
        "collected_traffic_source.manual_source": gen.where(
            gclid_on, "google", gen.pick(rng, GA4_SOURCES, n)
        ),
        "geo.country": gen.take([g[0] for g in GA4_GEO], geo),
        "geo.region": gen.take([g[1] for g in GA4_GEO], geo),
        "geo.city": gen.take([g[2] for g in GA4_GEO], geo),
        "device.category": gen.pick(rng, GA4_DEVICES, n),
        "device.web_info.browser": gen.pick(rng, GA4_BROWSERS, n),
        "platform": gen.const("WEB", n),
    }


def _frame(
    rng: np.random.Generator, n: int, lo: int, hi: int, planted: list[dict], old: dict | None = None
) -> pd.DataFrame:
    """Bulk events uniformly in [lo, hi) µs, plus ``old`` events and the planted rows,
    in time order; event_date is the Oslo calendar day, as GA4 writes it."""

    def typed(cols: dict[str, Any], note: str) -> pd.DataFrame:
        m = len(cols["event_timestamp"])
        out = {
            c: (np.asarray(v, dtype=np.int64) if c in INTS else pd.Series(v, dtype="str"))
            for c, v in cols.items()
        }
        return pd.DataFrame(
            {
                **out,
                "_note": pd.Series(gen.const(note, m), dtype="str"),
                "_near": pd.Series(gen.const("", m), dtype="str"),
            }
        )

    names = [c for c in COLUMNS if c != "event_date"] + ["_note", "_near"]
    extra = pd.DataFrame(planted, columns=names).astype(
        {c: (np.int64 if c in INTS else "str") for c in names}
    )
    if old is not None:
        extra = pd.concat([typed(_events(rng, old["ts"]), old["note"]), extra], ignore_index=True)
    bulk_ts = np.sort(rng.integers(lo, hi, n))
    frame = gen.merge(
        typed(_events(rng, bulk_ts), ""),
        extra,
        bulk_ts,
        extra["event_timestamp"].to_numpy(dtype=np.int64),
    )
    ts = frame["event_timestamp"].to_numpy(dtype=np.int64)
    oslo = pd.to_datetime(ts, unit="us", utc=True).tz_convert(OSLO).tz_localize(None)
    day = gen.fmt_times(oslo.to_numpy().astype("datetime64[s]"), "date")
    frame.insert(0, "event_date", pd.Series(pc.replace_substring(day, "-", ""), dtype="str"))
    return frame


# fmt: off
def _planted(extras: Extras, t0: int, boundary: list[tuple[int, str, str]]) -> list[dict]:
    """Consent and identifiability plants at ``t0`` + 7-minute steps, then the boundary
    events (timestamp, note, near-miss text)."""
    e = extras.take(3)
    Unset = object()

    def ev(k: int, ts: int | None = None, analytics: str | None = "Yes",
           ads: str | None = "Yes", pseudo: object = Unset, gclid: str | None = None,
           param_gclid: str | None = None,
           source: str = "(direct)", location: str = "/kurs/prince2-foundation",
           referrer: str = "https://www.google.com/", user_id: str | None = None,
           note: str = "", near_text: str = "") -> dict:
        ts = t0 + k * 7 * 60 * 10**6 if ts is None else ts
        return {
            "event_timestamp": ts, "event_name": "page_view",
            "user_pseudo_id": f"17{k:02d}582931.{ts // 10**6 - 86400}" if pseudo is Unset
            else pseudo,
            "user_id": user_id, "event_params.page_location": SITE + location,
            "event_params.page_referrer": referrer,
            "event_params.ga_session_id": ts // 10**6 - 60, "event_params.gclid": param_gclid,
            "privacy_info.analytics_storage": analytics, "privacy_info.ads_storage": ads,
            "collected_traffic_source.gclid": gclid,
            "collected_traffic_source.manual_source": source,
            "geo.country": "Norway", "geo.region": "Oslo", "geo.city": "Oslo",
            "device.category": "desktop", "device.web_info.browser": "Chrome", "platform": "WEB",
            "_note": note, "_near": near_text,
        }

    gclid = "Cj0KCQjwxPlANtWKsBhDYARIsAKcmQrXbVjZqLupTNqDeoHfw"
    cookie = "COOKIE-NO-CONSENT"
    rows = [
        ev(0, analytics="No", ads="No", note="analytics_storage No, user_pseudo_id set"),
        ev(1, analytics=None, ads=None, note="analytics_storage unset, user_pseudo_id set"),
        ev(2, ads="No", gclid=gclid, source="google", note="ads_storage No, gclid set"),
        ev(3, ads=None, gclid=gclid[::-1], source="google", note="ads_storage unset, gclid set"),
        ev(4, analytics="No", ads="No", pseudo=None,
           near_text=near((cookie, "analytics_storage No, no user_pseudo_id"))),
        ev(5, ads="No", source="google", near_text=near((cookie, "ads_storage No, no gclid"))),
        ev(6, location="/nyhetsbrev/bekreft?email=" + e[0].email.replace("@", "%40"),
           note="URL-encoded e-mail in page_location"),
        ev(7, referrer=SITE + "/kontakt-oss?telefon=%2B47" + e[1].phone,
           note="URL-encoded phone number in page_referrer"),
        ev(8, user_id=e[2].email, note="e-mail address as user_id"),
        ev(9, location="/kurs/agile-project-management?utm_source=newsletter&subscriber="
           + e[0].email, note="plain e-mail in page_location"),
        ev(10, ads="No", source="google", location="/kurs/prince2-foundation?gclid=" + gclid,
           note="ads_storage No, gclid in the page_location query string"),
        ev(11, ads=None, source="google", param_gclid=gclid[::-1],
           note="ads_storage unset, gclid as an event parameter"),
        ev(12, ads="No", location="/kurs/scrum?gclid_like=" + gclid + "&gclid=",
           near_text=near((cookie, "ads_storage No, gclid_like= and an empty gclid="))),
        ev(13, source="google", param_gclid=gclid, location="/kurs/itil?gclid=" + gclid,
           near_text=near((cookie, "gclid parameter and ?gclid= with ads_storage Yes"))),
    ]
    return rows + [ev(0, ts=ts, note=note, near_text=text) for ts, note, text in boundary]
# fmt: on
