"""finding_id: the same records under other file names and in another row order keep
their ids; the ids reveal nothing."""

from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ropa.audit import run_audit
from ropa.identity import hash_ids, natural_keys, reveals_nothing, with_positions

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
AS_OF = date(2026, 9, 30)


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROPA_KEY", "test-key-not-secret")


def _shuffled_copy(target: Path) -> Path:
    """data/samples with every file renamed and the data rows of every CSV shuffled."""
    for path in sorted(SAMPLES.rglob("*")):
        if not path.is_file() or path.name == "manifest.json":
            continue
        rel = path.relative_to(SAMPLES)
        out = target / rel.parent / f"q4-{rel.name}"
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".csv":
            raw = path.read_bytes()
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding_errors="replace")
            if b"\r" in raw or b'"' in raw and b'\n"' in raw:
                shutil.copy(path, out)  # keep exotic files byte-identical
                continue
            lines = raw.split(b"\n")
            header, body = lines[0], [line for line in lines[1:] if line]
            if len(body) != len(frame):  # quoted line breaks: keep as is
                shutil.copy(path, out)
                continue
            random.Random(7).shuffle(body)
            out.write_bytes(b"\n".join([header, *body]) + b"\n")
        else:
            shutil.copy(path, out)
    return target


def test_finding_ids_survive_renamed_files_and_reordered_rows(tmp_path: Path) -> None:
    first = run_audit(SAMPLES, as_of=AS_OF).findings
    moved = run_audit(_shuffled_copy(tmp_path / "q"), as_of=AS_OF).findings
    row_level = first["row"].notna()
    assert first["finding_id"].notna().all()
    assert first["finding_id"].is_unique
    assert set(first["finding_id"]) == set(moved["finding_id"])
    assert set(first.loc[row_level, "source"]) != set(moved.loc[moved["row"].notna(), "source"])


def test_finding_ids_reveal_nothing() -> None:
    findings = run_audit(SAMPLES, as_of=AS_OF).findings
    assert reveals_nothing(findings["finding_id"])
    assert not findings["finding_id"].str.contains("@").any()


def test_natural_key_prefers_record_id_and_normalises_email() -> None:
    rows = pd.DataFrame({"record_id": ["17", None], "email": ["x@y.no", " X@Y.NO "]})
    keys = natural_keys(rows, "crm")
    assert keys.tolist() == ["record_id=17", "email=x@y.no"]


def test_exact_duplicates_get_ids_of_their_own() -> None:
    keys = pd.Series(["a", "a", "b"], dtype="string[pyarrow]")
    marked = with_positions(keys, pd.Series([3, 1, 2]))
    assert marked.tolist() == ["a\x1f#1", "a", "b"]
    assert hash_ids(marked).nunique() == 3
