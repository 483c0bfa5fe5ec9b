"""The data map: every column of every source, its data category, and whether the
activity the source belongs to declares that category (docs/architecture.md).

Categories come from the column's name (canonical table, then header synonyms) or from
its values (structured detectors on a bounded sample; health terms over the whole
column). Counting (``non_empty_share``) always covers every row. The per-column work
lives in profile.py, which the audit also feeds batch by batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from ropa.dtypes import STRING
from ropa.mapping.column_profile import ColumnProfile
from ropa.mapping.profile import SourceProfile
from ropa.sources.base import Inventory, LoadedSource

DATA_MAP_COLUMNS = [
    "source", "column", "canonical", "category", "detected_by",
    "activity", "declared", "non_empty_share", "rows",
]  # fmt: skip
HEALTH = "user.health_and_medical"


def declares(declared: Iterable[str], category: str) -> bool:
    """Whether a list of declared keys covers ``category`` (a parent key declares its
    children: ``user.contact`` declares ``user.contact.email``)."""
    return any(category == key or category.startswith(key + ".") for key in declared)


def declared_by(policy: Any, activity: str, category: str | None) -> bool | None:
    """Whether ``activity`` of ``policy`` declares ``category`` (None: no category)."""
    if category is None:
        return None
    act = (getattr(policy, "activities", None) or {}).get(activity)
    if act is None:
        return False
    method = getattr(act, "declares", None)
    if callable(method):
        return bool(method(category))
    return declares(getattr(act, "data_categories", None) or [], category)


def column_categories(
    column: str, header: str, series: pd.Series, kind: str
) -> list[tuple[str | None, str | None]]:
    """``(category, detected_by)`` pairs for one column, sorted by category; ``[(None,
    None)]`` when the column holds no recognised personal data."""
    profile = ColumnProfile(column, header, kind)
    profile.add(series)
    return profile.categories()


def profile_source(source: LoadedSource) -> SourceProfile:
    """The profile of a loaded source (its whole frame as one batch)."""
    profile = SourceProfile(source.rel, source.kind, source.activity)
    profile.add(source.frame, source.headers)
    return profile


def data_map_from_profiles(profiles: Iterable[SourceProfile], policy: Any) -> pd.DataFrame:
    """One row per (source, column, category) from profiles gathered by the audit."""
    rows: list[dict[str, Any]] = []
    for profile in sorted(profiles, key=lambda p: p.rel):
        rows.extend(profile.data_map_rows(policy, declared_by))
    return _frame(rows)


def build_data_map(inventory: Inventory, policy: Any) -> pd.DataFrame:
    """One row per (source, column, category); see docs/architecture.md.

    ``policy`` is a ``ropa.policy.Policy`` (anything with ``activities[id]`` carrying
    ``declares(category)`` or ``data_categories``). Sources are ordered by path, columns
    as in the frame, categories alphabetically.
    """
    return data_map_from_profiles((profile_source(s) for s in inventory.sources), policy)


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=DATA_MAP_COLUMNS)
    dtypes = {c: STRING for c in DATA_MAP_COLUMNS[:6]}
    return frame.astype(
        {**dtypes, "declared": "boolean", "non_empty_share": "float64", "rows": "int64"}
    )


def undeclared_columns(data_map: pd.DataFrame, *, skip_empty: bool = True) -> pd.DataFrame:
    """One row per (source, column) holding any category its activity does not declare,
    with the undeclared ``categories`` (sorted list) and how each was ``detected_by``.
    A column without a single non-empty value holds no data and is left out (as
    UNDECLARED-DATA leaves it out); ``skip_empty=False`` keeps it."""
    columns = ["source", "column", "canonical", "activity", "categories", "detected_by"]
    flagged = data_map["category"].notna() & data_map["declared"].eq(False).fillna(False)
    if skip_empty:
        flagged &= data_map["non_empty_share"].gt(0)
    undeclared = data_map[flagged.astype(bool)]
    if undeclared.empty:
        return pd.DataFrame(columns=columns)
    grouped = undeclared.groupby(["source", "column"], sort=False, dropna=False)
    out = grouped.agg(
        canonical=("canonical", "first"),
        activity=("activity", "first"),
        categories=("category", list),
        detected_by=("detected_by", list),
    ).reset_index()
    return out[columns].reset_index(drop=True)
