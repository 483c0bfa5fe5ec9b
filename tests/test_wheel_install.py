"""An installed ropa (a wheel, not the editable install `make test` uses) audits.

Builds the wheel, installs it with only its declared dependencies (pinned by
constraints.txt) into a fresh virtualenv, and runs the installed `ropa` from a folder
outside the repository: an audit of the samples, `ropa sources`, and a usage error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    # pip must see only the fresh venv: a PYTHONPATH onto a source tree (with its
    # egg-info) would make it skip installing the wheel as "already satisfied".
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    wheels = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        env=clean,
    )
    (wheel,) = wheels.glob("ropa-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "-c", str(ROOT / "constraints.txt"), str(wheel)], check=True, env=clean)
    return env_dir / "bin" / "ropa"


def _run(ropa: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ROPA_KEY": "wheel-test",
        "GX_ANALYTICS_ENABLED": "false",
        "COLUMNS": "400",
    }
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(ropa), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_installed_wheel_audits_the_samples(installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    got = _run(
        installed, tmp_path, "audit", str(SAMPLES), "--as-of", "2026-09-30", "--out", str(out)
    )
    assert got.returncode == 0, got.stderr
    rows = (out / "findings.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("rule_id,severity,activity,policy_ref,source,row,column")
    assert len(rows) > 200  # the samples plant 201 violations plus the policy gaps
    assert (out / "ropa-2026-09-30.xlsx").stat().st_size > 0


def test_installed_wheel_reads_the_shipped_suites(installed: Path, tmp_path: Path) -> None:
    """The reviewed suites ship in the wheel and the audit reads them, not rebuilt copies:
    every kind's file is there, byte for byte the repository's, and ``load_suites``
    gives no "built from the policy" note."""
    python = installed.with_name("python")
    probe = (
        "import json, sys\n"
        "from ropa.paths import EXPECTATIONS_DIR\n"
        "from ropa.policy import load_policy\n"
        "from ropa.suites import load_suites\n"
        "suites, notes = load_suites(None, load_policy())\n"
        "json.dump({'dir': str(EXPECTATIONS_DIR), 'kinds': sorted(suites), 'notes': notes,"
        " 'files': sorted(p.name for p in EXPECTATIONS_DIR.glob('*.json'))}, sys.stdout)\n"
    )
    env = {**os.environ, "GX_ANALYTICS_ENABLED": "false"}
    env.pop("PYTHONPATH", None)
    got = subprocess.run(
        [str(python), "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert got.returncode == 0, got.stderr
    report = json.loads(got.stdout)
    assert "site-packages" in report["dir"] and str(ROOT) not in report["dir"]
    assert report["notes"] == []
    shipped = sorted(p.name for p in (ROOT / "expectations").glob("*.json"))
    assert report["files"] == shipped and len(shipped) == len(report["kinds"]) >= 10
    for name in shipped:
        installed_file = Path(report["dir"]) / name
        assert installed_file.read_bytes() == (ROOT / "expectations" / name).read_bytes()


def test_installed_wheel_lists_sources(installed: Path, tmp_path: Path) -> None:
    got = _run(installed, tmp_path, "sources", str(SAMPLES))
    assert got.returncode == 0, got.stderr
    assert "hubspot-crm-exports-all-contacts-2026-09-30.csv" in got.stdout


def test_installed_wheel_usage_error_is_one_line(installed: Path, tmp_path: Path) -> None:
    got = _run(
        installed,
        tmp_path,
        "audit",
        str(tmp_path / "missing"),
        "--as-of",
        "2026-09-30",
        "--out",
        str(tmp_path / "x"),
    )
    assert got.returncode == 2
    lines = got.stderr.strip().splitlines()
    assert len(lines) == 1 and "data folder does not exist" in lines[0]
    assert "Traceback" not in got.stderr
