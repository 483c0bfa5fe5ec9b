"""Progress reporting for long runs: a rich bar on a terminal, nothing otherwise.

Loaders and the audit take an optional ``progress`` object with one method,
``step(description)``: a context manager around one unit of work (one source file, one
rule). ``None`` means silent; the CLI passes ``RichProgress`` only when stderr is a TTY.
Descriptions name files and rules, never values.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ropa.errors import printable


class ProgressLike(Protocol):
    def step(self, description: str) -> AbstractContextManager[None]: ...


class RichProgress:
    """The unit of work under way (source file, rule) with a spinner and elapsed time.

    Transient: a finished step's line goes, and the whole display is cleared when the
    run ends, so nothing stays stuck above the summary. Descriptions are plain text
    (a file name holding ``[/]`` is shown as it is, never read as markup), with control
    characters and escape sequences escaped (``errors.printable``)."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._started = False

    @contextmanager
    def step(self, description: str) -> Iterator[None]:
        if not self._started:
            self._progress.start()
            self._started = True
        task = self._progress.add_task(printable(description), total=1)
        try:
            yield
        finally:
            self._progress.remove_task(task)

    def close(self) -> None:
        if self._started:
            self._progress.stop()
            self._started = False


# The signal the CLI received (``ropa.cli``). Its handler raises at once; should a
# library swallow that exception (a finalizer such as ``ZipFile.__del__`` ignores what
# it raises), every later step, and the moment before outputs are published, raise it.
PENDING: list[BaseException] = []


def stop_if_interrupted() -> None:
    if PENDING:
        raise PENDING[0]


@contextmanager
def step(progress: ProgressLike | None, description: str) -> Iterator[None]:
    """Run one unit of work under ``progress`` if there is one."""
    stop_if_interrupted()
    if progress is None:
        yield
    else:
        with progress.step(description):
            yield
    stop_if_interrupted()
