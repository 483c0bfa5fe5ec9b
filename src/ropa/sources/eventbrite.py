"""Eventbrite attendee report, with custom questions recognised by meaning.

A column no standard header matched is a custom question; its header decides its name
(case-insensitive, English and Norwegian), checked in this order:
- consent / samtykke -> ``special_consent`` (so "Do you consent to us storing your
  dietary and allergy information?" is the consent question, not a dietary one);
- allerg -> ``allergy``;
- diet / dietary / food / kost / mat -> ``dietary``;
- health / helse / religio -> ``special_other``.
A second question of the same meaning becomes ``dietary_2``, ``allergy_2``, ...
``Order Date`` (``2026-05-03 14:22:10+02:00`` or zone-less) and ``Event Date`` (date or
date-time) become UTC; zone-less date-times are Europe/Oslo local time.
"""

from __future__ import annotations

import re

import pandas as pd

from ropa.sources.canonical import KINDS, vendor_doc
from ropa.sources.common import parse_times

TIMES = ("order_time", "event_time")

QUESTIONS = tuple(
    (name, re.compile(pattern, re.I))
    for name, pattern in vendor_doc("eventbrite")["questions"].items()
)


def question_columns(headers: dict[str, str]) -> dict[str, str]:
    """Frame column -> canonical name for the custom questions among ``headers``."""
    known = set(KINDS["registrations"].columns)
    rename: dict[str, str] = {}
    for col, header in headers.items():
        if col in known or col.startswith("_"):
            continue
        for name, pattern in QUESTIONS:
            if pattern.search(header):
                n = sum(v == name or v.startswith(f"{name}_") for v in rename.values())
                rename[col] = name if n == 0 else f"{name}_{n + 1}"
                break
    return rename


def finish(frame: pd.DataFrame, headers: dict[str, str], problems: list[str]) -> pd.DataFrame:
    parse_times(frame, headers, problems, TIMES)
    rename = question_columns(headers)
    clash = set(rename.values()) & (set(frame.columns) - set(rename))
    rename = {c: n for c, n in rename.items() if n not in clash}
    for col, name in rename.items():
        headers[name] = headers.pop(col)
    return frame.rename(columns=rename)
