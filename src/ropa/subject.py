"""Find one data subject in every export: access (Art. 15), portability (20), erasure (17).

This is the one place where ropa handles a person's own values on purpose: the export is
for the data subject and is written only to the file the user names. The console output
shows where the person appears (file, row, activity, categories), not their values.
ropa never edits the sources: for erasure it lists exactly which rows in which files
must go.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from ropa.atomic import PRIVATE, atomic_write
from ropa.errors import UsageError
from ropa.mapping.normalise import normalise_email, normalise_phone
from ropa.mapping.profile import SYSTEM_COLUMNS
from ropa.mapping.text_values import text_array
from ropa.reading import BATCH_ROWS, read_folder
from ropa.sources.base import Inventory, LoadedSource
from ropa.sources.canonical import KEEP_ON_ERASURE
from ropa.sources.common import STRING


@dataclass
class Match:
    source: str
    kind: str
    activity: str
    rows: list[int]
    categories: list[str]
    records: list[dict[str, Any]] = field(repr=False, default_factory=list)


@dataclass
class SubjectReport:
    key: str  # "email" or "phone"
    searched_sources: int
    matches: list[Match]

    @property
    def found(self) -> bool:
        return bool(self.matches)


def _categories(data_map: pd.DataFrame | None, source: str) -> list[str]:
    if data_map is None or data_map.empty:
        return []
    cats = data_map.loc[data_map["source"] == source, "category"].dropna()
    return sorted(set(cats))


def _jsonable(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime | date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


# An e-mail address inside text: the local part and domain as far as they go, so that
# "xkari@example.no" or "kari@example.no.evil" is not kari@example.no.
_EMAIL = re.compile(r"[\w.+'\-]+@[\w\-]+(?:\.[\w\-]+)+")
# Between the digits of a phone number: spaces, dots, dashes, brackets, and their
# percent-escapes (912%2034%20567).
_SEPARATOR = r"(?:[^0-9A-Za-z%]|%[0-9A-Fa-f]{2})*"
E164 = phonenumbers.PhoneNumberFormat.E164


def _decodings(value: str) -> list[str]:
    """The text as written, then percent-decoded until nothing changes (an e-mail in a
    query string of a URL that is itself a parameter is encoded twice). ``+`` stays
    ``+`` (it is part of e-mail addresses and phone numbers)."""
    texts = [value]
    while "%" in texts[-1] and len(texts) < 4:
        decoded = unquote(texts[-1])
        if decoded == texts[-1]:
            break
        texts.append(decoded)
    return texts


@dataclass(frozen=True)
class Wanted:
    """The identifier searched for: ``key`` ("email" or "phone") and its normalised value
    (e-mail trimmed and lower-cased, phone as E.164: what subject keys are made of)."""

    key: str
    value: str

    @classmethod
    def of(cls, email: str | None = None, phone: str | None = None) -> Wanted:
        if bool(email) == bool(phone):
            raise UsageError("give exactly one of --email or --phone")
        key, given = ("email", email) if email else ("phone", phone)
        norm = normalise_email if key == "email" else normalise_phone
        value = norm(pd.Series([given], dtype="string")).iloc[0]
        if value is None or pd.isna(value) or value == "":
            raise UsageError(f"--{key} is not a usable {key}")
        return cls(key, str(value))

    def rows(self, frame: pd.DataFrame) -> pd.Series:
        """Per row of a loaded frame: whether it holds the identifier, in its own column
        (normalised) or anywhere inside the text of any column (free text, URL-decoded
        URLs and query strings: ``?email=kari%40example.no``)."""
        hit = pd.Series(False, index=frame.index)
        columns: tuple[str, ...]
        if self.key == "email":
            columns, norm = ("email",), normalise_email
        else:
            columns, norm = ("phone", "mobile_phone"), normalise_phone
        for col in columns:
            if col in frame.columns:
                hit |= (norm(frame[col]) == self.value).fillna(False).astype(bool)
        for position, col in enumerate(frame.columns):
            if col not in SYSTEM_COLUMNS:
                hit |= self.in_text(frame.iloc[:, position]).to_numpy(dtype=bool)
        return hit

    def in_text(self, series: pd.Series) -> pd.Series:
        """Per value of a column: whether the identifier occurs inside its text. Arrow
        picks the few values that may hold it (the e-mail's longest words, the phone's
        national digits); only those are URL-decoded and searched, once per value."""
        found = pd.Series(False, index=series.index)
        values = text_array(series)
        if values is None or len(values) == values.null_count:
            return found
        may = pc.fill_null(self._may_hold(values), False)
        if isinstance(may, pa.ChunkedArray):
            may = may.combine_chunks() if may.num_chunks else pa.array([], pa.bool_())
        positions = np.flatnonzero(may.to_numpy(zero_copy_only=False))
        if not len(positions):
            return found
        candidates = series.iloc[positions].astype(str)
        holding = self._holding(list(pd.unique(candidates)))
        found.iloc[positions] = candidates.isin(holding).to_numpy(dtype=bool)
        return found

    def _may_hold(self, values: pa.Array | pa.ChunkedArray) -> Any:
        """Per value: whether it may hold the identifier (every word of the e-mail, or
        the phone's national digits with escapes and separators left out)."""
        if pa.types.is_dictionary(values.type):
            values = pc.cast(values, pa.large_string())
        if self.key == "email":
            may = pc.is_valid(values)
            for word in set(re.findall(r"\w+", self.value)):
                may = pc.and_(may, pc.match_substring(values, word, ignore_case=True))
            return may
        national = str(phonenumbers.parse(self.value).national_number)
        return pc.match_substring_regex(values, _SEPARATOR.join(national))

    def _holding(self, values: list[str]) -> set[str]:
        """Those of ``values`` that hold the identifier, as written or URL-decoded."""
        owners: list[str] = []
        found: list[str] = []
        for value in values:
            for text in _decodings(value):
                if self.key == "email":
                    tokens = [m.group(0) for m in _EMAIL.finditer(text)]
                else:  # phonenumbers' own finder of numbers in text (Norway by default)
                    matches = phonenumbers.PhoneNumberMatcher(text, "NO")
                    tokens = [phonenumbers.format_number(m.number, E164) for m in matches]
                owners += [value] * len(tokens)
                found += tokens
        if self.key == "email" and found:  # normalised as every e-mail key is
            found = normalise_email(pd.Series(found, dtype=STRING)).tolist()
        return {owner for owner, token in zip(owners, found, strict=True) if token == self.value}

    def select(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``frame`` that hold the identifier (``collect`` for reading)."""
        return frame.loc[self.rows(frame).to_numpy(dtype=bool)]


def _match(src: LoadedSource, rows: pd.DataFrame, data_map: pd.DataFrame | None) -> Match:
    records = [
        {
            src.headers.get(c, c): _jsonable(v)
            for c, v in rec.items()
            if c not in ("_source", "_row")
        }
        for rec in rows.to_dict("records")
    ]
    return Match(
        source=src.rel,
        kind=src.kind,
        activity=src.activity,
        rows=[int(r) for r in rows["_row"]],
        categories=_categories(data_map, src.rel),
        records=records,
    )


def find_subject(
    inv: Inventory,
    *,
    email: str | None = None,
    phone: str | None = None,
    data_map: pd.DataFrame | None = None,
) -> SubjectReport:
    """Every row, in every source of a loaded inventory, that holds the subject's e-mail
    or phone."""
    wanted = Wanted.of(email, phone)
    matches = []
    for src in inv.sources:
        rows = wanted.select(src.frame)
        if len(rows):
            matches.append(_match(src, rows, data_map))
    return SubjectReport(key=wanted.key, searched_sources=len(inv.sources), matches=matches)


def search_folder(
    data_dir: Path,
    *,
    email: str | None = None,
    phone: str | None = None,
    policy: Any = None,
    progress: Any = None,
    batch_rows: int | None = None,
) -> SubjectReport:
    """``find_subject`` on a data folder read as the audit reads it: analytics batch by
    batch, keeping only the subject's rows; zone-less times in ``policy.timezone``; the
    categories from the folder's data map."""
    wanted = Wanted.of(email, phone)
    read = read_folder(
        Path(data_dir),
        tz=getattr(policy, "timezone", None),
        collect=wanted.select,
        progress=progress,
        batch_rows=batch_rows or BATCH_ROWS,
    )
    data_map = read.data_map(policy) if policy is not None else None
    matches = []
    for src in read.inventory.sources:
        parts = read.collected.get(src.rel) or []
        if parts:
            rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
            matches.append(_match(src, rows, data_map))
    return SubjectReport(
        key=wanted.key, searched_sources=len(read.inventory.sources), matches=matches
    )


def export_json(report: SubjectReport, path: Path, *, as_of: date | None = None) -> None:
    """Write the subject's data as structured JSON (Art. 15 / 20), atomically."""
    doc = {
        "generated_by": "ropa subject",
        "as_of": (as_of or date.today()).isoformat(),
        "searched_sources": report.searched_sources,
        "found_in": [
            {
                "source": m.source,
                "kind": m.kind,
                "activity": m.activity,
                "rows": m.rows,
                "categories": m.categories,
                "records": m.records,
            }
            for m in report.matches
        ],
        "erasure": {
            "delete": [
                {"source": m.source, "rows": m.rows}
                for m in report.matches
                if m.kind not in KEEP_ON_ERASURE
            ],
            "keep": [
                {"source": m.source, "rows": m.rows, "reason": KEEP_ON_ERASURE[m.kind]}
                for m in report.matches
                if m.kind in KEEP_ON_ERASURE
            ],
        },
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), mode=PRIVATE)
