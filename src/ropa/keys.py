"""Subject keys: the pseudonym of a person in findings, and the keyed hashes behind it.

``subject_key`` is the first 16 hex digits of HMAC-SHA256(key, normalised e-mail, else
E.164 phone), so the same person gets the same key across sources and quarters without
the key revealing who it is; finding ids use the same keyed hash (``keyed_hashes``). The
key comes from ``ROPA_KEY``, else from the key file (``ROPA_KEY_FILE`` or
``~/.config/ropa/key``), which is created with 32 random bytes (hex) and mode 0600 on
first use.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.dtypes import STRING
from ropa.errors import RopaError
from ropa.mapping.normalise import normalise_email, normalise_phone

KEY_ENV = "ROPA_KEY"
KEY_FILE_ENV = "ROPA_KEY_FILE"
DEFAULT_KEY_FILE = Path("~/.config/ropa/key")


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


def keyed_hashes(values: pd.Series, prefix: str = "", *, distinct: bool = False) -> pd.Series:
    """16 hex digits of HMAC-SHA256 (the subject key) of ``prefix + value`` per value,
    null stays null. Subject keys and finding ids both use it.

    One HMAC per distinct value: arrow's dictionary encoding gives the distinct values
    and, per row, the code of its value; the digests are hex-encoded in one numpy step
    and taken back by code. No Python string is made per row. ``distinct=True`` says the
    values are (nearly) all different, as finding ids' keys are: the encoding pass is
    skipped and every row hashed (the same digests either way)."""
    arr = pa.array(values.astype(STRING).array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.null_count == len(arr):
        return pd.Series(pd.NA, index=values.index, dtype=STRING)
    key, head = load_key(), prefix.encode("utf-8")
    if distinct and arr.null_count == 0:
        ids = _hex16(_hmac_sha256_prefixes(key, head, arr))
    else:
        encoded = pc.dictionary_encode(arr)
        hexed = _hex16(_hmac_sha256_prefixes(key, head, encoded.dictionary))
        ids = hexed.take(encoded.indices)  # a null code stays null
    return pd.Series(STRING.__from_arrow__(pa.chunked_array([ids])), index=values.index)


def _hmac_sha256_prefixes(key: bytes, prefix: bytes, texts: pa.Array) -> bytes:
    """The first 8 bytes of HMAC-SHA256(key, prefix + text) per text, concatenated.

    HMAC as RFC 2104 defines it, SHA-256(key ^ opad + SHA-256(key ^ ipad + message)): the
    two keyed SHA-256 states (the inner one after ``prefix``) are built once and copied
    per text, so the key blocks are not hashed again for every value. The same digests
    as ``hmac`` (the property test in tests/test_findings.py), in two thirds of the time
    of copying an ``hmac`` object per text, whose Python wrapper costs more than the
    hashing."""
    inner, outer = _keyed_states(key)
    inner.update(prefix)
    inner_copy, outer_copy = inner.copy, outer.copy
    out = bytearray()
    for text in texts.cast(pa.binary()).to_pylist():
        h = inner_copy()
        h.update(text)
        o = outer_copy()
        o.update(h.digest())
        out += o.digest()[:8]
    return bytes(out)


def _keyed_states(key: bytes) -> tuple[Any, Any]:
    """SHA-256 after the inner and the outer padded key block of HMAC (RFC 2104)."""
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    return inner, outer


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def _hex16(digests: bytes) -> pa.Array:
    """8-byte digests (concatenated) as 16 lower-case hex digits each, one arrow string
    array built from its buffers."""
    raw = np.frombuffer(digests, dtype=np.uint8)
    text = np.empty(2 * len(raw), dtype=np.uint8)
    text[0::2], text[1::2] = _HEX[raw >> 4], _HEX[raw & 15]
    offsets = np.arange(0, len(text) + 1, 16, dtype=np.int32)
    return pa.Array.from_buffers(
        pa.string(), len(offsets) - 1, [None, pa.py_buffer(offsets), pa.py_buffer(text)]
    )


def subject_keys(emails: pd.Series, phones: pd.Series | None = None) -> pd.Series:
    """Keyed pseudonym per row from the normalised e-mail, else the E.164 phone."""
    identity = normalise_email(emails.astype(STRING)).astype(STRING)
    if phones is not None:
        identity = identity.fillna(normalise_phone(phones.astype(STRING)).astype(STRING))
    return keyed_hashes(identity)
