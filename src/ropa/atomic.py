"""Write a file so that it appears whole or not at all.

Every file ropa writes (findings, workbooks, suites, coverage, remediation lists, a data
subject's export) goes through ``atomic_write``: the content is written to a temporary
file beside the target, given its mode and renamed over the target. A reader never sees
half a file, an interrupted run leaves none behind, and the file is never readable by
others for a moment (the temporary file is created 0600, whatever the umask).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

PRIVATE = 0o600  # findings, workbooks, a subject's export: for the owner only


def atomic_write(path: Path, write: Callable[[Path], object], *, mode: int = PRIVATE) -> Path:
    """Call ``write(tmp)`` for a temporary file beside ``path`` (folders created), set
    ``mode`` and rename it into place; on any error or interrupt the temporary file is
    removed and ``path`` is left as it was. Returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return path
