"""GA4's BigQuery export, nested as Google writes it: the analytics rules run on the raw
``events_*`` schema (event_params key/value lists, privacy_info,
collected_traffic_source) give the same findings and coverage as ropa's own reading
of the same events; the BigQuery SQL they compile to is pinned by a golden file."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlglot

from ropa import engine
from ropa.audit import run_audit
from ropa.policy import load_policy
from ropa.rules import build_context
from ropa.sources import ga4_bigquery
from ropa.suites import load_suites

AS_OF = date(2026, 9, 30)
SAMPLES = Path(__file__).parents[1] / "data" / "samples"
GOLDEN = Path(__file__).parent / "golden" / "analytics-nested-flagged.bigquery.sql"


@pytest.fixture(scope="module", autouse=True)
def _key() -> None:
    mp = pytest.MonkeyPatch()
    mp.setenv("ROPA_KEY", "test-key-not-secret")
    yield
    mp.undo()


@pytest.fixture(scope="module")
def daily(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples' daily GA4 file (BigQuery's JSON export shape), alone in a folder."""
    source = SAMPLES / "ga4" / "events_20260901.jsonl"
    if not source.exists():
        from ropa_samples import write_samples

        made = tmp_path_factory.mktemp("samples")
        write_samples(made)
        source = made / "ga4" / "events_20260901.jsonl"
    folder = tmp_path_factory.mktemp("ga4")
    shutil.copy(source, folder / source.name)
    return folder / source.name


def nested_parquet(jsonl: Path, out: Path) -> Path:
    """The events as a Parquet file of exactly the export's schema."""
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    schema = ga4_bigquery.SCHEMA.to_pyarrow()
    table = pa.Table.from_pylist(records, schema=schema)
    assert table.num_rows > 400 and table.schema.field("event_params").type.value_type
    pq.write_table(table, out)
    return out


@pytest.mark.parametrize("as_of", [AS_OF, date(2028, 6, 30)], ids=["in-window", "past-window"])
def test_the_nested_export_gives_the_same_findings_and_coverage(
    daily: Path, tmp_path: Path, as_of: date
) -> None:
    policy = load_policy()
    suite = load_suites(None, policy)[0]["analytics"]
    ctx = build_context(as_of, policy, {})
    parquet = nested_parquet(daily, tmp_path / "events.parquet")
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    con.execute(
        "CREATE VIEW events AS SELECT *, file_row_number + 1 AS _row "
        f"FROM read_parquet('{parquet}', file_row_number = true)"
    )
    for name, table in ctx.tables.items():
        con.register(name, table)
    events = ga4_bigquery.canonical(ga4_bigquery.events_table(with_row=True))
    plan = engine.build_plan("analytics", events, ctx, suite)
    flagged = con.execute(plan.sql("flagged", "duckdb")).fetch_arrow_table().to_pylist()
    counts = con.execute(plan.sql("counts", "duckdb")).fetch_arrow_table().to_pylist()[0]

    rules = [e["meta"]["rule_id"] for e in suite["expectations"]]
    in_engine = {
        (rules[i], int(row["_row"])) for row in flagged for i in range(len(rules)) if row[f"__e{i}"]
    }
    audit = run_audit(daily.parent, as_of=as_of)
    findings = audit.findings[audit.findings["rule_id"].isin(set(rules))]
    by_ropa = {(r, int(n)) for r, n in zip(findings["rule_id"], findings["row"], strict=True)}
    found = {r for r, _ in by_ropa}
    assert {"COOKIE-NO-CONSENT", "ANALYTICS-IDENTIFIABLE"} <= found  # consent, identifiers
    # 14 months later every event of the day is past retention; before, none is.
    retention = sum(r == "RET-ANALYTICS" for r, _ in by_ropa)
    assert retention == (counts["rows"] if as_of > AS_OF else 0)
    assert in_engine == by_ropa

    coverage = audit.coverage.set_index("rule_id")
    assert counts["rows"] == int(coverage.loc["RET-ANALYTICS", "rows"])
    for rule_id, judged in plan.judged_names:
        assert counts[judged] == int(coverage.loc[rule_id, "checked"]), rule_id


def test_the_bigquery_sql_parses_and_is_pinned_by_a_golden_file() -> None:
    policy = load_policy()
    suite = load_suites(None, policy)[0]["analytics"]
    ctx = build_context(AS_OF, policy, {})
    sql = engine.kind_sql("analytics", "bigquery", ctx, suite, nested_ga4=True)
    parsed = sqlglot.parse_one(sql, read="bigquery")
    assert "UNNEST" in sql and "privacy_info" in sql and "collected_traffic_source" in sql
    assert parsed.find(sqlglot.exp.Table).name  # reads a table (the events_* export)
    # Regenerate after a deliberate rule change:
    #   ropa sql analytics --dialect bigquery --as-of 2026-09-30 > tests/golden/...sql
    assert sql.rstrip("\n") + ";\n" == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize("dialect", ["bigquery", "spark", "duckdb"])
def test_ropa_sql_prints_sql_each_dialect_parses(dialect: str) -> None:
    from tests.test_hostile_inputs import run_ropa

    proc = run_ropa("sql", "crm", "--dialect", dialect, "--as-of", "2026-09-30")
    assert proc.returncode == 0, proc.stderr
    read = {"spark": "spark", "bigquery": "bigquery", "duckdb": "duckdb"}[dialect]
    parsed = sqlglot.parse_one(proc.stdout.rstrip().rstrip(";"), read=read)
    assert parsed.find(sqlglot.exp.Table).name == "src"
    assert "days_past_accounting_period" in proc.stdout and "__e0" in proc.stdout


def test_ropa_sql_bigquery_analytics_is_the_golden_nested_sql() -> None:
    from tests.test_hostile_inputs import run_ropa

    proc = run_ropa("sql", "analytics", "--dialect", "bigquery", "--as-of", "2026-09-30")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args", [["crm", "--dialect", "oracle"], ["nope"], ["crm", "--query", "all"]]
)
def test_ropa_sql_bad_arguments_are_one_line(args: list[str]) -> None:
    from tests.test_hostile_inputs import run_ropa

    proc = run_ropa("sql", *args)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stdout == ""
