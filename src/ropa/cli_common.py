"""What every `ropa` command shares: the typer app, the plain-text consoles, the options,
and reading the arguments (dates, the policy, the data folder) into one-line errors."""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ropa.errors import UsageError, printable

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


def _read(run: Any) -> Any:
    """``run(progress)`` with a progress bar on a terminal, closed afterwards."""
    progress = _progress()
    try:
        return run(progress)
    finally:
        if progress is not None:
            progress.close()
