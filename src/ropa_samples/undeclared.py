"""Column-level ground truth. UNDECLARED-DATA: which (file, column) holds a data category
its activity does not declare. Categories come from ``mapping/columns.yaml`` by canonical
name, and from values for what is planted in values: health terms in any text column, a
fødselsnummer in an unrecognised column. UNMAPPED-COLUMN: which column with values no
loader renames and no header pattern of ``columns.yaml`` (synonyms, not personal) or
planted value places. A column without a value is neither."""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from ropa.paths import COLUMNS_FILE
from ropa.sources.canonical import KINDS
from ropa_samples.gen import SampleFile
from ropa_samples.truth import entry

# docs/architecture.md, "Declared data categories per activity" (a parent declares children).
DECLARED = {
    "customers": (
        "user.name",
        "user.contact",
        "user.location.imprecise",
        "user.workplace",
        "user.job_title",
        "user.unique_id",
        "user.behavior.purchase_history",
        "user.financial",
        "user.privacy_preferences",
        "user.health_and_medical",
        "user.demographic.religious_belief",
    ),
    "newsletter": (
        "user.contact.email",
        "user.contact.phone_number",
        "user.content.private",
        "user.privacy_preferences",
    ),
    "business_contacts": (
        "user.name",
        "user.contact",
        "user.workplace",
        "user.job_title",
        "user.unique_id",
        "user.privacy_preferences",
    ),
    "inquiries": ("user.name", "user.contact", "user.content.private"),
    "visitors": (
        "user.name",
        "user.contact.email",
        "user.contact.phone_number",
        "user.workplace",
        "user.behavior",
    ),
    "web": (
        "user.device",
        "user.behavior.browsing_history",
        "user.location.imprecise",
        "user.privacy_preferences",
    ),
    "requests": ("user.name", "user.contact.email", "user.privacy_preferences"),
}
HEALTH = "user.health_and_medical"
NATIONAL_ID = "user.government_id.national_identification_number"
# Deliberately wider than any detector: a stray stem in a baseline value shows up here.
HEALTH_WORDS = (
    r"allerg|intoleran|gluten|laktose|lactose|cøliaki|coeliac|celiac|diabet|halal|kosher|"
    r"vegan|vegetar|nøtt|peanut|\bnuts?\b|religi|gravid|pregnan|medisin|medic|epilep|astma|"
    r"asthma"
)  # RE2 syntax, matched case-insensitively
COLUMNS_YAML = COLUMNS_FILE


@cache
def _doc() -> dict:
    return yaml.safe_load(COLUMNS_YAML.read_text(encoding="utf-8"))


def _table() -> tuple[dict, dict]:
    doc = _doc()
    return dict(doc.get("canonical") or {}), dict(doc.get("by_kind") or {})


def header_known(header: str) -> bool:
    """Whether a header synonym or a not-personal pattern of columns.yaml finds the header
    (normalised as columns.yaml describes: camelCase split, lower case, runs of other
    characters one space)."""
    spaced = re.sub(r"(?<=[a-zæøå0-9])(?=[A-ZÆØÅ])", " ", header).lower()
    text = " ".join(re.sub(r"[^0-9a-zæøåäöüéè]+", " ", spaced).split())
    doc = _doc()
    for synonym in doc.get("header_synonyms") or ():
        if any(re.search(p, text) for p in synonym["match"]) and not any(
            re.search(p, text) for p in synonym.get("unless", ())
        ):
            return True
    return any(re.search(p, text) for p in doc.get("not_personal_headers") or ())


def canonical_name(kind: str, header: str) -> str | None:
    """The canonical column a loader renames ``header`` to (None: unrecognised)."""
    h = header.strip().lower()
    if kind == "registrations":  # custom questions, found by meaning
        if "consent" in h or "samtykke" in h:
            return "special_consent"
        if "allerg" in h:
            return "allergy"
        if any(w in h for w in ("dietary", "food", "kost")):
            return "dietary"
    for name, vendor in KINDS[kind].columns.items():
        if h in {v.strip().lower() for v in vendor}:
            return name
    return None


def category(kind: str, canonical: str) -> str | None:
    names, by_kind = _table()
    if canonical in by_kind.get(kind, {}):
        return by_kind[kind][canonical]
    return names.get(canonical)


def declared(activity: str, cat: str) -> bool:
    return any(cat == d or cat.startswith(d + ".") for d in DECLARED[activity])


def _is_fodselsnummer(v: str) -> bool:
    v = v.strip()
    if not re.fullmatch(r"\d{11}", v):
        return False
    d = [int(c) for c in v]
    k1 = (11 - sum(w * x for w, x in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), d, strict=False)) % 11) % 11
    k2 = (
        11 - sum(w * x for w, x in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), d, strict=False)) % 11
    ) % 11
    return k1 == d[9] and k2 == d[10]


def categories(sf: SampleFile, header: str) -> list[tuple[str, str]]:
    """(category, detected_by) of one written column."""
    values = sf.frame[header]
    if not pd.api.types.is_string_dtype(values):
        values = (
            values.map(lambda v: v if isinstance(v, str) else None)
            if values.dtype == object
            else pd.Series(dtype="str")
        )
    text = pa.array(values.astype("str"), from_pandas=True).drop_null()
    canonical = canonical_name(sf.kind, header)
    found = []
    if canonical is not None:
        cat = category(sf.kind, canonical)
        if cat:
            found.append((cat, "name"))
    else:
        counts = pc.value_counts(pc.utf8_trim_whitespace(text))
        pairs = [
            (v, c)
            for v, c in zip(counts.field(0).to_pylist(), counts.field(1).to_pylist(), strict=True)
            if v
        ]
        total = sum(c for _, c in pairs)
        if total and sum(c for v, c in pairs if _is_fodselsnummer(v)) / total >= 0.8:
            found.append((NATIONAL_ID, "value"))
    health = pc.match_substring_regex(pc.unique(text), HEALTH_WORDS, ignore_case=True)
    if pc.any(health).as_py() and (HEALTH, "name") not in found:
        found.append((HEALTH, "value"))
    return found


def has_value(sf: SampleFile, header: str) -> bool:
    """Whether any cell of the written column holds something (a column with no value
    holds no data: never undeclared, never unmapped)."""
    values = sf.frame[header].dropna()
    if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
        return len(values) > 0  # numbers, times: there or not
    head = values.iloc[:1000].astype(str).str.strip().ne("")
    return bool(head.any() or values.astype(str).str.strip().ne("").any())


def entries(files: list[SampleFile]) -> list[dict]:
    out = []
    for sf in files:
        activity = KINDS[sf.kind].activity
        for header in sf.headers:
            if not has_value(sf, header):
                continue
            bad = [(c, by) for c, by in categories(sf, header) if not declared(activity, c)]
            if bad:
                what = ", ".join(f"{c} (by {by})" for c, by in bad)
                out.append(_column_entry(sf, header, f"{activity} does not declare {what}"))
    return out


def _column_entry(sf: SampleFile, header: str, note: str) -> dict:
    return entry("UNDECLARED-DATA", sf.rel, None, header, note)


def near_misses(files: list[SampleFile]) -> list[dict]:
    """Columns that hold personal data their activity does declare."""
    wanted = {
        "registrations": ("Dietary requirements", "Allergies", "Email"),
        "crm": ("City", "Associated Company"),
        "analytics": ("geo.city", "user_pseudo_id"),
        "visitors": ("Your Phone Number",),
        "inquiries": ("Email",),
    }
    out = []
    for sf in files:
        activity = KINDS[sf.kind].activity
        for header in wanted.get(sf.kind, ()):
            if header in sf.headers:
                cats = categories(sf, header)
                assert cats and all(declared(activity, c) for c, _ in cats), (sf.rel, header)
                declares = ", ".join(c for c, _ in cats)
                out.append(_column_entry(sf, header, f"{activity} declares {declares}"))
    return out


def unmapped_entries(files: list[SampleFile]) -> list[dict]:
    """UNMAPPED-COLUMN: columns with values that nothing places."""
    out = []
    for sf in files:
        for header in sf.headers:
            if (
                canonical_name(sf.kind, header) is None
                and not header_known(header)
                and not categories(sf, header)
                and has_value(sf, header)
            ):
                out.append(
                    entry(
                        "UNMAPPED-COLUMN",
                        sf.rel,
                        None,
                        header,
                        "custom question no loader, synonym or value detector places",
                    )
                )
    return out


def unmapped_near_misses(files: list[SampleFile]) -> list[dict]:
    """Columns a loader does not rename but columns.yaml places by header or a detector
    by value: mapped, so not UNMAPPED-COLUMN."""
    wanted = {
        "analytics": (("event_params.ga_session_id", "session id: known not personal"),
                      ("collected_traffic_source.manual_source", "attribution: not personal")),
        "crm": (("Fødselsnummer", "header synonym: national id"),),
    }  # fmt: skip
    out = []
    for sf in files:
        for header, why in wanted.get(sf.kind, ()):
            if header in sf.headers:
                assert canonical_name(sf.kind, header) is None, (sf.rel, header)
                assert header_known(header) or categories(sf, header), (sf.rel, header)
                out.append(entry("UNMAPPED-COLUMN", sf.rel, None, header, why))
    return out
