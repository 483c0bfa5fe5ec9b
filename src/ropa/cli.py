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
import warnings
from typing import Any

import typer
from typer.exceptions import TyperException

from ropa import cli_audit, cli_inputs
from ropa.cli_common import app, console, err_console
from ropa.errors import RopaError, printable
from ropa.progress import PENDING

__all__ = ["app", "console", "main"]

# The commands, in the order `ropa --help` lists them.
app.command()(cli_inputs.policy)
app.command()(cli_inputs.sources)
app.command("map")(cli_inputs.map_)
app.command()(cli_inputs.samples)
app.command()(cli_inputs.suites)
app.command()(cli_audit.audit)
app.command("sql")(cli_audit.sql_command)
app.command()(cli_audit.subject)


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
    stop = Interrupted(signum)
    PENDING.append(stop)  # raised again should a library swallow it (ropa.progress)
    raise stop


def _unraisable(info: Any) -> None:
    """A signal that arrived inside a finalizer (``ZipFile.__del__``) is swallowed there
    and raised again at the next step (``ropa.progress.PENDING``): no traceback for it."""
    if not isinstance(info.exc_value, Interrupted):
        sys.__unraisablehook__(info)


def _fail(message: str, code: int) -> None:
    """The one line on stderr (control characters escaped), then exit."""
    err_console.print(f"error: {printable(message)}", soft_wrap=True)
    sys.exit(code)


def _run_app() -> None:
    try:
        app(standalone_mode=False)
    except Exception:
        # After a signal, whatever ends the run is its doing: a library may wrap the
        # exception the handler raised in its own (DuckDB: "Query interrupted").
        if PENDING:
            raise PENDING[0] from None
        raise


def main() -> None:
    """Entry point: run the app, turning user errors into one line and exit code 2,
    SIGINT / SIGTERM into one line and exit 130 / 143, anything else into exit 1."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _interrupt)
    sys.unraisablehook = _unraisable
    warnings.simplefilter("ignore")  # a library warning is not the user's error line
    try:
        _run_app()
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
