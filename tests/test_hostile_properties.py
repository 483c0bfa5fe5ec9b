"""Properties of the command line over hostile file names, folder shapes and output
paths: exit 0 or 2 (never 1, never a crash), exit 2 is exactly one stderr line, the data
folder stays byte-identical with nothing added, and no planted personal value reaches
stdout, stderr or any output. The CLI runs in this process (``ropa.cli.main``) so that a
few dozen audits stay within the time of a test file."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from tests.test_hostile_cli import snapshot

EMAIL = "kari.nordmann@example.no"
NAME = "Kari Nordmann"
ENVOY = (
    "Your Full Name,Your Email Address,Your Phone Number,Your Company,"
    "Signed in time (UTC),Signed out time (UTC),Host,Purpose of visit,Private notes,Location\n"
    f"{NAME},{EMAIL},48178340,Equinor ASA,2026-09-29 15:11:13,2026-09-29 22:06:29,"
    "Marianne Berg,Jobbintervju,,Oslo\n"
    "Tor Karlsen,tor.karlsen@example.no,,,2026-09-30 12:22:01,2026-09-30 18:26:35,"
    "Stian Fossum,Levering,,Oslo\n"
)
PROPERTY = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module", autouse=True)
def _env() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ROPA_KEY", "hostile-properties")
        mp.setenv("COLUMNS", "250")
        mp.delenv("ROPA_DEBUG", raising=False)
        yield


def ropa(*args: str) -> tuple[int, str, str]:
    """``ropa ARGS`` in this process: (exit code, stdout, stderr)."""
    from ropa.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    code: object = 0
    redirect = contextlib.redirect_stdout(out), contextlib.redirect_stderr(err)
    with warnings.catch_warnings(), redirect[0], redirect[1]:
        sys.argv = ["ropa", *args]
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        finally:
            sys.argv = argv
    return (code if isinstance(code, int) else 1), out.getvalue(), err.getvalue()


def output_text(out: Path) -> str:
    """Everything written under ``out``, workbooks unzipped."""
    parts = []
    for path in sorted(out.rglob("*")) if out.is_dir() else []:
        if not path.is_file():
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                parts += [book.read(n).decode("utf-8", "replace") for n in book.namelist()]
        else:
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def check_run(data: Path, out: Path, before: dict[str, str], *args: str) -> int:
    code, stdout, stderr = ropa(
        "audit", str(data), "--as-of", "2026-09-30", "--out", str(out), *args
    )
    assert code in (0, 2), (code, stdout, stderr)
    if code == 2:
        lines = stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    assert snapshot(data) == before  # byte-identical, nothing added
    real, home = out.resolve(), data.resolve()
    inside = real == home or home in real.parents or real in home.parents  # holds inputs
    written = "" if inside else output_text(out)
    for value in (EMAIL, NAME, "48178340"):
        assert value not in stdout and value not in stderr and value not in written
    return code


NAMES = st.one_of(
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(
        ["[/]", "[bold red]x[/]", "-x", "--out", "a\nb", "a\rb", " lead", "x" * 240, "ø" * 100]
    ),
).filter(lambda n: n not in (".", "..") and len(n.encode("utf-8")) <= 240)


@PROPERTY
@given(name=NAMES, ext=st.sampled_from([".csv", ".CSV", "", ".txt"]))
def test_any_file_name_audits_or_fails_in_one_line(tmp_path_factory, name: str, ext: str) -> None:
    root = tmp_path_factory.mktemp("names")
    data = root / "data"
    data.mkdir()
    path = data / (name + ext if len((name + ext).encode()) <= 250 else name)
    path.parent.mkdir(parents=True, exist_ok=True)  # "[/]": a folder "[" holding "]"
    path.write_text(ENVOY, encoding="utf-8")
    code = check_run(data, root / "out", snapshot(data))
    hidden = any(part.startswith((".", "~$")) for part in path.relative_to(data).parts)
    if ext.lower() == ".csv" and not hidden:
        assert code == 0  # any name of a CSV export: read and audited


@PROPERTY
@given(
    depth=st.integers(0, 40),
    empty=st.lists(st.integers(0, 40), max_size=4),
    name=st.sampled_from(["visits.csv", "[x]/[/].csv", "-.csv"]),
)
def test_any_folder_shape_audits_or_fails_in_one_line(
    tmp_path_factory, depth: int, empty: list[int], name: str
) -> None:
    root = tmp_path_factory.mktemp("shapes")
    data = root / "data"
    where = data.joinpath(*[f"d{i}" for i in range(depth)])
    (where / name).parent.mkdir(parents=True, exist_ok=True)
    (where / name).write_text(ENVOY, encoding="utf-8")
    for level in empty:
        data.joinpath(*[f"e{i}" for i in range(level + 1)]).mkdir(parents=True, exist_ok=True)
    code = check_run(data, root / "out", snapshot(data))
    assert code == 0  # the export is found at any depth, empty folders do not matter


OUTS = ["data", "data/sub", "data/sub/visits.csv", "data/new", "file.txt", "file.txt/out",
        "out", "out/findings.csv", ".", "data/.."]  # fmt: skip


@PROPERTY
@given(out=st.sampled_from(OUTS), findings_folder=st.booleans())
def test_any_output_path_is_written_or_refused_in_one_line(
    tmp_path_factory, out: str, findings_folder: bool
) -> None:
    root = tmp_path_factory.mktemp("outs")
    data = root / "data"
    (data / "sub").mkdir(parents=True)
    (data / "sub" / "visits.csv").write_text(ENVOY, encoding="utf-8")
    (root / "file.txt").write_text("keep me\n", encoding="utf-8")
    if findings_folder:
        (root / "out" / "findings.csv").mkdir(parents=True)
    before_root = (root / "file.txt").read_bytes()
    target = root / out
    code = check_run(data, target, snapshot(data))
    inside = target.resolve() == data.resolve() or data.resolve() in target.resolve().parents
    if inside or out.startswith("file.txt") or (out == "out" and findings_folder):
        assert code == 2
    assert (root / "file.txt").read_bytes() == before_root


def test_a_markup_file_name_is_printed_as_it_is(tmp_path: Path) -> None:
    """As a user runs it (a subprocess): the relative path ``[bold red]x[/].csv`` is
    printed as it is, with no style and no markup error."""
    data = tmp_path / "data"
    (data / "[bold red]x[").mkdir(parents=True)  # the "/" makes it a folder and a file
    (data / "[bold red]x[/].csv").write_text(ENVOY, encoding="utf-8")
    env = {**os.environ, "ROPA_KEY": "hostile-properties", "COLUMNS": "250"}
    for args in (["sources", str(data)], ["audit", str(data), "--out", str(tmp_path / "o")]):
        proc = subprocess.run(
            [sys.executable, "-m", "ropa", *args],
            capture_output=True, text=True, env=env, timeout=600, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert "[bold red]x[/].csv" in proc.stdout
        assert "\x1b[" not in proc.stdout and proc.stderr == ""
    shutil.rmtree(tmp_path / "o")
