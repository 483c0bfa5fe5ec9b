"""Find one data subject in every export: access (Art. 15), portability (20), erasure (17).

This is the one place where ropa handles a person's own values on purpose: the export is
for the data subject and is written only to the file the user names. The console output
shows where the person appears (file, row, activity, categories), not their values.
ropa never edits the sources: for erasure it lists exactly which rows in which files
must go.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ropa.errors import UsageError
from ropa.mapping.normalise import normalise_email, normalise_phone
from ropa.sources.base import Inventory, LoadedSource

# Records the policy lets the controller keep after an erasure (same as ERASURE-NOT-DONE).
KEEP_ON_ERASURE = {
    "requests": "documents the request itself (Art. 5(2) accountability)",
    "newsletter_unsubscribed": "suppression record, so no more newsletters are sent (policy 1.2)",
}


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
        """Per row of a loaded frame: whether it holds the identifier."""
        hit = pd.Series(False, index=frame.index)
        columns: tuple[str, ...]
        if self.key == "email":
            columns, norm = ("email",), normalise_email
        else:
            columns, norm = ("phone", "mobile_phone"), normalise_phone
        for col in columns:
            if col in frame.columns:
                hit |= (norm(frame[col]) == self.value).fillna(False).astype(bool)
        return hit

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
    from ropa.reading import BATCH_ROWS, read_folder

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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=2, sort_keys=True)
            fh.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
