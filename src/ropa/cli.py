"""The `ropa` command line. Heavy modules are imported inside commands so `--help` is quick.

Errors a user can cause (RopaError, a file system error) become one line on stderr and
exit code 2; nothing else is printed, so no personal value can leak through a traceback.
Library warnings are not printed (with -v they go to the log). Ctrl-C and SIGTERM stop
the command with one line and exit 130 / 143, leaving no partial output behind.
All console text is plain text: names and paths are never read as Rich markup.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import warnings
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.exceptions import TyperException

from ropa.errors import RopaError, SourceError, UsageError, printable
from ropa.outputs import check_output, final_path, staged

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

app = typer.Typer(
    name="ropa",
    help="Audit personal-data exports against the privacy policy; write the Art. 30 ROPA.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Plain text only: no markup, no emoji codes, no highlighting of what a file is called.
console = Console(markup=False, emoji=False, highlight=False)
err_console = Console(stderr=True, markup=False, emoji=False, highlight=False)
# Audit dates ropa accepts: date arithmetic (months, years) stays far from year 1 and 9999.
DATE_RANGE = (date(1900, 1, 1), date(2200, 12, 31))

PolicyOpt = Annotated[
    Path | None,
    typer.Option("--policy", help="Policy YAML (default: the packaged Metier OEC policy)."),
]
LangOpt = Annotated[
    str,
    typer.Option(
        "--lang", help="Workbook language: en (default) or nb (Norwegian, for Datatilsynet)."
    ),
]


def _lang(value: str) -> str:
    from ropa.catalogue import check_lang

    return check_lang(value)


def _parse_date(value: str | None, what: str = "--as-of") -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{what} must be a date YYYY-MM-DD, got {value!r}") from None
    first, last = DATE_RANGE
    if not first <= day <= last:
        raise UsageError(f"{what} must be between {first} and {last}, got {value!r}")
    return day


def _policy(path: Path | None) -> Any:
    """The policy (a PolicyError: exit 2), its warnings (deprecated keys) on stderr."""
    from ropa.policy import load_policy, policy_warnings

    loaded = load_policy(path)
    for line in policy_warnings(loaded):
        err_console.print(f"warning: {printable(line)}", soft_wrap=True)
    return loaded


def _data_dir(path: Path) -> Path:
    if not path.exists():
        raise UsageError("data folder does not exist", path)
    if not path.is_dir():
        raise UsageError("not a folder", path)
    return path


def _progress() -> Any:
    """A rich progress bar on a terminal, none otherwise."""
    if not sys.stderr.isatty():
        return None
    from ropa.progress import RichProgress

    return RichProgress(err_console)


@app.command()
def policy(
    out: Annotated[Path, typer.Option("--out", help="Workbook to write (.xlsx).")],
    policy_file: PolicyOpt = None,
    lang: LangOpt = "en",
) -> None:
    """Write the ROPA and the policy gaps, from the policy alone, to an Excel workbook."""
    from ropa.report.excel import write_policy_workbook

    language = _lang(lang)
    pol = _policy(policy_file)
    check_output(out, option="--out", folder=False, inputs=[pol.path])
    write_policy_workbook(pol, out, lang=language)
    console.print(f"wrote {printable(out)} ({len(pol.activities)} activities)")


@app.command()
def sources(
    data_dir: Annotated[Path, typer.Argument(help="Folder with the exports.")],
    policy_file: PolicyOpt = None,
) -> None:
    """List the files in DATA_DIR: detected kind, encoding, delimiter, rows, dates, problems."""
    from ropa.reading import read_folder
    from ropa.views import sources_table

    pol, folder = _policy(policy_file), _data_dir(data_dir)
    read = _read(lambda progress: read_folder(folder, tz=pol.timezone, progress=progress))
    console.print(sources_table(read.inventory))


@app.command("map")
def map_(
    data_dir: Annotated[Path, typer.Argument(help="Folder with the exports.")],
    policy_file: PolicyOpt = None,
) -> None:
    """Print the data map: every column, its data category, activity and whether declared."""
    from ropa.reading import read_folder
    from ropa.views import data_map_table

    pol, folder = _policy(policy_file), _data_dir(data_dir)
    read = _read(lambda progress: read_folder(folder, tz=pol.timezone, progress=progress))
    console.print(data_map_table(read.data_map(pol)))


def _read(run: Any) -> Any:
    """``run(progress)`` with a progress bar on a terminal, closed afterwards."""
    progress = _progress()
    try:
        return run(progress)
    finally:
        if progress is not None:
            progress.close()


@app.command()
def samples(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the sample exports to.")],
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same bytes).")] = 7,
    as_of: Annotated[str, typer.Option("--as-of", help="Audit date the samples target.")] = (
        "2026-09-30"
    ),
    scale: Annotated[float, typer.Option(help="Row multiplier (1 = a few thousand).")] = 1.0,
) -> None:
    """Generate realistic sample exports with planted violations and a manifest.json."""
    from ropa_samples import write_samples

    if scale <= 0:
        raise UsageError(f"--scale must be positive, got {scale}")
    day = _parse_date(as_of)
    check_output(out_dir, option="OUT_DIR", folder=True, files=["manifest.json"])
    manifest = write_samples(out_dir, seed=seed, as_of=day, scale=scale)
    rows = sum(f["rows"] for f in manifest["files"].values())
    console.print(f"wrote {len(manifest['files'])} files, {rows:,} rows to {printable(out_dir)}")


@app.command()
def suites(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the suite JSON.")] = Path(
        "expectations"
    ),
    policy_file: PolicyOpt = None,
) -> None:
    """Generate the Great Expectations suites (one JSON per source kind) from the policy."""
    from ropa.suites import write_suites

    pol = _policy(policy_file)
    check_output(out_dir, option="--out", folder=True, inputs=[pol.path])
    written = write_suites(pol, out_dir)
    console.print(f"wrote {len(written)} suites to {printable(out_dir)}")


AUDIT_FILES = ("findings.csv", "findings.parquet", "coverage.csv", "changes.csv", "audit.json")


@app.command()
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
        written = write_outputs(
            result, stage, data_docs=docs, remediation=remediation, lang=language
        )
    written = [final_path(path, stage, out) for path in written]
    console.print(summary_table(result))
    for line in audit_report(result, written, time.monotonic() - started):
        console.print(line, highlight=False, soft_wrap=True)


@app.command("sql")
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


@app.command()
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


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived. A BaseException, so that no ``except Exception`` in
    ropa or a library swallows it, and every ``finally`` on the way out runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum: int, _frame: object) -> None:
    # a second signal must not cut the cleanup short
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signum)


def _fail(message: str, code: int) -> None:
    """The one line on stderr (control characters escaped), then exit."""
    err_console.print(f"error: {printable(message)}", soft_wrap=True)
    sys.exit(code)


def main() -> None:
    """Entry point: run the app, turning user errors into one line and exit code 2,
    SIGINT / SIGTERM into one line and exit 130 / 143, anything else into exit 1."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _interrupt)
    warnings.simplefilter("ignore")  # a library warning is not the user's error line
    try:
        app(standalone_mode=False)
    except Interrupted as exc:
        name = signal.Signals(exc.signum).name
        _fail(f"interrupted by {name}", 128 + exc.signum)
    except RopaError as exc:
        _fail(str(exc), 2)
    except typer.Exit as exc:
        if exc.exit_code == 130:  # a KeyboardInterrupt before the handler was set
            _fail("interrupted by SIGINT", 130)
        sys.exit(exc.exit_code)
    except typer.Abort:
        _fail("aborted", 130)
    except TyperException as exc:  # usage errors (typer's own exception base)
        format_message = getattr(exc, "format_message", None)
        _fail(format_message() if callable(format_message) else str(exc), 2)
    except OSError as exc:  # the file system refused: a full disk, a permission, a name
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or type(exc).__name__}", 2)
    except Exception as exc:
        if os.environ.get("ROPA_DEBUG"):
            raise
        # An unexpected bug: say so in one line without the values that caused it.
        _fail(f"internal error ({type(exc).__name__}); rerun with ROPA_DEBUG=1 for details", 1)
