"""Errors a user can cause. The CLI prints them as one line and exits 2.

Messages name the file and the problem and never contain a raw personal value.
"""

from __future__ import annotations

from pathlib import Path


class RopaError(Exception):
    """A problem with input or usage that the user can fix."""

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path else message)


class PolicyError(RopaError):
    """The policy file is missing or malformed."""


class SourceError(RopaError):
    """An input file cannot be read as any known export."""


class UsageError(RopaError):
    """Bad command-line arguments (dates, folders)."""


def printable(text: object) -> str:
    """``text`` with every non-printable character (newline, tab, ESC, other control and
    format characters) escaped as in ``repr``, so a message stays one plain line and a
    crafted file name cannot break or restyle the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))
