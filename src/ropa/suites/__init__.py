"""Great Expectations suites: built from the rules, run by one of two executors.

``build_suites(policy)`` gathers every rule's expectations per source kind;
``write_suites`` writes them to ``expectations/<kind>.json`` (the reviewable statement
of what is checked); ``load_suites`` reads them back for an audit. ``run_suite`` runs
one suite on a frame of derived columns plus ``_row`` and returns, per expectation
index, the sorted unexpected ``_row`` numbers:

- ``engine="pandas"`` (default): vectorised masks, the supported types only;
- ``engine="gx"``: Great Expectations 1.x (imported on first use).

Both engines give the same rows; tests run every rule case through both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ropa.errors import UsageError
from ropa.suites.build import (
    EXPECTATIONS_DIR,
    build_suite,
    build_suites,
    load_suite,
    load_suites,
    suite_json,
    write_suites,
)
from ropa.suites.pandas_engine import SUPPORTED_TYPES, run_suite_pandas

Run = Callable[[pd.DataFrame, dict[str, Any]], dict[int, np.ndarray]]


def _gx(spark: bool) -> Run:
    def run(frame: pd.DataFrame, suite: dict[str, Any]) -> dict[int, np.ndarray]:
        from ropa.suites.gx_engine import run_suite_gx  # GX is imported on first use

        return run_suite_gx(frame, suite, spark=spark)

    return run


# Where the expectations run on derived columns (``ropa.backends.Engine.executor``):
# ropa's masks, or Great Expectations; "gx-spark" is GX's Spark datasource (the Data
# Docs of ``--engine spark``), not offered as an engine.
EXECUTORS = ("pandas", "gx")
_RUNS: dict[str, Run] = {"pandas": run_suite_pandas, "gx": _gx(False), "gx-spark": _gx(True)}


def run_suite(
    frame: pd.DataFrame, suite: dict[str, Any], engine: str = "pandas"
) -> dict[int, np.ndarray]:
    """Expectation index -> sorted unexpected ``_row`` numbers."""
    run = _RUNS.get(engine)
    if run is None:
        raise UsageError(f"executor must be one of {', '.join(EXECUTORS)}, got {engine!r}")
    return run(frame, suite)


def build_data_docs(
    batches: Any, suites: dict[str, dict[str, Any]], out_dir: Any, spark: bool = False
) -> Any:
    """GX Data Docs (derived columns only, no values) into ``out_dir/data-docs``; with
    ``spark`` validated through GX's Spark datasource."""
    from ropa.suites.gx_engine import build_data_docs as _build

    return _build(batches, suites, out_dir, spark=spark)


__all__ = [
    "EXECUTORS",
    "EXPECTATIONS_DIR",
    "SUPPORTED_TYPES",
    "build_data_docs",
    "build_suite",
    "build_suites",
    "load_suite",
    "load_suites",
    "run_suite",
    "suite_json",
    "write_suites",
]
