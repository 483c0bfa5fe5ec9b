"""Fixtures several test modules share."""

from __future__ import annotations

from pathlib import Path

import pytest

COMMITTED_SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/samples when present (with its manifest), else a fresh deterministic copy."""
    if (COMMITTED_SAMPLES / "manifest.json").is_file():
        return COMMITTED_SAMPLES
    from ropa_samples import write_samples

    out = tmp_path_factory.mktemp("samples")
    write_samples(out)
    return out
