"""The folder walk: iterative, no link out of the folder, no loop."""

from __future__ import annotations

import os
from pathlib import Path

from ropa.sources.walk import walk_files


def test_walk_skips_file_link_loop_and_outside_link(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "ok.csv").write_text("a\n1\n")
    (data / ".hidden.csv").write_text("a\n1\n")
    os.symlink("b", data / "a")
    os.symlink("a", data / "b")
    (tmp_path / "secret.csv").write_text("a\n1\n")
    os.symlink(tmp_path / "secret.csv", data / "out.csv")
    os.symlink(".", data / "self")
    files, skipped = walk_files(data)
    assert files == ["ok.csv"]
    reasons = dict(skipped)
    assert set(reasons) == {"a", "b", "out.csv", "self"}
    assert reasons["out.csv"] == "link points outside the data folder"


def test_walk_handles_1200_deep_tree(tmp_path: Path) -> None:
    cur = tmp_path
    for _ in range(1200):
        cur = cur / "x"
        cur.mkdir()
    (cur / "deep.csv").write_text("a\n1\n")
    files, skipped = walk_files(tmp_path)
    assert files == ["x/" * 1200 + "deep.csv"]
    assert skipped == []
    # remove the tree bottom-up: pytest's recursive clean-up of old temp folders would
    # otherwise hit Python's recursion limit on it in a later run
    (cur / "deep.csv").unlink()
    while cur != tmp_path:
        cur.rmdir()
        cur = cur.parent
