"""The columns of the sheets that hold a frame (Data map, Findings, Coverage, ...): the
header and the width of each column, and the names of their Excel tables."""

from __future__ import annotations

from collections.abc import Iterable

from ropa.catalogue import Catalogue
from ropa.findings_schema import WIDTHS as FINDING_WIDTHS

_WIDTHS = {
    **FINDING_WIDTHS,  # the Findings sheet's (and the same names' in other sheets)
    "gap_id": 28,
    "reference": 34,
    "missing": 70,
    "suggested_fix": 60,
    "category": 28,
    "canonical": 18,
    "detected_by": 11,
    "declared": 9,
    "non_empty_share": 10,
    "rows": 9,
    "checked": 9,
    "flagged": 9,
    "not_evaluable": 13,
    "reason": 60,
    "kind": 22,
}
_PERCENT_COLUMNS = {"non_empty_share"}
# Tables and sheets named by their catalogue key, not by their (translated) title.
_TABLE_NAMES = {
    "data_map": "DataMap",
    "findings": "Findings",
    "coverage": "Coverage",
    "changes": "Changes",
    "exceptions": "Exceptions",
    "gaps": "PolicyGaps",
    "sources": "Sources",
}


def frame_columns(t: Catalogue, columns: Iterable[object]) -> tuple[list[str], list[float]]:
    """The header (the catalogue's column name) and the width of every column of a
    frame's sheet, the Findings sheet's among them."""
    names = list(columns)
    return [t.column(c) for c in names], [_WIDTHS.get(str(c), 16) for c in names]
