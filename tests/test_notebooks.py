"""The quarterly-audit notebook run by papermill writes exactly what `ropa audit` writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-09-30"


def test_papermill_notebook_workbook_equals_cli_workbook(tmp_path: Path) -> None:
    env = {**os.environ, "ROPA_KEY": "notebook-equals-cli", "MPLBACKEND": "Agg"}
    nb_out = tmp_path / "nb"
    cli_out = tmp_path / "cli"
    papermill = Path(sys.executable).with_name("papermill")
    run = subprocess.run(
        [
            str(papermill),
            "notebooks/01-quarterly-audit.ipynb",
            str(tmp_path / "run.ipynb"),
            "-p",
            "as_of",
            AS_OF,
            "-p",
            "out_dir",
            str(nb_out),
            "--log-level",
            "ERROR",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "ropa",
            "audit",
            "data/samples",
            "--as-of",
            AS_OF,
            "--out",
            str(cli_out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert cli.returncode == 0, cli.stderr
    for name in (f"ropa-{AS_OF}.xlsx", "findings.csv", "findings.parquet"):
        assert (nb_out / name).read_bytes() == (cli_out / name).read_bytes(), name
