"""Envoy visitor log: the current CSV export (UTC times) and a legacy XLSX with snake_case
headers and real date cells (first sheet, header in row 1)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from ropa_samples import gen
from ropa_samples.gen import Plan, SampleFile, near
from ropa_samples.people import PERSONS, Extras, Who
from ropa_samples.vocab import COMPANIES, ENVOY_NOTES, ENVOY_PURPOSES, STAFF

CURRENT = [
    "Your Full Name",
    "Your Email Address",
    "Your Phone Number",
    "Your Company",
    "Signed in time (UTC)",
    "Signed out time (UTC)",
    "Host",
    "Purpose of visit",
    "Private notes",
    "Photo URL",
    "Location",
]
LEGACY = [
    "your_full_name",
    "your_email_address",
    "signed_in_time_utc",
    "signed_out_time_utc",
    "host",
    "purpose_of_visit",
    "private_notes",
    "photo_url",
]
LOCATION = "Metier OEC Oslo"
PHOTOS = "https://envoy-photos.example/entries/"
LEGACY_ROWS = 48  # a closed archive: not scaled


def build(rng: np.random.Generator, as_of: date, plan: Plan, extras: Extras) -> list[SampleFile]:
    planted = gen.planted_frame(CURRENT, _planted(as_of, extras))
    n = plan.bulk("visitors", 300, len(planted))
    signed_in = np.sort(gen.times(rng, n, as_of, (0, 90), (6, 17), step=1))[::-1]  # newest first
    out = signed_in + rng.integers(20 * 60, 8 * 3600, n).astype("timedelta64[s]")
    who = gen.people(rng, n, 4_000_000)
    bulk = {
        "Your Full Name": who.full,
        "Your Email Address": gen.blank(who.email, gen.chance(rng, 0.15, n)),
        "Your Phone Number": gen.blank(
            gen.phones(rng, n, ("intl", "bare")), gen.chance(rng, 0.4, n)
        ),
        "Your Company": gen.blank(gen.pick(rng, COMPANIES, n), gen.chance(rng, 0.3, n)),
        "Signed in time (UTC)": gen.fmt_times(signed_in, "iso_s"),
        "Signed out time (UTC)": gen.fmt_times(out, "iso_s", gen.chance(rng, 0.1, n)),
        "Host": gen.pick(rng, STAFF, n),
        "Purpose of visit": gen.pick(rng, ENVOY_PURPOSES, n),
        "Private notes": gen.blank(gen.pick(rng, ENVOY_NOTES, n), ~gen.chance(rng, 0.1, n)),
        "Photo URL": gen.blank(
            gen.cat(PHOTOS, gen.hexes(rng, n, 16), ".jpg"), ~gen.chance(rng, 0.4, n)
        ),
        "Location": gen.const(LOCATION, n),
    }
    frame = gen.merge(
        gen.frame_of(CURRENT, bulk, n),
        planted,
        signed_in,
        gen.text_times(planted["Signed in time (UTC)"]),
        descending=True,
    )
    return [
        SampleFile(
            f"envoy/entries-{as_of.isoformat()}.csv",
            "visitors",
            frame,
            email_col="Your Email Address",
        ),
        SampleFile(
            f"envoy/visitors-legacy-{as_of.year - 1}.xlsx",
            "visitors",
            _legacy(rng, as_of),
            fmt="xlsx",
            email_col="your_email_address",
        ),
    ]


# fmt: off
def _visit(w: Who, signed_in: datetime, **extra: str) -> dict:
    signed_out = signed_in + timedelta(hours=2, minutes=5)
    return {
        "Your Full Name": w.full, "Your Email Address": w.email,
        "Your Phone Number": w.phone_intl(False), "Your Company": w.company,
        "Signed in time (UTC)": gen.fmt_one(signed_in, "iso_s"),
        "Signed out time (UTC)": gen.fmt_one(signed_out, "iso_s"),
        "Host": STAFF[len(w.email) % len(STAFF)], "Purpose of visit": "Møte",
        "Location": LOCATION, **extra,
    }


def _planted(as_of: date, extras: Extras) -> list[dict]:
    p, a = PERSONS, gen.at
    e = extras.take(6)
    notes, photo = "Private notes", "Photo URL"
    return [
        _visit(p["kari"], a(as_of, 12, 8, 2, 11), **{"Purpose of visit": "Kurs"}),
        _visit(p["ola"], a(as_of, 20, 9, 14, 3), _note="erasure completed, visit still logged"),
        _visit(p["lars"], a(as_of, 40, 10),
               _near=near(("ERASURE-NOT-DONE", "erasure request still in progress"))),
        _visit(p["magnus"], a(as_of, 15, 12, 30), **{notes: "Kom sammen med kollega"},
               _near=near(("ERASURE-NOT-DONE", "erasure request rejected"))),
        _visit(e[0], a(as_of, 91, 8), _note="signed in 91 days before as_of"),
        _visit(e[1], a(as_of, 91, 23, 59, 59), _note="91 days before as_of, late evening UTC"),
        _visit(e[2], a(as_of, 200, 13), **{notes: "Besøkskort ikke returnert"},
               _note="signed in 200 days before as_of"),
        _visit(e[3], a(as_of, 90, 7, 30), **{photo: PHOTOS + "5d0c4e2a9b7f1c38.jpg"},
               _near=near(("RET-VISITOR", "signed in exactly 90 days before as_of"))),
        _visit(e[4], a(as_of, 90, 0, 0, 5),
               _near=near(("RET-VISITOR", "90 days before as_of, just after midnight UTC"))),
        _visit(e[5], a(as_of, 0, 7, 45), **{notes: "Trenger parkeringsbevis"}),
    ]
# fmt: on


def _legacy(rng: np.random.Generator, as_of: date) -> pd.DataFrame:
    """The previous year's visitor log, kept in a spreadsheet nobody deleted."""
    n = LEGACY_ROWS
    year = as_of.year - 1
    start = np.datetime64(f"{year}-01-02T00:00:00")
    span = (np.datetime64(f"{year}-12-20T00:00:00") - start).astype(np.int64)
    signed_in = np.sort(start + (rng.integers(0, span // 60, n) * 60).astype("timedelta64[s]"))[
        ::-1
    ]
    who = gen.people(rng, n, 4_900_000)
    frame = pd.DataFrame(
        {
            "your_full_name": who.full.to_pylist(),
            "your_email_address": who.email.to_pylist(),
            "signed_in_time_utc": signed_in.astype("datetime64[us]").tolist(),
            "signed_out_time_utc": (signed_in + np.timedelta64(5400, "s"))
            .astype("datetime64[us]")
            .tolist(),
            "host": gen.pick(rng, STAFF, n).to_pylist(),
            "purpose_of_visit": gen.pick(rng, ENVOY_PURPOSES, n).to_pylist(),
            "private_notes": gen.blank(
                gen.pick(rng, ENVOY_NOTES, n), ~gen.chance(rng, 0.2, n)
            ).to_pylist(),
            "photo_url": gen.blank(
                gen.cat(PHOTOS, gen.hexes(rng, n, 16), ".jpg"), ~gen.chance(rng, 0.5, n)
            ).to_pylist(),
            "_note": [f"legacy {year} visitor log"] * n,
            "_near": [""] * n,
        },
        dtype=object,
    )
    sigrid = PERSONS["sigrid"]
    k = n // 2
    frame.loc[k, ["your_full_name", "your_email_address", "_note"]] = [
        sigrid.full,
        sigrid.email,
        f"legacy {year} visitor log; erasure completed",
    ]
    return frame


def write_xlsx(frame: pd.DataFrame, path: Path, created: datetime) -> None:
    """Write with fixed document properties so the same data gives the same bytes."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_urls": False})
    wb.set_properties({"created": created, "author": "Envoy", "title": "Visitors"})
    ws = wb.add_worksheet("Visitors")
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    headers = list(frame.columns)
    for c, h in enumerate(headers):
        ws.write_string(0, c, h)
    for r, values in enumerate(frame.itertuples(index=False), start=1):
        for c, v in enumerate(values):
            if isinstance(v, datetime):
                ws.write_datetime(r, c, v, when)
            elif v not in ("", None):
                ws.write_string(r, c, str(v))
    wb.close()
