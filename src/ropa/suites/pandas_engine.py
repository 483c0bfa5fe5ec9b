"""The default executor: the suite's expectations as vectorised pandas masks.

It supports exactly the expectation types ropa's suites use, with Great Expectations'
semantics (nulls are skipped except by ``not_be_null``; ``strict_min`` / ``strict_max``
make the bounds exclusive). Anything else is refused by name rather than guessed at, so
a hand-edited suite can never be checked differently by the two engines.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ropa.errors import RopaError

ROW = "_row"
# kwargs that do not change which rows are unexpected.
_NEUTRAL = {"column", "result_format", "catch_exceptions", "batch_id"}
_ALLOWED = {
    "expect_column_values_to_be_between": {"min_value", "max_value", "strict_min", "strict_max"},
    "expect_column_values_to_be_in_set": {"value_set"},
    "expect_column_values_to_not_be_in_set": {"value_set"},
    "expect_column_values_to_not_be_null": set(),
}
SUPPORTED_TYPES = tuple(_ALLOWED)


def _unexpected(column: pd.Series, type_: str, kwargs: dict[str, Any]) -> np.ndarray:
    """Boolean mask of unexpected rows."""
    missing = column.isna().to_numpy(dtype=bool)
    if type_ == "expect_column_values_to_not_be_null":
        return missing
    if type_ == "expect_column_values_to_be_between":
        values = _floats(column)
        ok = np.ones(len(values), dtype=bool)
        with np.errstate(invalid="ignore"):
            if kwargs.get("min_value") is not None:
                low = float(kwargs["min_value"])
                ok &= values > low if kwargs.get("strict_min") else values >= low
            if kwargs.get("max_value") is not None:
                high = float(kwargs["max_value"])
                ok &= values < high if kwargs.get("strict_max") else values <= high
        return ~ok & ~missing
    value_set = list(kwargs.get("value_set") or [])
    inside = _inside(column, value_set)
    if type_ == "expect_column_values_to_be_in_set":
        return ~inside & ~missing
    return inside & ~missing


def _floats(column: pd.Series) -> np.ndarray:
    """The column as floats, NaN where missing (what GX compares bounds against)."""
    if isinstance(column.dtype, pd.Int64Dtype):  # the derived day counts: no parsing
        return column.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _inside(column: pd.Series, value_set: list[Any]) -> np.ndarray:
    """Where the value is one of ``value_set`` (missing: False). A nullable boolean
    column checked against booleans (the derived flags) is read straight from its data."""
    if isinstance(column.dtype, pd.BooleanDtype) and all(type(v) is bool for v in value_set):
        data = column.to_numpy(dtype=bool, na_value=False)
        present = column.notna().to_numpy(dtype=bool)
        inside = np.zeros(len(column), dtype=bool)
        if True in value_set:
            inside |= data
        if False in value_set:
            inside |= ~data
        return inside & present
    return column.isin(value_set).to_numpy(dtype=bool, na_value=False)


def check_expectation(expectation: dict[str, Any], name: str) -> None:
    """Refuse what this executor cannot run exactly as GX would."""
    type_ = expectation.get("type")
    if type_ not in _ALLOWED:
        raise RopaError(
            f"expectation type {type_!r} is not supported by the pandas engine "
            f"(supported: {', '.join(SUPPORTED_TYPES)})",
            name,
        )
    extra = set(expectation.get("kwargs") or {}) - _NEUTRAL - _ALLOWED[type_]
    if extra:
        raise RopaError(
            f"{type_} with {', '.join(sorted(extra))} is not supported by the pandas engine "
            "(a finding is one row; use a suite without it)",
            name,
        )


def run_suite_pandas(frame: pd.DataFrame, suite: dict[str, Any]) -> dict[int, np.ndarray]:
    """Expectation index -> sorted unexpected ``_row`` numbers."""
    name = str(suite.get("name", "suite"))
    rows = frame[ROW].to_numpy(dtype=np.int64)
    out: dict[int, np.ndarray] = {}
    for index, expectation in enumerate(suite["expectations"]):
        check_expectation(expectation, name)
        kwargs = expectation.get("kwargs") or {}
        column = kwargs.get("column")
        if column not in frame.columns:
            raise RopaError(f"suite expects column {column!r}, which no rule derives", name)
        mask = _unexpected(frame[column], expectation["type"], kwargs)
        out[index] = np.sort(rows[mask])
    return out
