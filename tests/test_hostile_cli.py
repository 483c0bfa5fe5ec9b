"""The command line under hostile use: bad output paths, dates at the edge of the
calendar, Ctrl-C and SIGTERM mid-audit, library warnings, control characters and Rich
markup in names. Every case runs ``python -m ropa`` as a user would."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
AS_OF = "2026-09-30"
ENVOY = "envoy/entries-2026-09-30.csv"
REQUESTS = "requests/rights-requests.csv"
PERSON = "kari.nordmann@example.no"  # in the sample Envoy export (manifest.json)


def run(
    *args: str, tmpdir: Path | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ROPA_KEY": "hostile-cli", "COLUMNS": "250"}
    if tmpdir is not None:
        env["TMPDIR"] = str(tmpdir)
    return subprocess.run(
        [sys.executable, "-m", "ropa", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
        check=False,
    )


def start(*args: str, tmpdir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "ROPA_KEY": "hostile-cli", "TMPDIR": str(tmpdir)}
    return subprocess.Popen(
        [sys.executable, "-m", "ropa", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in lines[0]
    return lines[0]


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry below ``folder`` (files by content, folders by name)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "dir"
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A small data folder: the sample Envoy export and rights-request log."""
    folder = tmp_path / "data"
    for rel in (ENVOY, REQUESTS):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES / rel, folder / rel)
    return folder


# 1. Output paths: checked once, before any work, for every command that writes.


def test_subject_export_over_an_input_file_is_refused_and_the_input_kept(data: Path) -> None:
    before = snapshot(data)
    for export in (data / REQUESTS, data / "x.json", data / "envoy" / "new" / "p.json"):
        line = one_line_error(run("subject", str(data), "--email", PERSON, "--export", str(export)))
        assert "--export must not be inside the data folder" in line, line
        assert snapshot(data) == before  # byte-identical, no file or folder added


def test_subject_export_through_a_symlink_into_the_data_folder_is_refused(
    data: Path, tmp_path: Path
) -> None:
    before = snapshot(data)
    link = tmp_path / "looks-outside.json"
    link.symlink_to(data / REQUESTS)
    line = one_line_error(run("subject", str(data), "--email", PERSON, "--export", str(link)))
    assert "must not be inside the data folder" in line
    assert snapshot(data) == before


def test_subject_export_to_a_folder_is_refused(data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    line = one_line_error(run("subject", str(data), "--email", PERSON, "--export", str(folder)))
    assert "--export is a folder" in line
    assert list(folder.iterdir()) == []


def test_subject_export_outside_the_data_folder_is_written(data: Path, tmp_path: Path) -> None:
    export = tmp_path / "answers" / "kari.json"
    proc = run("subject", str(data), "--email", PERSON, "--export", str(export))
    assert proc.returncode == 0, proc.stderr
    assert ENVOY in export.read_text(encoding="utf-8")


def test_audit_out_that_is_a_file_or_below_a_file_is_refused(data: Path, tmp_path: Path) -> None:
    afile = tmp_path / "report.txt"
    afile.write_text("keep me\n", encoding="utf-8")
    line = one_line_error(run("audit", str(data), "--as-of", AS_OF, "--out", str(afile)))
    assert "--out must be a folder, but this is a file" in line
    line = one_line_error(
        run("audit", str(data), "--as-of", AS_OF, "--out", str(afile / "deeper" / "out"))
    )
    assert "--out cannot be created" in line and "report.txt is a file, not a folder" in line
    assert afile.read_text(encoding="utf-8") == "keep me\n"


def test_audit_out_holding_a_folder_where_an_output_file_goes_is_refused(
    data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "findings.csv").mkdir(parents=True)
    line = one_line_error(run("audit", str(data), "--as-of", AS_OF, "--out", str(out)))
    assert "holds a folder named findings.csv where a file goes" in line
    (out / "findings.csv").rmdir()
    (out / f"ropa-{AS_OF}.xlsx").mkdir()
    line = one_line_error(run("audit", str(data), "--as-of", AS_OF, "--out", str(out)))
    assert f"ropa-{AS_OF}.xlsx" in line
    assert sorted(p.name for p in out.iterdir()) == [f"ropa-{AS_OF}.xlsx"]


def test_audit_out_inside_the_data_folder_or_through_a_link_to_it_is_refused(
    data: Path, tmp_path: Path
) -> None:
    before = snapshot(data)
    link = tmp_path / "out-link"
    link.symlink_to(data / "envoy")
    # link/.. is the data folder for the system, whatever the spelling says
    for out in (data, data / "out", link, link / ".." / "out"):
        line = one_line_error(run("audit", str(data), "--as-of", AS_OF, "--out", str(out)))
        assert "--out must not be inside the data folder" in line
    assert snapshot(data) == before


def test_outputs_in_an_unwritable_place_are_refused(data: Path) -> None:
    cases = [
        ("audit", str(data), "--as-of", AS_OF, "--out", "/proc/ropa-out"),
        ("subject", str(data), "--email", PERSON, "--export", "/proc/ropa.json"),
        ("policy", "--out", "/proc/ropa.xlsx"),
        ("samples", "/proc/ropa-samples"),
    ]
    for args in cases:
        line = one_line_error(run(*args))
        assert "cannot be written in /proc" in line, (args, line)


def test_policy_out_and_samples_out_of_the_wrong_kind_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert "--out is a folder" in one_line_error(run("policy", "--out", str(folder)))
    policy_file = tmp_path / "policy.yaml"
    shutil.copyfile(ROOT / "src" / "ropa" / "policy" / "policy.yaml", policy_file)
    before = policy_file.read_bytes()
    line = one_line_error(run("policy", "--policy", str(policy_file), "--out", str(policy_file)))
    assert "--out would overwrite an input file" in line
    assert policy_file.read_bytes() == before
    afile = tmp_path / "samples.txt"
    afile.write_text("x", encoding="utf-8")
    assert "OUT_DIR must be a folder" in one_line_error(run("samples", str(afile)))
    assert "is a file, not a folder" in one_line_error(run("samples", str(afile / "s")))
    assert afile.read_text(encoding="utf-8") == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder", "policy.yaml", "samples.txt"]


def test_a_second_audit_replaces_the_outputs_and_the_data_docs_folder_whole(
    data: Path, tmp_path: Path
) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    out = tmp_path / "out"
    stale = out / "data-docs" / "stale.html"
    for run_number in (1, 2):  # a relative --out; the second finds every output in place
        proc = run(
            "audit", str(data), "--as-of", AS_OF, "--out", "out", "--data-docs",
            tmpdir=tmpdir, cwd=tmp_path,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        if run_number == 1:
            stale.write_text("from an earlier run", encoding="utf-8")
    assert not stale.exists()  # the Data Docs folder was replaced whole, atomically
    names = {p.name for p in out.iterdir()}
    assert names == {"findings.csv", "findings.parquet", "coverage.csv", f"ropa-{AS_OF}.xlsx",
                     "audit.json", "data-docs"}  # fmt: skip
    assert (out / "data-docs" / "index.html").is_file()
    assert list(tmpdir.iterdir()) == []


# 2. Audit dates: a clear line outside 1900-01-01 .. 2200-12-31, a working audit inside.


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"])
def test_as_of_outside_the_accepted_range_is_one_line(data: Path, tmp_path: Path, day: str) -> None:
    out = tmp_path / "out"
    line = one_line_error(run("audit", str(data), "--as-of", day, "--out", str(out)))
    assert line == f"error: --as-of must be between 1900-01-01 and 2200-12-31, got '{day}'"
    assert not out.exists()
    line = one_line_error(run("samples", str(tmp_path / "s"), "--as-of", day))
    assert "--as-of must be between" in line


@pytest.mark.parametrize("day", ["1900-01-01", "2200-12-31"])
def test_as_of_at_the_ends_of_the_range_audits(tmp_path: Path, day: str) -> None:
    out = tmp_path / "out"
    proc = run("audit", str(SAMPLES), "--as-of", day, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert (out / f"ropa-{day}.xlsx").is_file() and (out / "findings.csv").is_file()


# 3. Ctrl-C and SIGTERM mid-audit: 130 / 143, one line, no partial output, no temp file.


@pytest.fixture(scope="module")
def big_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Samples at --scale 20 (about 100,000 rows): an audit that takes a few seconds."""
    folder = tmp_path_factory.mktemp("scale20") / "data"
    proc = run("samples", str(folder), "--scale", "20", "--seed", "7", "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    return folder


def _in_writing(out: Path) -> bool:
    """findings.csv is written and the workbook is not yet: the moment a run that stops
    could leave one without the other."""
    return any((stage / "findings.csv").exists() for stage in out.glob(".ropa-partial-*"))


def _interrupt(data: Path, out: Path, tmpdir: Path, sig: int, when: str) -> tuple[int, str]:
    proc = start("audit", str(data), "--as-of", AS_OF, "--out", str(out), tmpdir=tmpdir)
    deadline = time.monotonic() + 300
    if when == "reading":
        time.sleep(1.5)
    else:
        while not _in_writing(out) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
    assert proc.poll() is None, "the audit ended before the signal could be sent"
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=120)
    return proc.returncode, stderr


@pytest.mark.parametrize(
    ("sig", "code", "when"),
    [
        (signal.SIGINT, 130, "reading"),
        (signal.SIGTERM, 143, "reading"),
        (signal.SIGINT, 130, "writing"),
        (signal.SIGTERM, 143, "writing"),
    ],
)
def test_a_signal_mid_audit_leaves_no_output_and_no_temporary_file(
    big_data: Path, tmp_path: Path, sig: int, code: int, when: str
) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    before = snapshot(big_data)
    out = tmp_path / "out"
    returncode, stderr = _interrupt(big_data, out, tmpdir, sig, when)
    assert returncode == code, stderr
    assert stderr.splitlines() == [f"error: interrupted by {signal.Signals(sig).name}"]
    assert not out.exists()  # this run created it, so it goes: no findings, no stage
    assert list(tmpdir.iterdir()) == []  # xlsxwriter's part files did not land in TMPDIR
    assert snapshot(big_data) == before


def test_an_interrupted_audit_keeps_the_previous_outputs_as_they_were(
    big_data: Path, data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run("audit", str(data), "--as-of", AS_OF, "--out", str(out)).returncode == 0
    previous = snapshot(out)
    assert {"findings.csv", "coverage.csv", f"ropa-{AS_OF}.xlsx"} <= set(previous)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    returncode, stderr = _interrupt(big_data, out, tmpdir, signal.SIGINT, "writing")
    assert returncode == 130 and len(stderr.splitlines()) == 1, stderr
    assert snapshot(out) == previous  # not one file of the new run, none half-written
    assert list(tmpdir.iterdir()) == []


# 4. Every exit 2 is exactly one stderr line.


def _workbook_without_default_style(path: Path) -> None:
    """An .xlsx openpyxl opens with a UserWarning ("no default style") and ropa does not
    recognise (its header is no known export)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["colour", "size"])
    book.active.append(["red", 4])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as dst:
        for name in src.namelist():
            blob = src.read(name)
            if name == "xl/styles.xml":
                blob = re.sub(rb"<cellStyles.*?</cellStyles>", b"", blob, flags=re.S)
            dst.writestr(name, blob)


def test_a_library_warning_does_not_add_a_line_before_the_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _workbook_without_default_style(data / "notes.xlsx")
    line = one_line_error(run("audit", str(data), "--as-of", AS_OF, "--out", str(tmp_path / "o")))
    assert "no file could be read" in line
    # with -v the warning is a log line, not Python's two-line warning print
    proc = run("audit", str(data), "--as-of", AS_OF, "--out", str(tmp_path / "o"), "-v")
    assert proc.returncode == 2
    *log, last = proc.stderr.splitlines()
    warned = "WARNING py.warnings: UserWarning from openpyxl/styles/stylesheet.py:"
    assert [ln for ln in log if "py.warnings" in ln] == [ln for ln in log if warned in ln]
    assert len([ln for ln in log if warned in ln]) == 1, log
    assert all(ln.startswith(("INFO ", "WARNING ")) for ln in log), proc.stderr
    assert "default style" not in proc.stderr  # the class and place, not the text
    assert last.startswith("error: ") and "no file could be read" in last


@pytest.mark.parametrize("name", ["new\nline", "tab\there", "esc\x1b[31mred", "bell\x07"])
def test_control_characters_in_a_path_are_printed_escaped(tmp_path: Path, name: str) -> None:
    escaped = repr(name)[1:-1]
    line = one_line_error(run("sources", str(tmp_path / name)))
    assert line == f"error: {tmp_path / escaped}: data folder does not exist"
    afile = tmp_path / f"{name}.xlsx"
    afile.write_text("x", encoding="utf-8")
    line = one_line_error(run("policy", "--out", str(afile / "ropa.xlsx")))
    assert escaped in line and name not in line


def test_a_usage_error_is_one_line(tmp_path: Path) -> None:
    line = one_line_error(run("audit", str(tmp_path), "--no-such-option"))
    assert "--no-such-option" in line
    line = one_line_error(run("samples", str(tmp_path / "s"), "--scale", "many"))
    assert "--scale" in line


# 5. Console text is plain text: names are never read as Rich markup.

MARKUP_NAMES = ["a[/]b.csv", "[bold]x[/bold].csv", "[red]fake[/red] :warning:.csv"]
NOTES = "[link=x]notes[/link].csv"  # a "/" in a name is a folder: a[/ holds ]b.csv


@pytest.fixture
def markup_data(tmp_path: Path) -> Path:
    """The sample Envoy export under three names that are Rich markup, and a file ropa
    does not recognise under a fourth; the folder's own name is markup too."""
    folder = tmp_path / "[italic]data[" / "italic]"
    for name in MARKUP_NAMES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES / ENVOY, folder / name)
    notes = folder / NOTES
    notes.parent.mkdir(parents=True, exist_ok=True)
    notes.write_text("colour,size\nred,4\n", encoding="utf-8")
    return folder


def _printed(proc: subprocess.CompletedProcess[str], *names: str) -> None:
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    for name in names:
        assert name in proc.stdout, (name, proc.stdout)


def test_sources_prints_markup_names_as_they_are(markup_data: Path) -> None:
    proc = run("sources", str(markup_data))
    _printed(proc, *MARKUP_NAMES, NOTES, "[italic]data[/italic]")
    assert "⚠" not in proc.stdout and "not read" in proc.stdout


def test_map_prints_markup_names_as_they_are(markup_data: Path) -> None:
    _printed(run("map", str(markup_data)), *MARKUP_NAMES)


def test_subject_prints_markup_names_as_they_are(markup_data: Path, tmp_path: Path) -> None:
    export = tmp_path / "[b]kari[/b].json"
    proc = run("subject", str(markup_data), "--email", PERSON, "--export", str(export))
    _printed(proc, *MARKUP_NAMES, f"wrote {export}")
    assert "found in 3 of 3 sources" in proc.stdout
    assert PERSON not in proc.stdout


def test_audit_prints_markup_names_as_they_are(markup_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "[u]out[/u]"
    proc = run("audit", str(markup_data), "--as-of", AS_OF, "--out", str(out))
    _printed(proc, f"  skipped {NOTES}: ", f"outputs in {out}: ")
    for name in MARKUP_NAMES:  # no rights-request log: every file is named as not evaluable
        assert f"  ERASURE-NOT-DONE {name}: 310 of 310, " in proc.stdout, proc.stdout
    assert (out / "findings.csv").is_file()


# Properties of the one output check, over output paths built from a hostile tree.

PARTS = ["data", "sub", "a.csv", "file.txt", "outdir", "link", "loop", "new", "..", "."]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parts=st.lists(st.sampled_from(PARTS), min_size=1, max_size=4),
    folder=st.booleans(),
    files=st.lists(st.sampled_from(["a.csv", "sub", "findings.csv", "file.txt"]), max_size=2),
)
@example(parts=["link", ".."], folder=True, files=[])  # found by this test: data, not tree
@example(parts=["loop", "out"], folder=True, files=[])
def test_check_output_refuses_in_one_line_or_the_path_is_safe_to_write(
    tmp_path: Path, parts: list[str], folder: bool, files: list[str]
) -> None:
    from ropa.errors import UsageError
    from ropa.outputs import check_output

    root = tmp_path / "tree"
    if not root.exists():
        (root / "data" / "sub").mkdir(parents=True)
        (root / "data" / "a.csv").write_text("a\n", encoding="utf-8")
        (root / "data" / "sub" / "b.csv").write_text("b\n", encoding="utf-8")
        (root / "file.txt").write_text("f\n", encoding="utf-8")
        (root / "outdir").mkdir()
        (root / "link").symlink_to(root / "data" / "sub")
        (root / "loop").symlink_to(root / "loop")
    before = snapshot(root)
    path = root.joinpath(*parts)
    try:
        check_output(path, option="--out", folder=folder, files=files, inputs=[root / "data"])
    except UsageError as exc:
        message = str(exc)
        assert "\n" not in message and "--out" in message
    else:
        target = path.resolve()
        data = (root / "data").resolve()
        assert target != data and data not in target.parents
        if folder:
            assert not target.exists() or target.is_dir()
            for name in files:
                assert not (target / name).is_dir()
                assert data not in (target / name).resolve().parents
        else:
            assert not target.is_dir()
        assert all(p.is_dir() for p in target.parents if p.exists())
    assert snapshot(root) == before  # nothing created, not even the probe
