"""Accepted deviations (DESIGN.md, "Exceptions"): findings management has accepted.

An exceptions file is a YAML list; each entry has ``id``, ``rule_id``, exactly one match
(``finding_id``, ``subject_key``, ``source`` as a glob relative to the data folder, or
``column``), ``reason``, ``approved_by`` and ``expires`` (a date)::

    - id: EXC-2026-01
      rule_id: RET-CUSTOMER
      finding_id: 3f9a0c1d2b4e5f60
      reason: legal hold, case 2026/114
      approved_by: CFO
      expires: 2027-06-30

A finding of that rule matched by an exception that has not expired on the audit date
(``expires`` >= as_of) carries the exception id in its ``exception`` column and counts
as accepted, not open. An expired exception accepts nothing and is listed as expired; one
that matches no finding is listed as unmatched. A malformed file is a usage error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ropa.dtypes import STRING
from ropa.errors import UsageError

MATCHES = ("finding_id", "subject_key", "source", "column")
FIELDS = ("id", "rule_id", *MATCHES, "reason", "approved_by", "expires")
REQUIRED = ("id", "rule_id", "reason", "approved_by", "expires")
EXCEPTION_COLUMNS = (
    "id", "rule_id", "match", "value", "reason", "approved_by", "expires", "status", "findings",
)  # fmt: skip
# status of an exception on the audit date
ACTIVE, EXPIRED, UNMATCHED = "active", "expired", "unmatched"


@dataclass(frozen=True)
class Exception_:
    """One accepted deviation."""

    id: str
    rule_id: str
    match: str  # one of MATCHES
    value: str
    reason: str
    approved_by: str
    expires: date

    def matches(self, findings: pd.DataFrame) -> pd.Series:
        """True for the findings of this exception's rule that it names."""
        same_rule = findings["rule_id"].astype(str).eq(self.rule_id)
        column = findings[self.match].astype("string").fillna("")
        if self.match == "source":
            # a handful of files however many findings: each name is matched once
            names = [n for n in column.unique() if fnmatchcase(n, self.value)]
            hit = column.isin(names)
        else:
            hit = column.eq(self.value)
        return (same_rule & hit).astype(bool)


def load_exceptions(path: Path | str) -> list[Exception_]:
    """Read and check an exceptions file; UsageError (one line, naming the file and the
    entry) when it is not what the contract says."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError("exceptions file does not exist", path) from None
    except (OSError, UnicodeError) as exc:
        raise UsageError(f"exceptions file cannot be read ({type(exc).__name__})", path) from None
    except yaml.YAMLError:
        raise UsageError("exceptions file is not valid YAML", path) from None
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise UsageError("exceptions file must be a YAML list of exceptions", path)
    found: list[Exception_] = []
    for number, entry in enumerate(raw, start=1):
        found.append(_entry(entry, number, path))
    ids = [e.id for e in found]
    if dupes := sorted({i for i in ids if ids.count(i) > 1}):
        raise UsageError(f"exception id {dupes[0]!r} is given twice", path)
    return found


def _entry(entry: Any, number: int, path: Path) -> Exception_:
    where = f"exception {number}"
    if not isinstance(entry, dict):
        raise UsageError(f"{where} is not a mapping of fields", path)
    unknown = sorted(str(k) for k in entry if k not in FIELDS)
    if unknown:
        raise UsageError(f"{where} has an unknown field {unknown[0]!r}", path)
    missing = [f for f in REQUIRED if entry.get(f) in (None, "")]
    if missing:
        raise UsageError(f"{where} lacks {missing[0]!r}", path)
    given = [m for m in MATCHES if entry.get(m) not in (None, "")]
    if len(given) != 1:
        raise UsageError(
            f"{where} must have exactly one of {', '.join(MATCHES)} (has {len(given)})", path
        )
    expires = entry["expires"]
    if isinstance(expires, str):
        try:
            expires = date.fromisoformat(expires)
        except ValueError:
            expires = None
    if not isinstance(expires, date):
        raise UsageError(f"{where}: 'expires' must be a date YYYY-MM-DD", path)
    from ropa.rules import RULES_BY_ID

    rule_id = str(entry["rule_id"])
    if rule_id not in RULES_BY_ID and rule_id != "POLICY-GAP":
        raise UsageError(f"{where} names an unknown rule {rule_id!r}", path)
    return Exception_(
        id=str(entry["id"]),
        rule_id=rule_id,
        match=given[0],
        value=str(entry[given[0]]),
        reason=str(entry["reason"]),
        approved_by=str(entry["approved_by"]),
        expires=expires,
    )


def apply_exceptions(
    findings: pd.DataFrame, exceptions: list[Exception_], as_of: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(findings with the accepting exception's id in ``exception``, one status row per
    exception). The first active exception in file order that matches a finding wins."""
    findings = findings.copy()
    accepted = pd.Series(pd.NA, index=findings.index, dtype="string")
    rows = []
    for exc in exceptions:
        hit = exc.matches(findings) if len(findings) else pd.Series(False, index=findings.index)
        if exc.expires < as_of:
            status = EXPIRED
        elif not hit.any():
            status = UNMATCHED
        else:
            status = ACTIVE
            accepted = accepted.where(accepted.notna() | ~hit, exc.id)
        rows.append(
            {
                "id": exc.id,
                "rule_id": exc.rule_id,
                "match": exc.match,
                "value": exc.value,
                "reason": exc.reason,
                "approved_by": exc.approved_by,
                "expires": exc.expires.isoformat(),
                "status": status,
                "findings": int(hit.sum()),
            }
        )
    if len(findings):
        findings["exception"] = accepted.astype(STRING)
    return findings, pd.DataFrame(rows, columns=list(EXCEPTION_COLUMNS))


def open_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings no exception accepts."""
    if "exception" not in findings.columns:
        return findings
    return findings[findings["exception"].isna() | findings["exception"].astype(str).eq("")]
