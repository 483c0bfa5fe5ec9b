"""A kind's plan: its rules' ibis expressions over the canonical columns, compiled to SQL
for DuckDB (default), Spark or BigQuery.

A kind's *plan* is built once per table schema from the rules of the kind defined by
``Rule.columns`` / ``Rule.gaps``: the derived columns (nulled where the rule cannot judge
the row), one boolean per coverage gap and one "unexpected" boolean per expectation of
the kind's suite. It is an unbound ibis expression over a table named ``src`` (and, for
cross-source facts, ``erased`` and ``unsubscribed``), so the same plan compiles to every
dialect. ``ropa.backends`` runs it; ``ropa.engine`` hands frames to it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from ropa.rules.expr import Gap, any_of
from ropa.sql import to_sql

SRC, ERASED, UNSUBSCRIBED = "src", "erased", "unsubscribed"
STAGED = "__ropa_derived"  # a frame's derived table, computed once for both fetches
ROW = "_row"
EMAIL_KEY = "_email_key"  # the normalised e-mail (``input_table``)


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

    _sql: dict[tuple[str, str, bool], str] = field(default_factory=dict, compare=False, repr=False)

    def sql(self, query: str, dialect: str, pretty: bool = False) -> str:
        """The SQL of ``query`` ("derived", "counts" or "flagged") in ``dialect``, compiled
        once per plan: on one line for the engines, indented with ``pretty`` (``ropa
        sql``)."""
        key = (query, dialect, pretty)
        if key not in self._sql:
            staged = ibis.table(self.derived.schema(), name=STAGED)
            expr = {"derived": self.derived, "counts": counts_query(self),
                    "flagged": flagged_query(self),
                    # over the derived table, computed once per frame (``run_check``)
                    "staged-counts": counts_query(self, staged),
                    "staged-flagged": flagged_query(self, staged)}[query]  # fmt: skip
            self._sql[key] = to_sql(expr, dialect, pretty)
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
    base = t
    for looked, fns in by_column.items():  # one join per looked-up column
        t = join_lookup(t, looked, fns, base)
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
    return plan.sql(query, dialect, pretty=True)


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

    schema = schema_of(table)  # a dictionary's index width (per batch) changes no plan
    key = (
        kind,
        str(schema),
        id(ctx),
        json.dumps(suite, sort_keys=True, default=str) if suite is not None else None,
    )
    with _PLANS_LOCK:
        got = _PLANS.get(key)
        if got is None or got[0] is not ctx:  # the context kept alive: its id is not reused
            if len(_PLANS) > 256:
                _PLANS.clear()
            got = _PLANS[key] = (ctx, build_plan(kind, schema, ctx, suite))
    return got[1]
