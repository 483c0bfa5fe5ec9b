"""Where the rules run: a frame handed to its kind's plan (``ropa.plan``) in an engine
(``ropa.backends``: DuckDB by default, or Spark).

``check`` runs the plan in the engine and fetches only what findings need: the coverage
counts (one row) and the flagged rows' ``_row``, derived columns and expectation flags.
``rule_outputs`` fetches every row's derived columns and gaps as pandas, in one query
per frame (for the audit's pandas and GX executors, Data Docs and notebooks).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ropa.backends import DuckDBBackend, Engine, SparkBackend, backend, spark_session
from ropa.dtypes import STRING
from ropa.plan import (
    EMAIL_KEY,
    ROW,
    SRC,
    Plan,
    build_plan,
    canonical_schema,
    context_tables,
    erased_table,
    flagged_query,
    kind_sql,
    plan_for,
    unsubscribed_table,
)
from ropa.rules.base import Unjudged
from ropa.rules.expr import Gap
from ropa.sql import DIALECTS, to_sql


def _arrow(col: pd.Series, duckdb: bool = False) -> pa.Array:
    """A pandas column as the Arrow array engines read: objects as text, plain ``string``
    (not large or view), an all-null column as text. Dictionaries (text read as
    categories) are decoded, except for ``duckdb``: DuckDB scans a dictionary as fast as
    its decoded text, so the decoding (a copy of every value) is spared there; it also
    gets UTC times without their zone (see below)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        arr = pa.array(col.array)  # a dictionary array, decoded by Arrow below
    elif col.dtype == object:
        arr = pa.array(col.map(lambda v: None if v is None or v is pd.NA else str(v)))
    else:
        arr = pa.array(col) if isinstance(col.dtype, np.dtype) else pa.array(col.array)
    if pa.types.is_dictionary(arr.type):
        if not duckdb:
            arr = arr.dictionary_decode()
        elif not pa.types.is_string(arr.type.value_type):
            arr = pa.DictionaryArray.from_arrays(arr.indices, arr.dictionary.cast(pa.string()))
    if pa.types.is_large_string(arr.type) or pa.types.is_string_view(arr.type):
        arr = arr.cast(pa.string())
    if duckdb and pa.types.is_timestamp(arr.type) and arr.type.tz in ("UTC", "+00:00"):
        # The same instants as zone-less UTC: DuckDB reads a zoned time as TIMESTAMPTZ,
        # whose calendar date is computed through ICU (a tenth of a second per 500,000
        # values), while the rules only ask for UTC dates (the session is UTC).
        arr = arr.cast(pa.timestamp(arr.type.unit))
    if pa.types.is_null(arr.type):
        arr = arr.cast(pa.string())
    return arr


def arrow_for_engine(frame: pd.DataFrame, columns: Sequence[str], duckdb: bool = False) -> pa.Table:
    """The ``columns`` of ``frame`` as an Arrow table engines read (see ``_arrow``)."""
    arrays = [_arrow(frame[c], duckdb) for c in columns]
    return pa.Table.from_arrays(arrays, names=[str(c) for c in columns])


# -- running ----------------------------------------------------------------------

# Rows per record batch handed to DuckDB (its row-group size): a table of one batch is
# scanned by one thread, so 500,000 events as one chunk took twice as long on 2 cores.
DUCKDB_CHUNK = 122_880


@dataclass
class Checked:
    """What one frame gave: the flagged rows and the coverage counts."""

    flagged: pd.DataFrame  # _row, derived columns, __e<i> flags
    rows: int
    judged: dict[str, int]  # rule id -> rows judged
    gaps: dict[str, list[tuple[Gap, int]]]  # rule id -> (gap, rows)


@dataclass
class RuleOutput:
    """One rule on one pandas frame (same index): its derived columns (null where it
    could not judge), the rows it judged and the gaps, as ``Unjudged`` rows."""

    columns: pd.DataFrame
    judged: pd.Series
    gaps: list[Unjudged]


def input_table(frame: pd.DataFrame, backend_name: str = "duckdb") -> pa.Table:
    """The loaded columns the rules read, as Arrow (``_source`` and the like stay out),
    plus ``_email_key``: the e-mail as matching keys are made (trimmed, NFC, lower-cased,
    IDNA domain; ``mapping.normalise_email``), which no SQL dialect can do alike. Text
    read as categories stays a dictionary for DuckDB; Spark gets it decoded."""
    columns = [c for c in frame.columns if not str(c).startswith("_") or c == ROW]
    duckdb = backend_name == "duckdb"
    table = arrow_for_engine(frame, columns, duckdb=duckdb)
    if "email" in frame.columns:
        from ropa.mapping import normalise_email

        key = normalise_email(frame["email"].astype(STRING))
        table = table.append_column(EMAIL_KEY, _arrow(key))
    if duckdb:  # DuckDB scans an arrow table one record batch per thread
        table = pa.Table.from_batches(table.to_batches(max_chunksize=DUCKDB_CHUNK), table.schema)
    return table


def check(
    frame: pd.DataFrame, kind: str, ctx: Any, suite: Mapping[str, Any], engine: str = "duckdb"
) -> Checked:
    """Run ``kind``'s plan with its suite on ``frame`` in ``engine``'s backend."""
    name = Engine(engine).backend
    table = input_table(frame, name)
    plan = plan_for(kind, table, ctx, suite)
    runner = backend(name)
    tables = {SRC: table, **ctx.tables}
    counts_table, flagged_table = runner.run_check(plan, tables)
    counts = counts_table.to_pylist()[0]
    return Checked(to_pandas(flagged_table), int(counts["rows"]), *_counts(plan, counts))


def _counts(plan: Plan, counts: Mapping[str, Any]) -> tuple[dict, dict]:
    judged = {rule_id: int(counts[name] or 0) for rule_id, name in plan.judged_names}
    gaps: dict[str, list[tuple[Gap, int]]] = {}
    names = iter(plan.gap_names)
    for rule_plan in plan.rules:
        for gap in rule_plan.gaps:
            _, name = next(names)
            gaps.setdefault(rule_plan.rule_id, []).append((gap, int(counts[name] or 0)))
    return judged, gaps


def rule_outputs(frame: pd.DataFrame, kind: str, ctx: Any) -> dict[str, RuleOutput]:
    """Every rule of ``kind`` defined by ``columns``/``gaps``, evaluated on ``frame`` in
    one DuckDB query; rows are matched back to ``frame`` by ``_row``."""
    table = input_table(frame)
    plan = plan_for(kind, table, ctx, None)
    out = to_pandas(backend("duckdb").run(plan, "derived", {SRC: table, **ctx.tables}))
    out = out.set_index(ROW).reindex(frame[ROW].to_numpy()).set_axis(frame.index)
    gap_names = iter(plan.gap_names)
    judged_names = dict(plan.judged_names)
    found = {}
    for rule_plan in plan.rules:
        gaps = [
            Unjudged(gap.reason, out[next(gap_names)[1]].astype(bool), gap.counted)
            for gap in rule_plan.gaps
        ]
        judged = out[judged_names[rule_plan.rule_id]].astype(bool)
        found[rule_plan.rule_id] = RuleOutput(out[list(rule_plan.columns)], judged, gaps)
    return found


_PANDAS_TYPES = {
    pa.int64(): pd.Int64Dtype(),
    pa.int32(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
    pa.float64(): pd.Float64Dtype(),
    pa.string(): STRING,
    pa.large_string(): STRING,
}


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """Engine output as pandas: nullable ints and booleans, pyarrow strings and times."""

    def mapper(type_: pa.DataType) -> Any:
        got = _PANDAS_TYPES.get(type_)
        if got is not None:
            return got
        if pa.types.is_timestamp(type_) or pa.types.is_date(type_):
            return pd.ArrowDtype(type_)
        return None

    out = table.to_pandas(types_mapper=mapper)
    if ROW in out.columns:
        out[ROW] = out[ROW].astype(np.int64)
    return out


__all__ = [
    "DIALECTS", "EMAIL_KEY", "DuckDBBackend", "SparkBackend", "arrow_for_engine", "backend",
    "build_plan", "canonical_schema", "check", "context_tables", "erased_table",
    "flagged_query", "kind_sql", "rule_outputs", "spark_session", "to_pandas", "to_sql",
    "unsubscribed_table",
]  # fmt: skip
