"""The folder walk: iterative (any depth), sorted, follows no link out of the folder and
never loops (a link cycle or a broken link is skipped, not an error)."""

from __future__ import annotations

import os
from pathlib import Path

_HIDDEN_FILES = (".", "~$")  # hidden files, Office lock files


def walk_files(data_dir: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """Relative POSIX paths of the files under ``data_dir`` (sorted), and the entries
    skipped with a reason: links leaving the folder, link loops, unreadable folders."""
    root = os.path.realpath(data_dir)
    found: list[str] = []
    skipped: list[tuple[str, str]] = []
    seen_dirs = {root}
    # (path on disk, its real path, relative prefix)
    stack: list[tuple[str, str, str]] = [(str(data_dir), root, "")]
    while stack:
        path, real_parent, prefix = stack.pop()
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            skipped.append((prefix or ".", "folder cannot be read"))
            continue
        for entry in entries:
            rel = prefix + entry.name
            if entry.name.startswith(_HIDDEN_FILES):
                continue
            real = os.path.join(real_parent, entry.name)
            if entry.is_symlink():
                try:
                    target = os.path.realpath(entry.path, strict=True)
                except (OSError, RuntimeError):
                    skipped.append((rel, "link is broken or loops"))
                    continue
                if target != root and not target.startswith(root + os.sep):
                    skipped.append((rel, "link points outside the data folder"))
                    continue
                real = target
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                skipped.append((rel, "cannot be read"))
                continue
            if is_dir:
                if real in seen_dirs:
                    skipped.append((rel, "link loops back into the folder walked"))
                    continue
                seen_dirs.add(real)
                stack.append((entry.path, real, rel + "/"))
            elif is_file:
                found.append(rel)
    return sorted(found), skipped
