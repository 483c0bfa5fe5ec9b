"""Contact-form and help-desk ticket exports: Gravity Forms, WPForms, Contact Form 7
(Flamingo), Typeform, Jotform, HubSpot form submissions, Zendesk, Freshdesk (see
vendors/forms.yaml and vendors/tickets.yaml for how each is recognised).

A form's own fields carry the labels its owner gave them ("How can we help you?",
"Email Address", "Ditt navn"). A column no vendor header matched is renamed by what its
label means, checked in this order, and only when the frame has no such column yet:
- e-mail / email / epost / e-post -> ``email``;
- first name / fornavn -> ``first_name``; last name / surname / etternavn ->
  ``last_name``; name / navn (not a company, form, page, file or user name) ->
  ``full_name``;
- message / melding / how can we help / comment / kommentar / henvendelse / question /
  spørsmål / enquiry / inquiry -> ``message``;
- phone / telefon / mobil -> ``phone``;
- update / endret / modified with date / dato / time -> ``updated_time``; date / dato
  / submitted / innsendt -> ``created_time``.
A ticket export without a message column (Zendesk's CSV) is still an inquiry export: the
message is simply absent.

Times: a header naming UTC or GMT ("Submit Date (UTC)") is UTC; other zone-less times
(Gravity Forms ``Entry Date``, Zendesk ``Created at``) are local time in the policy's
zone; values with a zone (Flamingo's ISO dates, ``2026-01-05T10:00:00Z``) keep it.
"""

from __future__ import annotations

import re

import pandas as pd

from ropa.sources.canonical import KINDS, vendor_doc
from ropa.sources.common import parse_times

TIMES = ("created_time", "updated_time")

_VOCABULARY = vendor_doc("forms")
MEANINGS = tuple(
    (name, re.compile(pattern, re.I)) for name, pattern in _VOCABULARY["meanings"].items()
)
NOT_A_PERSON = re.compile(_VOCABULARY["not_a_person"], re.I)
_UTC = re.compile(r"\b(utc|gmt)\b", re.I)


def meaning_columns(headers: dict[str, str]) -> dict[str, str]:
    """Frame column -> canonical name for the custom form fields among ``headers``."""
    known = set(KINDS["inquiries"].columns)
    taken = {c for c in headers if c in known}
    rename: dict[str, str] = {}
    for col, header in headers.items():
        if col in known or col.startswith("_"):
            continue
        for name, pattern in MEANINGS:
            if name in taken or not pattern.search(header):
                continue
            if name.endswith("name") and NOT_A_PERSON.search(header):
                continue
            rename[col] = name
            taken.add(name)
            break
    return rename


def finish(frame: pd.DataFrame, headers: dict[str, str], problems: list[str]) -> pd.DataFrame:
    rename = meaning_columns(headers)
    for col, name in rename.items():
        headers[name] = headers.pop(col)
    frame = frame.rename(columns=rename)
    utc = [c for c in TIMES if c in headers and _UTC.search(headers[c])]
    parse_times(frame, headers, problems, utc, tz="UTC")
    parse_times(frame, headers, problems, [c for c in TIMES if c not in utc])
    return frame
