"""`ropa audit` shows a progress line per source on a terminal and nothing when piped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["-m", "ropa", "audit", "data/samples", "--as-of", "2026-09-30"]


def test_progress_per_source_on_a_terminal(tmp_path: Path) -> None:
    primary, secondary = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, *ARGS, "--out", str(tmp_path / "tty")],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
        env={**os.environ, "ROPA_KEY": "progress", "COLUMNS": "160"},
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=600) == 0
    os.close(primary)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert "checking hubspot/hubspot-crm-exports-all-contacts-2026-09-30.csv" in screen
    assert "checking envoy/entries-2026-09-30.csv" in screen


def test_no_progress_when_output_is_not_a_terminal(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, *ARGS, "--out", str(tmp_path / "pipe")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "ROPA_KEY": "progress"},
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "checking" not in proc.stderr and "checking" not in proc.stdout
    assert "\x1b[" not in proc.stderr


def test_a_signal_a_finalizer_swallowed_stops_the_run_at_the_next_step() -> None:
    """A signal that arrives inside ``ZipFile.__del__`` (reading an XLSX) raises there,
    where Python ignores it; the run must still stop, at the next step, not finish."""
    import gc
    import signal

    import pytest

    from ropa import cli, progress

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    hook = sys.unraisablehook
    seen: list[object] = []

    class Finalized:
        def __del__(self) -> None:
            cli._interrupt(signal.SIGTERM, None)

    try:
        sys.unraisablehook = seen.append  # what Python does with an error in __del__
        Finalized()
        gc.collect()
        assert len(seen) == 1  # swallowed where it was raised
        with pytest.raises(cli.Interrupted) as stopped, progress.step(None, "checking x.csv"):
            pass
        assert stopped.value.signum == signal.SIGTERM
    finally:
        progress.PENDING.clear()
        sys.unraisablehook = hook
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
