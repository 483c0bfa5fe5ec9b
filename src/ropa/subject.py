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
from ropa.sources.base import Inventory

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


def find_subject(
    inv: Inventory,
    *,
    email: str | None = None,
    phone: str | None = None,
    data_map: pd.DataFrame | None = None,
) -> SubjectReport:
    """Every row, in every loaded source, whose normalised e-mail or phone is the subject's."""
    from ropa.mapping import normalise_email, normalise_phone

    if bool(email) == bool(phone):
        raise UsageError("give exactly one of --email or --phone")
    if email:
        key, column, norm = "email", "email", normalise_email
        wanted = norm(pd.Series([email], dtype="string")).iloc[0]
    else:
        key, column, norm = "phone", "phone", normalise_phone
        wanted = norm(pd.Series([phone], dtype="string")).iloc[0]
    if wanted is None or pd.isna(wanted) or wanted == "":
        raise UsageError(f"--{key} is not a usable {key}")

    matches: list[Match] = []
    for src in inv.sources:
        hit = pd.Series(False, index=src.frame.index)
        for col in (column, "mobile_phone") if key == "phone" else (column,):
            if col in src.frame.columns:
                hit |= (norm(src.frame[col]) == wanted).fillna(False).astype(bool)
        if not hit.any():
            continue
        rows = src.frame.loc[hit]
        records = [
            {
                src.headers.get(c, c): _jsonable(v)
                for c, v in rec.items()
                if c not in ("_source", "_row")
            }
            for rec in rows.to_dict("records")
        ]
        matches.append(
            Match(
                source=src.rel,
                kind=src.kind,
                activity=src.activity,
                rows=[int(r) for r in rows["_row"]],
                categories=_categories(data_map, src.rel),
                records=records,
            )
        )
    return SubjectReport(key=key, searched_sources=len(inv.sources), matches=matches)


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
