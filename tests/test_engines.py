"""The rules defined as ibis expressions (``Rule.columns`` / ``Rule.gaps``) run in the
engine: each such rule's YAML cases flag exactly the expected rows, on DuckDB and on
Spark, and the analytics plan compiles to BigQuery SQL that sqlglot parses."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from tests.test_rules_cases import CASES, POLICY, frame_of

from ropa import engine
from ropa.rules import RULES_BY_ID, build_context
from ropa.suites import build_suite

PORTED = [c for c in CASES if RULES_BY_ID[c.values[0]].ported]
GOLDEN = Path(__file__).parent / "golden"


def ported_suite(kind: str) -> dict[str, Any]:
    """The kind's suite, limited to the expectations of rules defined for every engine."""
    suite = build_suite(POLICY, kind)
    keep = [e for e in suite["expectations"] if RULES_BY_ID[e["meta"]["rule_id"]].ported]
    return {**suite, "expectations": keep}


def flagged_rows(rule_id: str, as_of: date, case: dict[str, Any], name: str) -> tuple:
    kind = case["kind"]
    context = {k: [frame_of(k, rows)] for k, rows in (case.get("context") or {}).items()}
    ctx = build_context(as_of, POLICY, context)
    suite = ported_suite(kind)
    frame = frame_of(kind, case["rows"])
    got = engine.check(frame, kind, ctx, suite, name)
    mine = [
        f"__e{i}" for i, e in enumerate(suite["expectations"]) if e["meta"]["rule_id"] == rule_id
    ]
    hit = got.flagged[mine].any(axis=1) if mine else got.flagged["_row"].isna()
    rows = sorted(int(r) for r in got.flagged.loc[hit, "_row"])
    unjudged = got.rows - got.judged.get(rule_id, got.rows)
    if kind == "data_map":  # the data map's findings name columns
        rows = sorted(set(frame.loc[frame["_row"].isin(rows), "column"]))
    return rows, unjudged


def test_some_rule_is_defined_for_every_engine() -> None:
    assert PORTED, "no rule defines columns/gaps"


@pytest.mark.parametrize("name", ["duckdb", "spark"])
@pytest.mark.parametrize(("rule_id", "as_of", "case"), PORTED)
def test_rule_case_in_engine(rule_id: str, as_of: date, case: dict[str, Any], name: str) -> None:
    # A kind the rule exempts (the newsletter's suppression list) has no plan for it:
    # nothing is flagged there.
    rows, unjudged = flagged_rows(rule_id, as_of, case, name)
    assert rows == sorted(case.get("flagged_columns") or case["flagged"]), case["name"]
    assert unjudged == len(case.get("not_evaluable", [])), case["name"]


def test_analytics_plan_compiles_to_bigquery_sql_pinned_by_a_golden_file() -> None:
    ctx = build_context(date(2026, 9, 30), POLICY, {})
    schema = {"_row": "int64", "event_timestamp": "int64", "user_pseudo_id": "string"}
    import ibis

    plan = engine.build_plan("analytics", ibis.schema(schema), ctx, ported_suite("analytics"))
    sql = engine.to_sql(engine.flagged_query(plan), "bigquery")
    sqlglot.parse_one(sql, read="bigquery")
    golden = GOLDEN / "analytics-flagged.bigquery.sql"
    assert sql + "\n" == golden.read_text(encoding="utf-8")


def run_sql(name: str, query: Any, table: Any) -> list[tuple]:
    """``query`` (an ibis expression over a table named ``src``) compiled for the
    engine ``name`` and run there on ``table``; the rows sorted."""
    runner = engine.backend(name)
    sql = engine.to_sql(query, name, pretty=False)
    if name == "spark":
        runner.session.createDataFrame(table).createOrReplaceTempView("src")
        return sorted(tuple(r) for r in runner.session.sql(sql).collect())
    cur = runner.con.cursor()
    cur.register("src", table)
    return sorted(cur.execute(sql).fetchall())


# every character str.isspace() calls whitespace, alone and around a letter, and a few
# that are not (zero-width space, "v", "f", a backslash); and both sides of the printable
# ASCII range that skips the search ("!" to "~"; DEL and "é" are not blank either)
SPACES = [chr(c) for c in range(0x3001) if chr(c).isspace()]
BLANKS = [
    *SPACES, *(s + "x" for s in SPACES), "", " \t\r\n", "\u200b", "a", " v ", "f", "\\",
    "\u00a0x\u3000", "!", "~", "~ ", "! ", "\x7f", "\x7f ", "\x1f", "\x1f\x1f", "é", "\u3000é",
    None,
]  # fmt: skip


@pytest.mark.parametrize("name", ["duckdb", "spark"])
def test_present_is_not_blank_as_str_strip_sees_it_on_every_engine(name: str) -> None:
    """``expr.present`` (one regex: a character that is not whitespace) gives what
    ``str.strip() != ""`` gives, as the loaders and the data map do: a vertical tab, a
    form feed or a no-break space alone is blank on DuckDB and on Spark (whose SQL
    reads ``\\v`` as the letter v); a zero-width space is not blank; null is absent."""
    import ibis
    import pyarrow as pa

    from ropa.rules import expr as X

    t = ibis.table({"_row": "int64", "v": "string"}, name="src")
    query = t.select(t._row, present=X.present(t.v))
    table = pa.table({"_row": list(range(len(BLANKS))), "v": BLANKS})
    got = run_sql(name, query, table)
    want = [v is not None and v.strip() != "" for v in BLANKS]
    assert len(SPACES) == 29 and [p for _, p in got] == want


WORDS = [
    *(f"{s}Yes{s}" for s in SPACES),
    " \u00a0Ja\u3000",
    "\tTidligere Kunde\n",
    "ÆØÅ\u2003",
    "y es",
    "\u200bno",
    "  ",
    "",
    None,
]


@pytest.mark.parametrize("name", ["duckdb", "spark"])
def test_folded_and_number_strip_as_str_strip_does_on_every_engine(name: str) -> None:
    """``expr.folded`` (word lists: yes/no words, lifecycle stages, request statuses) and
    ``expr.number`` strip what ``str.strip`` strips, on DuckDB and on Spark: a consent
    word typed with a no-break space still reads as the word; inner spaces stay."""
    import ibis
    import pyarrow as pa

    from ropa.rules import expr as X

    t = ibis.table({"_row": "int64", "v": "string", "n": "string"}, name="src")
    query = t.select(t._row, folded=X.folded(t.v), number=X.number(t, "n"))
    numbers = [None if v is None else v.replace("Yes", "1.5") for v in WORDS]
    table = pa.table({"_row": list(range(len(WORDS))), "v": WORDS, "n": numbers})
    got = run_sql(name, query, table)
    assert [f for _, f, _ in got] == [None if v is None else v.strip().lower() for v in WORDS]
    assert [n for _, _, n in got][: len(SPACES)] == [1.5] * len(SPACES)
    assert [n for _, _, n in got][len(SPACES) :] == [None] * (len(WORDS) - len(SPACES))


def test_no_plan_trims_with_sql_trim() -> None:
    """Every kind's queries, in every dialect and over GA4's nested export, strip through
    ``expr.stripped``: SQL's TRIM knows six ASCII blanks only, and sqlglot writes two of
    them for Spark as ``\\v`` ``\\f``, which Spark reads as letters ("former customer"
    lost its "f")."""
    from ropa.sources import ga4_bigquery
    from ropa.suites.build import load_suites

    ctx = build_context(date(2026, 9, 30), POLICY, {})
    suites = load_suites(None, POLICY)[0]
    plans = [engine.build_plan(k, engine.canonical_schema(k), ctx, s) for k, s in suites.items()]
    nested = ga4_bigquery.canonical(ga4_bigquery.events_table())
    plans.append(engine.build_plan("analytics", nested, ctx, suites["analytics"]))
    trimmed = [
        (plan.kind, query, dialect)
        for plan in plans
        for query in ("derived", "counts", "flagged")
        for dialect in ("duckdb", "spark", "bigquery")
        if "TRIM(" in plan.sql(query, dialect).upper()
    ]
    assert len(plans) == len(suites) + 1 and trimmed == []


# -- the whole audit on every engine ---------------------------------------------


@pytest.fixture(scope="module")
def audited(samples: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``ropa audit`` of the samples, as a user runs it, once per engine."""
    from tests.test_hostile_inputs import run_ropa

    outs = {}
    for name in ("duckdb", "spark", "gx", "pandas"):
        out = tmp_path_factory.mktemp(f"out-{name}")
        args = ["audit", str(samples), "--as-of", "2026-09-30", "--out", str(out)]
        extra = [] if name == "duckdb" else ["--engine", name]
        if name == "spark":  # Data Docs validated by GX's Spark datasource
            extra.append("--data-docs")
        proc = run_ropa(*args, *extra)
        assert proc.returncode == 0, (name, proc.stderr[-2000:])
        outs[name] = out
    return outs


@pytest.mark.parametrize("name", ["spark", "gx", "pandas"])
def test_every_engine_writes_byte_identical_findings_and_coverage(
    audited: dict[str, Path], name: str
) -> None:
    default = audited["duckdb"]
    findings = (default / "findings.csv").read_bytes()
    assert findings.count(b"\n") > 100  # the samples' findings, not an empty file
    assert (audited[name] / "findings.csv").read_bytes() == findings
    assert (audited[name] / "coverage.csv").read_bytes() == (default / "coverage.csv").read_bytes()


def test_unknown_engine_is_one_clear_line(samples: Path, tmp_path: Path) -> None:
    from tests.test_hostile_inputs import run_ropa

    proc = run_ropa("audit", str(samples), "--out", str(tmp_path / "o"), "--engine", "oracle")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "duckdb" in proc.stderr and "spark" in proc.stderr
    assert not (tmp_path / "o").exists()


def test_spark_data_docs_hold_a_validation_per_source_like_the_gx_engine(
    audited: dict[str, Path],
) -> None:
    def validations(out: Path) -> list[str]:
        pages = (out / "data-docs" / "validations").rglob("*.html")
        return sorted(p.relative_to(out / "data-docs" / "validations").parts[0] for p in pages)

    spark, gx = validations(audited["spark"]), validations(audited["gx"])
    assert len(spark) >= 12 and spark == gx


FIRST_CASES = list({c.values[0]: c for c in reversed(CASES)}.values())


@pytest.mark.parametrize(("rule_id", "as_of", "case"), FIRST_CASES)
def test_gx_on_spark_flags_the_rows_the_pandas_executor_flags(
    rule_id: str, as_of: date, case: dict[str, Any]
) -> None:
    from ropa.audit import derive
    from ropa.suites import run_suite

    kind = case["kind"]
    context = {k: [frame_of(k, rows)] for k, rows in (case.get("context") or {}).items()}
    ctx = build_context(as_of, POLICY, context)
    derived = derive(frame_of(kind, case["rows"]), kind, ctx)
    suite = build_suite(POLICY, kind)
    expected = run_suite(derived, suite, "pandas")
    got = run_suite(derived, suite, "gx-spark")
    assert {i: r.tolist() for i, r in got.items()} == {i: r.tolist() for i, r in expected.items()}
    assert any(len(r) for r in expected.values()), case["name"]  # the case flags something


def test_engine_is_one_enum_with_the_cli_values() -> None:
    """``--engine`` takes the same four values; each engine's roles are said once."""
    from ropa.backends import Engine
    from ropa.errors import UsageError

    assert [e.value for e in Engine] == ["duckdb", "spark", "pandas", "gx"]
    assert {e: (e.backend, e.executor, e.data_docs) for e in Engine} == {
        Engine.duckdb: ("duckdb", None, False),
        Engine.spark: ("spark", None, False),
        Engine.pandas: ("duckdb", "pandas", False),
        Engine.gx: ("duckdb", "gx", True),
    }
    with pytest.raises(
        UsageError, match="^--engine must be one of duckdb, spark, pandas, gx, got 'x'$"
    ):
        Engine.parse("x", "--engine")
