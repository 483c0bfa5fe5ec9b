"""Data categories by column name: the canonical table, the header synonyms and the
headers known to hold no personal data.

All live in ``columns.yaml`` beside this module, so another company can extend the
vocabulary without touching code. Canonical columns (the names loaders rename known
vendor headers to) get their category from the ``canonical`` table, with ``by_kind``
overriding it for one source kind. Columns no loader recognised keep their original
header; ``category_from_header`` maps those through the English/Norwegian synonyms and
``not_personal_header`` recognises money, counts, campaign ids and the like.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ropa.paths import COLUMNS_FILE, read_yaml

_CAMEL = re.compile(r"(?<=[a-zæøå0-9])(?=[A-ZÆØÅ])")
_NOT_ALNUM = re.compile(r"[^0-9a-zæøåäöüéè]+")


@dataclass(frozen=True)
class Synonym:
    category: str
    match: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...] = ()

    def matches(self, normalised_header: str) -> bool:
        return any(p.search(normalised_header) for p in self.match) and not any(
            p.search(normalised_header) for p in self.unless
        )


@dataclass(frozen=True)
class ColumnTable:
    canonical: dict[str, str | None]
    by_kind: dict[str, dict[str, str | None]]
    synonyms: tuple[Synonym, ...]
    not_personal: tuple[re.Pattern[str], ...] = ()
    min_share: float = 0.8


@cache
def column_table(path: Path = COLUMNS_FILE) -> ColumnTable:
    """The parsed ``columns.yaml`` (cached: it is read once per process)."""
    doc = read_yaml(path)
    synonyms = tuple(
        Synonym(
            category=entry["category"],
            match=tuple(re.compile(p) for p in entry["match"]),
            unless=tuple(re.compile(p) for p in entry.get("unless", ())),
        )
        for entry in doc.get("header_synonyms", ())
    )
    return ColumnTable(
        canonical=dict(doc.get("canonical") or {}),
        by_kind={k: dict(v or {}) for k, v in (doc.get("by_kind") or {}).items()},
        synonyms=synonyms,
        not_personal=tuple(re.compile(p) for p in doc.get("not_personal_headers") or ()),
        min_share=float((doc.get("value_detection") or {}).get("min_share", 0.8)),
    )


def is_canonical(column: str) -> bool:
    """True for a frame column named by the canonical table (a column a loader renamed)."""
    table = column_table()
    return column in table.canonical or any(column in cols for cols in table.by_kind.values())


def canonical_category(column: str, kind: str) -> str | None:
    """Category of a canonical column in a source of ``kind`` (``by_kind`` first)."""
    table = column_table()
    override = table.by_kind.get(kind, {})
    if column in override:
        return override[column]
    return table.canonical.get(column)


def normalise_header(header: str) -> str:
    """``"OPTIN_IP"`` -> ``"optin ip"``, ``"E-postadresse"`` -> ``"e postadresse"``."""
    spaced = _CAMEL.sub(" ", str(header)).lower()
    return " ".join(_NOT_ALNUM.sub(" ", spaced).split())


def category_from_header(header: str) -> str | None:
    """Category the header of an unrecognised column names, or None."""
    normalised = normalise_header(header)
    for synonym in column_table().synonyms:
        if synonym.matches(normalised):
            return synonym.category
    return None


def not_personal_header(header: str) -> bool:
    """Whether the header is one ``not_personal_headers`` knows (money, counts, ids of
    sessions and campaigns ...). Callers try ``category_from_header`` first."""
    normalised = normalise_header(header)
    return any(p.search(normalised) for p in column_table().not_personal)


def place_headers(headers: Sequence[str]) -> list[tuple[str | None, bool]]:
    """``(category_from_header, placed by name)`` of many headers (a wide file has
    300,000): one RE2 pass over all of them (every pattern of ``columns.yaml`` at once)
    rules out those no pattern can match, and only the rest are looked up one by one.
    The pass is trusted for ASCII headers only, where RE2 and Python's ``re`` agree (a
    ``\\b`` next to "ø" does not); the others are always looked up."""
    maybe = _may_match([normalise_header(h) for h in headers])
    out: list[tuple[str | None, bool]] = []
    for header, candidate in zip(headers, maybe.tolist(), strict=True):
        named = category_from_header(header) if candidate else None
        out.append((named, named is not None or (candidate and not_personal_header(header))))
    return out


def _may_match(normalised: list[str]) -> np.ndarray:
    """Per normalised header: whether a header synonym or a not-personal pattern may
    match it (True when RE2 cannot tell)."""
    table = column_table()
    patterns = [p.pattern for s in table.synonyms for p in s.match]
    patterns += [p.pattern for p in table.not_personal]
    ascii_ = np.array([h.isascii() for h in normalised], dtype=bool)
    if not patterns or not ascii_.any():
        return np.ones(len(normalised), dtype=bool)
    try:
        found = pc.match_substring_regex(
            pa.array(normalised, pa.large_string()), "|".join(f"(?:{p})" for p in patterns)
        )
    except pa.ArrowInvalid:  # a pattern RE2 does not know (a look-around)
        return np.ones(len(normalised), dtype=bool)
    return ~ascii_ | np.asarray(pc.fill_null(found, True).to_numpy(zero_copy_only=False))
