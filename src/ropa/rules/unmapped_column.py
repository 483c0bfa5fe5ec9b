"""UNMAPPED-COLUMN: every column with values is placed in the data map.

Runs on the data map (one row per source x column x category). A column is placed when
a loader renamed it to a canonical column, a header synonym or a value detector gave it
a data category, or ``not_personal_headers`` (mapping/columns.yaml) knows its header;
the data map then shows a category or ``detected_by``. A column none of them placed,
yet holding values, is an unknown header variant the audit would otherwise drop
silently: a low-severity finding that names the header and how full the column is,
never a value. A column without a value is not flagged.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.findings import make_findings
from ropa.identity import SEP, hash_ids
from ropa.rules import expr as X
from ropa.rules.base import STRING, Context, Rule
from ropa.rules.values import text


def fill_share(frame: pd.DataFrame) -> pd.Series:
    """``non_empty_share`` as a number (null when the map does not say)."""
    if "non_empty_share" not in frame:
        return pd.Series(float("nan"), index=frame.index)
    return pd.to_numeric(frame["non_empty_share"], errors="coerce").astype("float64")


def percent(share: float) -> str:
    """``0.374`` -> ``"37%"``; a share below one percent is ``"<1%"``, never ``"0%"``."""
    if share < 0.01:
        return "<1%"
    return f"{round(share * 100):d}%"


class UnmappedColumn(Rule):
    """Column holds values that the mapping places in no data category or canonical column."""

    id = "UNMAPPED-COLUMN"
    order = 170
    name = "data_map.unmapped_column"
    policy_ref = "Art. 30(1)(c)"
    severity = "low"
    activity = "all"
    kinds = ("data_map",)
    reads = ()  # the data map's own columns

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        placed = X.any_of(X.present(X.text(t, c)) for c in ("canonical", "category", "detected_by"))
        has_values = X.number(t, "non_empty_share").fill_null(0.0) > 0
        return {"mapped": X.only_where(placed, has_values)}

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        return [
            self.expect_in(
                "mapped",
                [True],
                "every column with values is placed in a data category or a canonical column",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        shares = [percent(s) for s in fill_share(rows).fillna(0.0)]
        return (
            "'"
            + text(rows, "column")
            + "' is placed in no data category or canonical column; "
            + pd.Series(shares, index=rows.index, dtype=STRING)
            + " of rows hold a value"
        )

    def to_findings(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.DataFrame:
        """One finding per (source, column). The fill share is in the detail, not in the
        finding_id: the same column in a later, fuller export keeps its id."""
        first = rows.drop_duplicates(["source", "column"]).sort_values(
            ["source", "column"], kind="stable"
        )
        source = text(first, "source")
        column = text(first, "column")
        activity = text(first, "activity")
        suffix = source.str.extract(r"(\.[^./]+)$", expand=False).astype(STRING).fillna("")
        key = self.id + SEP + "data_map" + SEP + activity.fillna("") + SEP + "column="
        return make_findings(
            rule=self,
            activity=activity,
            source=source,
            row=None,
            column=column,
            subject_key=None,
            detail=self.detail(first, kind, ctx),
            finding_id=hash_ids(key + column + SEP + suffix),
        )


rule = UnmappedColumn()
