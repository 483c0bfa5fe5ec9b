"""An installed ropa (a wheel, not the editable install `make test` uses) audits.

Builds the wheel, installs it with only its declared dependencies (pinned by
constraints.txt) into a fresh virtualenv, and runs the installed `ropa` from a folder
outside the repository: an audit of the samples, `ropa sources`, and a usage error.
"""

from __future__ import annotations

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
    wheels = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
    )
    (wheel,) = wheels.glob("ropa-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "-c", str(ROOT / "constraints.txt"), str(wheel)], check=True)
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
