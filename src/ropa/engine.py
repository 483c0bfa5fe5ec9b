"""Where the rules run: their ibis expressions compiled to SQL for DuckDB (default), Spark
or BigQuery.

A kind's *plan* is built once per table schema from the rules of the kind defined by
``Rule.columns`` / ``Rule.gaps``: the derived columns (nulled where the rule cannot judge
the row), one boolean per coverage gap and one "unexpected" boolean per expectation of
the kind's suite. It is an unbound ibis expression over a table named ``src`` (and, for
cross-source facts, ``erased``), so the same plan compiles to every dialect.

``check`` runs the plan in the engine and fetches only what findings need: the coverage
counts (one row) and the flagged rows' ``_row``, derived columns and expectation flags.
``rule_outputs`` fetches every row's derived columns and gaps as pandas, in one query
per frame (for the audit's pandas and GX executors, Data Docs and notebooks).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa

from ropa.rules.base import Unjudged
from ropa.rules.expr import Gap, any_of

SRC, ERASED, UNSUBSCRIBED = "src", "erased", "unsubscribed"
STAGED = "__ropa_derived"  # a frame's derived table, computed once for both fetches
ROW = "_row"
EMAIL_KEY = "_email_key"  # the normalised e-mail (``input_table``)
DIALECTS = {"duckdb": "duckdb", "spark": "pyspark", "bigquery": "bigquery"}


def erased_table() -> ir.Table:
    """Subjects whose erasure was completed before the audit date: normalised e-mail and
    ISO date (one row each)."""
    return ibis.table({"email": "string", "on": "string"}, name=ERASED)


def unsubscribed_table() -> ir.Table:
    """Normalised e-mails the newsletter tool lists as unsubscribed (one row each)."""
    return ibis.table({"email": "string"}, name=UNSUBSCRIBED)


def context_tables(ctx: Any) -> dict[str, pa.Table]:
    """The cross-source facts as the tables the plans join (``Context.tables`` keeps them
    per audit)."""
    erased = sorted(ctx.erased.items())
    return {
        ERASED: pa.table(
            {"email": [e for e, _ in erased], "on": [d for _, d in erased]},
            schema=pa.schema([("email", pa.string()), ("on", pa.string())]),
        ),
        UNSUBSCRIBED: pa.table({"email": pa.array(sorted(ctx.unsubscribed), pa.string())}),
    }


# -- plans ------------------------------------------------------------------------


@dataclass(frozen=True)
class RulePlan:
    rule_id: str
    columns: tuple[str, ...]
    gaps: tuple[Gap, ...]


@dataclass(frozen=True)
class Plan:
    """One kind's rules over one schema."""

    kind: str
    rules: tuple[RulePlan, ...]
    derived: ir.Table  # _row, derived columns, gap booleans (__gap_<i>)
    gap_names: tuple[tuple[str, str], ...]  # (rule_id, gap column) in rule order
    judged_names: tuple[tuple[str, str], ...]  # (rule_id, judged column)
    # (flag column __e<i>, expectation) in suite order; flags are computed over the
    # derived table, so a derived column is evaluated once however many check it
    checks: tuple[tuple[str, Mapping[str, Any]], ...]

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.checks)

    _sql: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, repr=False)

    def sql(self, query: str, dialect: str) -> str:
        """The SQL of ``query`` ("derived", "counts" or "flagged") in ``dialect``, compiled
        once per plan."""
        key = (query, dialect)
        if key not in self._sql:
            staged = ibis.table(self.derived.schema(), name=STAGED)
            expr = {"derived": self.derived, "counts": counts_query(self),
                    "flagged": flagged_query(self),
                    # over the derived table, computed once per frame (``run_check``)
                    "staged-counts": counts_query(self, staged),
                    "staged-flagged": flagged_query(self, staged)}[query]  # fmt: skip
            self._sql[key] = to_sql(expr, dialect)
        return self._sql[key]


def _unexpected(col: ir.Value, expectation: Mapping[str, Any]) -> ir.BooleanValue:
    """GX semantics: nulls are skipped except by ``not_be_null``."""
    type_ = expectation["type"]
    kwargs = expectation.get("kwargs") or {}
    if type_ == "expect_column_values_to_not_be_null":
        return col.isnull()
    if type_ == "expect_column_values_to_be_between":
        ok: ir.BooleanValue = ibis.literal(True)
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if low is not None:
            ok = ok & ((col > low) if kwargs.get("strict_min") else (col >= low))
        if high is not None:
            ok = ok & ((col < high) if kwargs.get("strict_max") else (col <= high))
        return col.notnull() & ~ok.fill_null(False)
    values = list(kwargs.get("value_set") or [])
    inside = col.isin(values).fill_null(False) if values else ibis.literal(False)
    if type_ == "expect_column_values_to_be_in_set":
        return col.notnull() & ~inside
    return col.notnull() & inside


def build_plan(
    kind: str,
    source: ibis.Schema | ir.Table,
    ctx: Any,
    suite: Mapping[str, Any] | None = None,
) -> Plan:
    """The plan of ``kind`` over a table of ``source``'s schema named ``src``, or over
    ``source`` itself when it is a table expression (GA4's nested BigQuery export seen
    as canonical columns: ``sources.ga4_bigquery.canonical``)."""
    from ropa.rules import rules_for

    t = source if isinstance(source, ir.Table) else ibis.table(source, name=SRC)
    from ropa.rules.expr import join_lookup

    by_column: dict[str, dict[str, Any]] = {}
    for rule in [r for r in rules_for(kind) if r.ported]:
        for name, (looked, fn) in rule.lookups(kind, ctx).items():
            if looked in t.columns:
                by_column.setdefault(looked, {})[name] = fn
    for looked, fns in by_column.items():  # one join per looked-up column
        t = join_lookup(t, looked, fns)
    selections: dict[str, ir.Value] = {ROW: t[ROW]}
    rule_plans: list[RulePlan] = []
    gap_names: list[tuple[str, str]] = []
    judged_names: list[tuple[str, str]] = []
    for rule in [r for r in rules_for(kind) if r.ported]:
        columns = rule.columns(t, kind, ctx)
        gaps = tuple(rule.gaps(t, kind, ctx))
        unjudged = any_of(g.rows for g in gaps)
        for name, expr in columns.items():
            if name in selections:
                raise ValueError(f"two rules derive the same column: {[name]}")
            selections[name] = ibis.ifelse(unjudged, ibis.null(expr.type()), expr).name(name)
        for gap in gaps:
            gname = f"__gap_{len(gap_names)}"
            selections[gname] = gap.rows.fill_null(False)
            gap_names.append((rule.id, gname))
        jname = f"__judged_{len(judged_names)}"
        selections[jname] = ~unjudged
        judged_names.append((rule.id, jname))
        rule_plans.append(RulePlan(rule.id, tuple(columns), gaps))
    derived = t.select(**selections)
    checks: list[tuple[str, Mapping[str, Any]]] = []
    if suite is not None:
        for i, expectation in enumerate(suite["expectations"]):
            column = (expectation.get("kwargs") or {}).get("column")
            if column not in derived.columns:
                from ropa.errors import RopaError

                raise RopaError(
                    f"suite expects column {column!r}, which no rule derives",
                    str(suite.get("name", "suite")),
                )
            checks.append((f"__e{i}", expectation))
    return Plan(kind, tuple(rule_plans), derived, tuple(gap_names), tuple(judged_names),
                tuple(checks))  # fmt: skip


def flagged_query(plan: Plan, d: ir.Table | None = None) -> ir.Table:
    """The flagged rows: ``_row``, the derived columns and the expectation flags (of
    ``plan.derived``, or of ``d``: the same, already computed)."""
    d = plan.derived if d is None else d
    keep = [c for c in d.columns if not c.startswith(("__gap_", "__judged_"))]
    if not plan.checks:
        return d.select(keep).limit(0)
    flags = {name: _unexpected(d[e["kwargs"]["column"]], e) for name, e in plan.checks}
    with_flags = d.select(*keep, **flags)
    return with_flags.filter(any_of(with_flags[name] for name in flags))


def counts_query(plan: Plan, d: ir.Table | None = None) -> ir.Table:
    """One row: ``rows`` and the number of rows per gap and per judged column."""
    d = plan.derived if d is None else d
    aggs = {"rows": d.count()}
    for _, name in (*plan.gap_names, *plan.judged_names):
        aggs[name] = d[name].cast("int64").sum().fill_null(0)
    return d.aggregate(**aggs)


def kind_sql(
    kind: str,
    dialect: str,
    ctx: Any,
    suite: Mapping[str, Any],
    query: str = "flagged",
    nested_ga4: bool = False,
) -> str:
    """The SQL ``kind``'s rules and suite run in ``dialect`` (``ropa sql``): over the
    canonical columns, or for analytics with ``nested_ga4`` over GA4's BigQuery export
    table (named ``events``)."""
    if nested_ga4:
        from ropa.sources import ga4_bigquery

        source: ibis.Schema | ir.Table = ga4_bigquery.canonical(ga4_bigquery.events_table())
    else:
        source = canonical_schema(kind)
    plan = build_plan(kind, source, ctx, suite)
    return plan.sql(query, dialect)


def to_sql(expr: ir.Expr, dialect: str) -> str:
    name = DIALECTS.get(dialect, dialect)
    if name == "pyspark" and ibis.options.pyspark is None:
        _pyspark_options()
    return ibis.to_sql(expr, dialect=name)


def _pyspark_options() -> None:
    """The PySpark compiler reads ``ibis.options.pyspark``, set when the backend loads;
    compiling Spark SQL (``ropa sql``) must not need PySpark itself."""
    try:
        ibis.pyspark  # noqa: B018 - loading the backend registers its options
    except Exception:  # pyspark not installed: the compiler's defaults

        class Options(ibis.config.Config):
            treat_nan_as_null: bool = False

        ibis.options.pyspark = Options()


# -- schemas ----------------------------------------------------------------------


def _arrow(col: pd.Series) -> pa.Array:
    """A pandas column as the Arrow array engines read: dictionaries decoded, objects as
    text, plain ``string`` (not large or view), an all-null column as text."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        arr = pa.array(col.array)  # a dictionary array, decoded by Arrow below
    elif col.dtype == object:
        arr = pa.array(col.map(lambda v: None if v is None or v is pd.NA else str(v)))
    else:
        arr = pa.array(col) if isinstance(col.dtype, np.dtype) else pa.array(col.array)
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if pa.types.is_large_string(arr.type) or pa.types.is_string_view(arr.type):
        arr = arr.cast(pa.string())
    if pa.types.is_null(arr.type):
        arr = arr.cast(pa.string())
    return arr


def arrow_for_engine(frame: pd.DataFrame, columns: Sequence[str]) -> pa.Table:
    """The ``columns`` of ``frame`` as an Arrow table engines read (see ``_arrow``)."""
    arrays = [_arrow(frame[c]) for c in columns]
    return pa.Table.from_arrays(arrays, names=[str(c) for c in columns])


# Canonical column types (sources/canonical.py) besides text.
_TYPED = {
    "marketing_contact": "boolean",
    "unsubscribed_all": "boolean",
    "latitude": "float64",
    "longitude": "float64",
    "event_timestamp": "int64",
}
DATA_MAP_SCHEMA = {
    "_row": "int64", "source": "string", "column": "string", "activity": "string",
    "category": "string", "canonical": "string", "detected_by": "string",
    "declared": "boolean", "non_empty_share": "float64",
}  # fmt: skip


def canonical_schema(kind: str) -> ibis.Schema:
    """Every canonical column of ``kind`` with its loaded type (``*_time``: UTC
    timestamps), plus ``_row`` and the e-mail key: the table ``ropa sql`` compiles for."""
    from ropa.sources.canonical import KINDS

    if kind == "data_map":
        return ibis.schema(DATA_MAP_SCHEMA)
    if kind not in KINDS:
        from ropa.errors import UsageError

        raise UsageError(f"unknown source kind {kind!r} (one of {', '.join(sorted(KINDS))})")
    columns: dict[str, Any] = {ROW: "int64"}
    for name in KINDS[kind].columns:
        columns[name] = "timestamp('UTC')" if name.endswith("_time") else _TYPED.get(name, "string")
    if "email" in columns:
        columns[EMAIL_KEY] = "string"
    return ibis.schema(columns)


def schema_of(table: pa.Table) -> ibis.Schema:
    return ibis.Schema.from_pyarrow(table.schema)


_PLANS: dict[Any, tuple[Any, Plan]] = {}
_PLANS_LOCK = threading.Lock()


def plan_for(kind: str, table: pa.Table, ctx: Any, suite: Mapping[str, Any] | None) -> Plan:
    """``build_plan``, cached per (kind, schema, context, suite)."""
    import json

    key = (
        kind,
        str(table.schema),
        id(ctx),
        json.dumps(suite, sort_keys=True, default=str) if suite is not None else None,
    )
    with _PLANS_LOCK:
        got = _PLANS.get(key)
        if got is None or got[0] is not ctx:  # the context kept alive: its id is not reused
            if len(_PLANS) > 256:
                _PLANS.clear()
            got = _PLANS[key] = (ctx, build_plan(kind, schema_of(table), ctx, suite))
    return got[1]


# -- backends ---------------------------------------------------------------------


class DuckDBBackend:
    """An in-process DuckDB: UTC session, bounded memory, spilling to a private temporary
    folder removed at exit (never inside the data folder)."""

    def __init__(self, memory_limit: str | None = None, threads: int | None = None) -> None:
        import duckdb

        self._spill = tempfile.mkdtemp(prefix="ropa-duckdb-")
        atexit.register(shutil.rmtree, self._spill, True)
        self.con = duckdb.connect(config={"threads": threads or os.cpu_count() or 1})
        self.con.execute("SET TimeZone='UTC'")
        self.con.execute(f"SET temp_directory='{self._spill}'")
        self.con.execute(
            f"SET memory_limit='{memory_limit or os.environ.get('ROPA_MEMORY_LIMIT', '1GB')}'"
        )
        self.con.execute("SET preserve_insertion_order=false")

    def run(self, plan: Plan, query: str, tables: Mapping[str, pa.Table]) -> pa.Table:
        sql = plan.sql(query, "duckdb")
        cur = self.con.cursor()
        try:
            for name, table in tables.items():
                cur.register(name, table)
            return cur.execute(sql).fetch_arrow_table()
        finally:
            cur.close()

    def run_check(self, plan: Plan, tables: Mapping[str, pa.Table]) -> tuple[pa.Table, pa.Table]:
        """(coverage counts, flagged rows): the rules evaluated once, into a temporary
        table of this cursor (spilled under ``memory_limit``), then both read from it."""
        cur = self.con.cursor()
        try:
            for name, table in tables.items():
                cur.register(name, table)
            cur.execute(f"CREATE TEMP TABLE {STAGED} AS {plan.sql('derived', 'duckdb')}")
            counts = cur.execute(plan.sql("staged-counts", "duckdb")).fetch_arrow_table()
            flagged = cur.execute(plan.sql("staged-flagged", "duckdb")).fetch_arrow_table()
            return counts, flagged
        finally:
            cur.execute(f"DROP TABLE IF EXISTS {STAGED}")
            cur.close()


class SparkBackend:
    """PySpark, local mode by default (``--spark-master`` or ``SPARK_REMOTE`` for any
    other); the session time zone is UTC."""

    def __init__(self, master: str | None = None) -> None:
        self.session = spark_session(master)

    def run(self, plan: Plan, query: str, tables: Mapping[str, pa.Table]) -> pa.Table:
        sql = plan.sql(query, "spark")
        self._register(tables)
        return self.session.sql(sql).toArrow()

    def _register(self, tables: Mapping[str, pa.Table]) -> None:
        for name, table in tables.items():
            self.session.createDataFrame(table).createOrReplaceTempView(name)

    def run_check(self, plan: Plan, tables: Mapping[str, pa.Table]) -> tuple[pa.Table, pa.Table]:
        """(coverage counts, flagged rows), the derived table cached between the two."""
        self._register(tables)
        derived = self.session.sql(plan.sql("derived", "spark")).cache()
        derived.createOrReplaceTempView(STAGED)
        try:
            counts = self.session.sql(plan.sql("staged-counts", "spark")).toArrow()
            flagged = self.session.sql(plan.sql("staged-flagged", "spark")).toArrow()
            return counts, flagged
        finally:
            derived.unpersist()


_SPARK: Any = None


def spark_session(master: str | None = None) -> Any:
    """One Spark session per process (tests share it)."""
    global _SPARK
    if _SPARK is not None:
        return _SPARK
    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)  # type: ignore[attr-defined]
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("ropa")
    remote = os.environ.get("SPARK_REMOTE")
    if remote and not master:
        builder = builder.remote(remote)
    else:
        builder = builder.master(master or "local[2]")
        warehouse = tempfile.mkdtemp(prefix="ropa-spark-")
        atexit.register(shutil.rmtree, warehouse, True)
        builder = (
            builder.config("spark.sql.warehouse.dir", warehouse)
            .config("spark.local.dir", warehouse)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.driver.memory", os.environ.get("ROPA_SPARK_MEMORY", "2g"))
        )
    builder = builder.config("spark.sql.session.timeZone", "UTC").config(
        "spark.sql.execution.arrow.pyspark.enabled", "true"
    )
    _SPARK = builder.getOrCreate()
    _SPARK.sparkContext.setLogLevel("ERROR")
    return _SPARK


_BACKENDS: dict[str, Any] = {}
_BACKENDS_LOCK = threading.Lock()


def backend(name: str = "duckdb", **options: Any) -> Any:
    """The process's backend of ``name`` (``duckdb`` or ``spark``)."""
    with _BACKENDS_LOCK:
        got = _BACKENDS.get(name)
        if got is None:
            got = _BACKENDS[name] = SparkBackend(**options) if name == "spark" else DuckDBBackend()
    return got


# -- running ----------------------------------------------------------------------


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


def input_table(frame: pd.DataFrame) -> pa.Table:
    """The loaded columns the rules read, as Arrow (``_source`` and the like stay out),
    plus ``_email_key``: the e-mail as matching keys are made (trimmed, NFC, lower-cased,
    IDNA domain; ``mapping.normalise_email``), which no SQL dialect can do alike."""
    columns = [c for c in frame.columns if not str(c).startswith("_") or c == ROW]
    table = arrow_for_engine(frame, columns)
    if "email" in frame.columns:
        from ropa.mapping import normalise_email

        key = normalise_email(frame["email"].astype("string[pyarrow]"))
        table = table.append_column(EMAIL_KEY, _arrow(key))
    return table


def check(
    frame: pd.DataFrame, kind: str, ctx: Any, suite: Mapping[str, Any], engine: str = "duckdb"
) -> Checked:
    """Run ``kind``'s plan with its suite on ``frame`` in ``engine``."""
    table = input_table(frame)
    plan = plan_for(kind, table, ctx, suite)
    runner = backend("spark" if engine == "spark" else "duckdb")
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
    pa.string(): pd.StringDtype("pyarrow"),
    pa.large_string(): pd.StringDtype("pyarrow"),
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


__all__ = ["DIALECTS", "build_plan", "check", "rule_outputs", "to_sql"]
