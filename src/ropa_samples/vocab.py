"""Word lists the sample exports draw from (``vocab.yaml``: Norwegian names, companies,
places, courses, vendor labels), read as tuples.

Free-text vocabularies must stay free of health, diet and belief words, e-mail
addresses, phone numbers and long digit runs: a stray "glutenfri" in a baseline message
would be a real UNDECLARED-DATA finding the manifest does not list. Planted values live
with the generator that plants them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


_WORDS = {
    name: _tuples(value)
    for name, value in yaml.safe_load(
        Path(__file__).with_name("vocab.yaml").read_text(encoding="utf-8")
    ).items()
}
FIRST_NAMES: Any = _WORDS["FIRST_NAMES"]
LAST_NAMES: Any = _WORDS["LAST_NAMES"]
MAIL_DOMAINS: Any = _WORDS["MAIL_DOMAINS"]
COMPANIES: Any = _WORDS["COMPANIES"]
JOB_TITLES: Any = _WORDS["JOB_TITLES"]
PLACES: Any = _WORDS["PLACES"]
STREETS: Any = _WORDS["STREETS"]
STAFF: Any = _WORDS["STAFF"]
COURSES: Any = _WORDS["COURSES"]
TICKET_TYPES: Any = _WORDS["TICKET_TYPES"]
ENVOY_PURPOSES: Any = _WORDS["ENVOY_PURPOSES"]
ENVOY_NOTES: Any = _WORDS["ENVOY_NOTES"]
INQUIRY_MESSAGES: Any = _WORDS["INQUIRY_MESSAGES"]
UNSUB_REASONS: Any = _WORDS["UNSUB_REASONS"]
CAMPAIGN_TITLES: Any = _WORDS["CAMPAIGN_TITLES"]
MC_TAGS: Any = _WORDS["MC_TAGS"]
HUBSPOT_LEAD_STATUS: Any = _WORDS["HUBSPOT_LEAD_STATUS"]
LIFECYCLE: Any = _WORDS["LIFECYCLE"]
MARKETING: Any = _WORDS["MARKETING"]
LEGAL_BASIS: Any = _WORDS["LEGAL_BASIS"]
GA4_PAGES: Any = _WORDS["GA4_PAGES"]
GA4_QUERIES: Any = _WORDS["GA4_QUERIES"]
GA4_REFERRERS: Any = _WORDS["GA4_REFERRERS"]
GA4_EVENTS: Any = _WORDS["GA4_EVENTS"]
GA4_SOURCES: Any = _WORDS["GA4_SOURCES"]
GA4_DEVICES: Any = _WORDS["GA4_DEVICES"]
GA4_BROWSERS: Any = _WORDS["GA4_BROWSERS"]
GA4_GEO: Any = _WORDS["GA4_GEO"]

TRANSLIT = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "ä": "a", "ö": "o", "ü": "u"})


def mail_local(name: str) -> str:
    """'Håkon' -> 'hakon': the part of a name as it goes into an e-mail address."""
    return name.lower().translate(TRANSLIT).replace(" ", "")
