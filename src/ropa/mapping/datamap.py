"""The data map: every column of every source, its data category, and whether the
activity the source belongs to declares that category (docs/architecture.md).

Categories come from the column's name (canonical table, then header synonyms) or from
its values (structured detectors on a bounded sample; health terms over the whole
column). Counting (``non_empty_share``) always covers every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from ropa.mapping._arrow import is_text
from ropa.mapping.detectors import mentions_health, non_empty, value_category
from ropa.mapping.names import canonical_category, category_from_header, is_canonical
from ropa.sources.base import Inventory, LoadedSource

DATA_MAP_COLUMNS = [
    "source", "column", "canonical", "category", "detected_by",
    "activity", "declared", "non_empty_share", "rows",
]  # fmt: skip
HEALTH = "user.health_and_medical"
SYSTEM_COLUMNS = frozenset({"_source", "_row"})
# Identifier-like categories: a health word inside an e-mail address, a cookie id or a
# card number is a coincidence, not a statement about the person, so these columns are
# not scanned for health terms. Every other text column is (names and notes included).
_NOT_FREE_TEXT = (
    "user.contact.email", "user.contact.phone_number", "user.device", "user.unique_id",
    "user.government_id", "user.financial", "user.location.precise",
)  # fmt: skip


def declares(declared: Iterable[str], category: str) -> bool:
    """Whether a list of declared keys covers ``category`` (a parent key declares its
    children: ``user.contact`` declares ``user.contact.email``)."""
    return any(category == key or category.startswith(key + ".") for key in declared)


def _declared(policy: Any, activity: str, category: str | None) -> bool | None:
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
    found: dict[str, str] = {}
    if is_canonical(column):
        category = canonical_category(column, kind)
        if category:
            found[category] = "name"
    elif category := category_from_header(header):
        found[category] = "name"
    elif category := value_category(series):
        found[category] = "value"
    scan = HEALTH not in found and not any(c.startswith(_NOT_FREE_TEXT) for c in found)
    if scan and is_text(series) and mentions_health(series):
        found[HEALTH] = "value"
    if not found:
        return [(None, None)]
    return sorted(found.items())


def source_rows(source: LoadedSource, policy: Any) -> list[dict[str, Any]]:
    """The data-map rows of one source, in frame column order."""
    frame = source.frame
    rows = len(frame)
    out: list[dict[str, Any]] = []
    for position, column in enumerate(frame.columns):
        if column in SYSTEM_COLUMNS:
            continue
        series = frame.iloc[:, position]  # by position: safe with duplicate headers
        header = source.headers.get(column, column)
        share = float(non_empty(series).sum()) / rows if rows else 0.0
        for category, detected_by in column_categories(column, header, series, source.kind):
            out.append(
                {
                    "source": source.rel,
                    "column": header,
                    "canonical": column if is_canonical(column) else None,
                    "category": category,
                    "detected_by": detected_by,
                    "activity": source.activity,
                    "declared": _declared(policy, source.activity, category),
                    "non_empty_share": share,
                    "rows": rows,
                }
            )
    return out


def build_data_map(inventory: Inventory, policy: Any) -> pd.DataFrame:
    """One row per (source, column, category); see docs/architecture.md.

    ``policy`` is a ``ropa.policy.Policy`` (anything with ``activities[id]`` carrying
    ``declares(category)`` or ``data_categories``). Sources are ordered by path, columns
    as in the frame, categories alphabetically.
    """
    rows: list[dict[str, Any]] = []
    for source in sorted(inventory.sources, key=lambda s: s.rel):
        rows.extend(source_rows(source, policy))
    frame = pd.DataFrame(rows, columns=DATA_MAP_COLUMNS)
    string = pd.StringDtype("pyarrow")
    dtypes = {c: string for c in DATA_MAP_COLUMNS[:6]}
    return frame.astype(
        {**dtypes, "declared": "boolean", "non_empty_share": "float64", "rows": "int64"}
    )


def undeclared_columns(data_map: pd.DataFrame, *, skip_empty: bool = False) -> pd.DataFrame:
    """One row per (source, column) holding any category its activity does not declare,
    with the undeclared ``categories`` (sorted list) and how each was ``detected_by``.
    ``skip_empty`` leaves out columns without a single non-empty value."""
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
