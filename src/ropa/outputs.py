"""Where ropa may write: one check for every command that writes, and staged outputs.

``check_output`` runs before any work is done, so a bad output path costs the user one
line (exit 2), not an audit. ropa never writes inside the data folder nor over an input
file; a file where a folder is expected (and the reverse) and a location it cannot write
are named in one line.

``staged`` lets a command write all its outputs into a hidden folder beside them and
move them into place only when every one is complete: an interrupted run leaves nothing
behind, never ``findings.csv`` without the workbook.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from ropa.errors import UsageError

_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _resolve(path: Path, option: str) -> Path:
    """The real path the system will write to: symlinks followed one component at a
    time, so ``link/..`` is the link target's parent (never ``..`` dropped by spelling)."""
    try:
        return (Path.cwd() / path).resolve()
    except (OSError, RuntimeError):  # a symlink loop, a name too long
        raise UsageError(f"{option}: the path cannot be resolved (a symlink loop?)", path) from None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output(
    path: Path,
    *,
    option: str,
    folder: bool,
    files: Sequence[str] = (),
    folders: Sequence[str] = (),
    inputs: Sequence[Path] = (),
) -> Path:
    """Refuse an output path ropa must not or cannot write, as one UsageError line.

    ``folder``: the output is a folder holding ``files`` and ``folders`` (else a file).
    ``inputs``: the data folder and input files; nothing may be written inside or over
    them (symlinks followed). Nothing is created: writability is probed with a temporary
    folder that is removed at once. Returns ``path`` unchanged.
    """
    target = _resolve(path, option)
    written = [target]
    if folder:
        written += [_resolve(target / name, option) for name in (*files, *folders)]
    for given in inputs:
        source = _resolve(given, "input")
        for out in written:
            if source.is_dir() and _inside(out, source):
                raise UsageError(
                    f"{option} must not be inside the data folder (inputs are never changed)",
                    path,
                )
            if out == source:
                raise UsageError(f"{option} would overwrite an input file", path)

    if folder:
        if target.exists() and not target.is_dir():
            raise UsageError(f"{option} must be a folder, but this is a file", path)
        for name in files:
            if (target / name).is_dir():
                raise UsageError(f"{option} holds a folder named {name} where a file goes", path)
        for name in folders:
            if (target / name).exists() and not (target / name).is_dir():
                raise UsageError(f"{option} holds a file named {name} where a folder goes", path)
    elif target.is_dir():
        raise UsageError(f"{option} is a folder; give a file name", path)

    existing = target if folder and target.is_dir() else target.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{option} cannot be created: {existing} is a file, not a folder", path)
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".ropa-probe-", dir=existing))
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UsageError(f"{option} cannot be written in {existing} ({reason})", path) from None
    return path


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A hidden folder inside ``out`` (its real, absolute path) to write every output
    into; on success its entries replace those in ``out`` (SIGINT/SIGTERM held back while
    they move), on any failure or interrupt it is removed, and so are the folders up to
    ``out`` that this run created."""
    out = _resolve(out, "output folder")  # where check_output looked, not a spelling
    missing = [p for p in (out, *out.parents) if not p.exists()]
    stage: Path | None = None
    try:
        out.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".ropa-partial-", dir=out))
        yield stage
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        try:
            for entry in sorted(stage.iterdir()):
                _move(entry, out / entry.name, stage)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
    except BaseException:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        for created in missing:  # innermost first; stops at the first one not empty
            try:
                created.rmdir()
            except OSError:
                break
        raise
    shutil.rmtree(stage, ignore_errors=True)


def _move(entry: Path, target: Path, stage: Path) -> None:
    if entry.is_dir() and target.is_dir():  # a folder output (Data Docs): swap it whole
        old = stage / f".old-{entry.name}"
        os.replace(target, old)
        os.replace(entry, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(entry, target)


def private_tree(folder: Path) -> None:
    """Give a folder output (Data Docs) the protection of findings.csv: the folder and
    every folder in it 0700, every file 0600, whatever the umask let its writer make."""
    os.chmod(folder, 0o700)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            os.chmod(Path(root, name), 0o700)
        for name in files:
            os.chmod(Path(root, name), 0o600)


def final_path(written: Path, stage: Path, out: Path) -> Path:
    """Where a file written under ``stage`` is once ``staged`` has moved it into ``out``
    (``out`` as the user wrote it)."""
    return out / Path(written).relative_to(stage)
