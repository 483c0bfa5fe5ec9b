"""Findings: the audit's result as data, with pseudonymised subject keys.

A finding names a rule, a file, a row (or a column) and a value-free detail. The
person behind a row is identified only by ``subject_key``: the first 16 hex digits of
HMAC-SHA256(key, normalised e-mail, else E.164 phone), so the same person gets the same
key across sources and quarters without the key revealing who it is. The key comes from
``ROPA_KEY``, else from the key file (``ROPA_KEY_FILE`` or ``~/.config/ropa/key``), which
is created with 32 random bytes (hex) and mode 0600 on first use.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ropa.errors import RopaError
from ropa.mapping.normalise import normalise_email, normalise_phone

FINDING_COLUMNS = [
    "rule_id",
    "severity",
    "activity",
    "policy_ref",
    "source",
    "row",
    "column",
    "subject_key",
    "detail",
]
SORT_COLUMNS = ["rule_id", "source", "row", "column"]
STRING = "string[pyarrow]"
DTYPES = {name: ("Int64" if name == "row" else STRING) for name in FINDING_COLUMNS}
ARROW_SCHEMA = pa.schema(
    [(name, pa.int64() if name == "row" else pa.string()) for name in FINDING_COLUMNS]
)
KEY_ENV = "ROPA_KEY"
KEY_FILE_ENV = "ROPA_KEY_FILE"
DEFAULT_KEY_FILE = Path("~/.config/ropa/key")


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in DTYPES.items()})


def make_findings(
    rule: Any = None,
    *,
    source: Any,
    row: Any,
    column: Any,
    subject_key: Any,
    detail: Any,
    rule_id: Any = None,
    severity: Any = None,
    activity: Any = None,
    policy_ref: Any = None,
) -> pd.DataFrame:
    """Findings from Series (aligned) or scalars; rule attributes fill what is not given."""
    given = {
        "rule_id": rule_id if rule_id is not None else getattr(rule, "id", None),
        "severity": severity if severity is not None else getattr(rule, "severity", None),
        "activity": activity if activity is not None else getattr(rule, "activity", None),
        "policy_ref": policy_ref if policy_ref is not None else getattr(rule, "policy_ref", None),
        "source": source,
        "row": row,
        "column": column,
        "subject_key": subject_key,
        "detail": detail,
    }
    index = next((v.index for v in given.values() if isinstance(v, pd.Series)), None)
    if index is None:
        raise ValueError("make_findings needs at least one Series")
    data = {
        name: (
            value.astype(DTYPES[name], copy=False).reset_index(drop=True)
            if isinstance(value, pd.Series)
            else pd.Series(
                pd.NA if value is None else value, index=range(len(index)), dtype=DTYPES[name]
            )
        )
        for name, value in given.items()
    }
    return pd.DataFrame(data, columns=FINDING_COLUMNS)


def sort_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """The one order of findings: rule_id, source, row, column (stable)."""
    ordered = findings.astype(DTYPES)[FINDING_COLUMNS]
    return ordered.sort_values(SORT_COLUMNS, kind="stable", na_position="last").reset_index(
        drop=True
    )


# -- subject keys -----------------------------------------------------------------


def load_key() -> bytes:
    """The HMAC key: ``ROPA_KEY``, else the key file, created (0600) on first use."""
    from_env = os.environ.get(KEY_ENV, "").strip()
    if from_env:
        return from_env.encode("utf-8")
    path = Path(os.environ.get(KEY_FILE_ENV) or DEFAULT_KEY_FILE).expanduser()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # created by a concurrent run: read theirs
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    try:
        key = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise RopaError(f"cannot read the subject-key file ({exc.strerror})", path) from exc
    if not key:
        raise RopaError("the subject-key file is empty; delete it to create a new key", path)
    return key.encode("utf-8")


def subject_keys(emails: pd.Series, phones: pd.Series | None = None) -> pd.Series:
    """Keyed pseudonym per row from the normalised e-mail, else the E.164 phone."""
    identity = normalise_email(emails.astype(STRING)).astype(STRING)
    if phones is not None:
        identity = identity.fillna(normalise_phone(phones.astype(STRING)).astype(STRING))
    uniques = identity.dropna().unique()
    if len(uniques) == 0:
        return pd.Series(pd.NA, index=emails.index, dtype=STRING)
    key = load_key()
    # One HMAC per distinct person, not per row.
    lookup = {
        value: hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
        for value in uniques
    }
    return identity.map(lookup).astype(STRING)


# -- writing ------------------------------------------------------------------------


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


CSV_CHUNK_ROWS = 100_000


def findings_csv_bytes(findings: pd.DataFrame) -> bytes:
    text = sort_findings(findings).to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


def write_findings_csv(ordered: pd.DataFrame, path: Path) -> None:
    """``ordered`` as CSV, written in chunks of rows: a million findings never become one
    string in memory. The bytes are those of one ``to_csv`` of the whole frame."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        for start in range(0, max(len(ordered), 1), CSV_CHUNK_ROWS):
            ordered.iloc[start : start + CSV_CHUNK_ROWS].to_csv(
                handle, index=False, header=start == 0, lineterminator="\n"
            )


def write_findings(findings: pd.DataFrame, out_dir: Path | str) -> tuple[Path, Path]:
    """Write ``findings.csv`` and ``findings.parquet``; same input, same bytes."""
    out = Path(out_dir)
    ordered = sort_findings(findings)
    csv_path = out / "findings.csv"
    parquet_path = out / "findings.parquet"
    atomic_write(csv_path, lambda p: write_findings_csv(ordered, p))
    # No pandas metadata (it would carry nothing useful and varies between versions).
    table = pa.Table.from_pandas(ordered, schema=ARROW_SCHEMA, preserve_index=False)
    table = table.replace_schema_metadata(None)
    atomic_write(parquet_path, lambda p: pq.write_table(table, p, compression="zstd"))
    return csv_path, parquet_path
