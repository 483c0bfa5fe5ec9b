"""The `ropa` commands that judge the data: audit, sql (the SQL the rules run) and subject
(one person across every source)."""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from ropa.cli_common import (
    LangOpt,
    PolicyOpt,
    _data_dir,
    _lang,
    _parse_date,
    _policy,
    _progress,
    _read,
    console,
)
from ropa.errors import SourceError, UsageError, printable
from ropa.outputs import check_output, final_path, staged
from ropa.progress import stop_if_interrupted

AUDIT_FILES = ("findings.csv", "findings.parquet", "coverage.csv", "changes.csv", "audit.json")


def audit(
    data_dir: Annotated[Path, typer.Argument(help="Folder with the exports.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out"),
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Audit date YYYY-MM-DD (default today, UTC).")
    ] = None,
    policy_file: PolicyOpt = None,
    engine: Annotated[
        str,
        typer.Option(
            help="duckdb (default, embedded), spark (PySpark), gx (Great Expectations) "
            "or pandas (derived columns checked by ropa's pandas masks)."
        ),
    ] = "duckdb",
    spark_master: Annotated[
        str | None,
        typer.Option(
            "--spark-master",
            help="Spark master URL for --engine spark (default local[2]; or SPARK_REMOTE).",
        ),
    ] = None,
    data_docs: Annotated[
        bool, typer.Option("--data-docs/--no-data-docs", help="Build GX Data Docs (HTML).")
    ] = False,
    exceptions: Annotated[
        Path | None,
        typer.Option("--exceptions", help="YAML list of accepted deviations (see README)."),
    ] = None,
    compare: Annotated[
        list[Path] | None,
        typer.Option("--compare", help="An earlier audit's output folder (repeatable)."),
    ] = None,
    history: Annotated[
        Path | None,
        typer.Option("--history", help="A folder holding earlier audit output folders."),
    ] = None,
    remediation: Annotated[
        bool,
        typer.Option(
            "--remediation/--no-remediation",
            help="Also write per-system lists of records to act on (holds identifiers; 0600).",
        ),
    ] = False,
    lang: LangOpt = "en",
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Log steps.")] = False,
) -> None:
    """Check every record against the policy; write findings and the Excel report."""
    from ropa.audit import run_audit, write_outputs
    from ropa.compare import earlier_audits
    from ropa.exceptions import load_exceptions
    from ropa.views import audit_report, summary_table

    started = time.monotonic()
    language = _lang(lang)
    accepted = load_exceptions(exceptions) if exceptions is not None else None
    earlier = earlier_audits(compare or [], history, out)
    from ropa.backends import Engine

    chosen = Engine.parse(engine, "--engine")
    if spark_master is not None and chosen.backend != "spark":
        raise UsageError("--spark-master needs --engine spark")
    if chosen.backend == "spark":
        _spark_available(spark_master)
    audit_date = _parse_date(as_of)
    pol = _policy(policy_file)
    src = _data_dir(data_dir)
    docs = data_docs or chosen.data_docs
    check_output(
        out,
        option="--out",
        folder=True,
        files=[*AUDIT_FILES, f"ropa-{audit_date.isoformat()}.xlsx"],
        folders=[*(["data-docs"] if docs else []), *(["remediation"] if remediation else [])],
        inputs=[src, pol.path],
    )
    _logging(verbose)
    progress = _progress()
    try:
        result = run_audit(
            src,
            as_of=audit_date,
            policy=pol,
            policy_path=policy_file,
            engine=engine,
            progress=progress,
            exceptions=accepted,
            earlier=earlier,
        )
    finally:
        if progress is not None:
            progress.close()
    if not result.inventory.sources:
        skipped = result.inventory.skipped
        if len(skipped) == 1:  # the only file: why it was not read (value-free)
            only = skipped[0]
            raise SourceError(f"no file could be read; {only.rel}: {only.reason}", data_dir)
        raise SourceError(
            f"no file could be read ({len(skipped)} not recognised; see `ropa sources`)",
            data_dir,
        )
    with staged(out) as stage:  # all outputs, or none: nothing half-written stays
        stop_if_interrupted()
        written = write_outputs(
            result, stage, data_docs=docs, remediation=remediation, lang=language
        )
        stop_if_interrupted()  # a signal a library swallowed: publish nothing
    written = [final_path(path, stage, out) for path in written]
    console.print(summary_table(result))
    for line in audit_report(result, written, time.monotonic() - started):
        console.print(line, highlight=False, soft_wrap=True)


def sql_command(
    kind: Annotated[str, typer.Argument(help="Source kind (analytics, crm, ..., data_map).")],
    dialect: Annotated[str, typer.Option(help="bigquery, spark or duckdb.")] = "duckdb",
    query: Annotated[
        str,
        typer.Option(
            help="flagged (the flagged rows), counts (coverage counts) or derived (every row)."
        ),
    ] = "flagged",
    flat: Annotated[
        bool,
        typer.Option(
            "--flat/--nested",
            help="For analytics in BigQuery: the flattened export's columns instead of "
            "GA4's nested events_* table (the default there).",
        ),
    ] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Audit date YYYY-MM-DD (default today, UTC).")
    ] = None,
    policy_file: PolicyOpt = None,
) -> None:
    """Print the SQL a source kind's rules run, to review or run in the BigQuery console."""
    from ropa.engine import DIALECTS, kind_sql
    from ropa.rules import Context
    from ropa.suites import load_suites

    if dialect not in DIALECTS:
        raise UsageError(f"--dialect must be one of {', '.join(DIALECTS)}, got {dialect!r}")
    if query not in ("flagged", "counts", "derived"):
        raise UsageError(f"--query must be flagged, counts or derived, got {query!r}")
    pol = _policy(policy_file)
    suites, _ = load_suites(None, pol)
    if kind not in suites:
        raise UsageError(f"unknown source kind {kind!r} (one of {', '.join(sorted(suites))})")
    # Every cross-source table is there (joined by name: erased, unsubscribed).
    ctx = Context(as_of=_parse_date(as_of), policy=pol, present=frozenset(suites))
    nested = kind == "analytics" and dialect == "bigquery" and not flat
    text = kind_sql(kind, dialect, ctx, suites[kind], query, nested_ga4=nested)
    sys.stdout.write(text.rstrip("\n") + ";\n")


def _spark_available(master: str | None) -> None:
    """Fail early, in one line, when the Spark engine cannot start."""
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        raise UsageError("--engine spark needs PySpark: pip install 'ropa[spark]'")
    from ropa.engine import backend

    backend("spark", master=master)


def subject(
    data_dir: Annotated[Path, typer.Argument(help="Folder with the exports.")],
    email: Annotated[str | None, typer.Option(help="The person's e-mail address.")] = None,
    phone: Annotated[str | None, typer.Option(help="The person's phone number.")] = None,
    export: Annotated[
        Path | None, typer.Option(help="Write the person's data as JSON (Art. 15 / 20).")
    ] = None,
    policy_file: PolicyOpt = None,
) -> None:
    """Find one person in every source: where they appear, and which rows an erasure removes."""
    from rich.table import Table
    from rich.text import Text

    from ropa.subject import KEEP_ON_ERASURE, export_json, search_folder

    pol, folder = _policy(policy_file), _data_dir(data_dir)
    if export is not None:
        check_output(export, option="--export", folder=False, inputs=[folder, pol.path])
    report = _read(
        lambda progress: search_folder(
            folder, email=email, phone=phone, policy=pol, progress=progress
        )
    )
    if not report.found:
        console.print(f"not found in {report.searched_sources} sources")
        return
    table = Table(
        title=Text(f"found in {len(report.matches)} of {report.searched_sources} sources")
    )
    for col in ("file", "rows", "activity", "categories", "on erasure"):
        table.add_column(col)
    for m in report.matches:
        cells = (
            printable(m.source),
            ", ".join(map(str, m.rows)),
            m.activity,
            ", ".join(m.categories),
            "keep: " + KEEP_ON_ERASURE[m.kind] if m.kind in KEEP_ON_ERASURE else "delete rows",
        )
        table.add_row(*map(Text, cells))
    console.print(table)
    if export is not None:
        export_json(report, export)
        console.print(f"wrote {printable(export)}")


def _logging(verbose: bool) -> None:
    import logging

    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if verbose:  # library warnings become log lines (main ignores them otherwise)
        warnings.simplefilter("default")
        for developer_only in (DeprecationWarning, PendingDeprecationWarning):
            warnings.filterwarnings("ignore", category=developer_only)
        warnings.showwarning = _log_warning


def _log_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """One log line per library warning: its class and where it was raised, not its text
    (a library may quote a cell value in it)."""
    import logging

    where = "/".join(Path(filename).parts[-3:])
    logging.getLogger("py.warnings").warning("%s from %s:%d", category.__name__, where, lineno)
