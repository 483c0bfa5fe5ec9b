"""Comparing audits (DESIGN.md, "Comparing audits"): what is new, persisting or fixed.

An earlier audit is its output folder: ``findings.parquet`` (else ``findings.csv``) and
its audit date from ``audit.json`` (else the workbook's name ``ropa-YYYY-MM-DD.xlsx``).
Findings are matched by ``finding_id``, which survives renamed files and reordered rows.
``changes.csv`` compares with the latest audit dated before this one; the trend counts
the open findings (those no exception accepts) per rule in every audit given.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ropa.errors import UsageError
from ropa.exceptions import open_findings

CHANGES_COLUMNS = (
    "status", "rule_id", "severity", "activity", "finding_id", "source", "row",
    "subject_key", "detail",
)  # fmt: skip
NEW, PERSISTING, FIXED = "new", "persisting", "fixed"
_ORDER = {NEW: 0, PERSISTING: 1, FIXED: 2}
_WORKBOOK = re.compile(r"ropa-(\d{4}-\d{2}-\d{2})\.xlsx")
AUDIT_JSON = "audit.json"


@dataclass(frozen=True)
class EarlierAudit:
    folder: Path
    as_of: date
    findings: pd.DataFrame


def read_audit(folder: Path) -> EarlierAudit:
    """One earlier audit from its output folder; UsageError naming the folder if it is
    not one."""
    if not folder.is_dir():
        raise UsageError("not an audit output folder", folder)
    findings = _findings(folder)
    return EarlierAudit(folder, _audit_date(folder), findings)


def _audit_date(folder: Path) -> date:
    meta = folder / AUDIT_JSON
    if meta.is_file():
        try:
            return date.fromisoformat(json.loads(meta.read_text(encoding="utf-8"))["as_of"])
        except (ValueError, KeyError, TypeError, OSError):
            raise UsageError(f"{AUDIT_JSON} has no readable audit date", meta) from None
    dates = sorted({m.group(1) for p in folder.iterdir() if (m := _WORKBOOK.fullmatch(p.name))})
    if len(dates) != 1:
        raise UsageError("audit date unknown (no audit.json, no single ropa-DATE.xlsx)", folder)
    return date.fromisoformat(dates[0])


def _findings(folder: Path) -> pd.DataFrame:
    from ropa.findings import DTYPES, FINDING_COLUMNS

    parquet, csv = folder / "findings.parquet", folder / "findings.csv"
    try:
        if parquet.is_file():
            frame = pd.read_parquet(parquet)
        elif csv.is_file():
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""])
        else:
            raise UsageError("not an audit output folder (no findings.csv)", folder)
    except UsageError:
        raise
    except Exception:  # pyarrow and pandas raise several types for a bad file
        raise UsageError("findings cannot be read", parquet if parquet.is_file() else csv) from None
    if "finding_id" not in frame.columns:
        raise UsageError("findings have no finding_id (written before ropa 0.2)", folder)
    for column in FINDING_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.NA
    return frame[FINDING_COLUMNS].astype(DTYPES)


def earlier_audits(
    compare: list[Path], history: Path | None, out: Path | None = None
) -> list[EarlierAudit]:
    """The audits given by ``--compare`` and every audit folder below ``--history``
    (except ``out``, the folder this audit writes), ordered by audit date."""
    folders = list(compare)
    if history is not None:
        if not history.is_dir():
            raise UsageError("--history must be a folder of audit output folders", history)
        below = [
            d
            for d in sorted(history.iterdir())
            if d.is_dir()
            and ((d / "findings.parquet").is_file() or (d / "findings.csv").is_file())
            and (out is None or d.resolve() != out.resolve())
        ]
        if not below:
            raise UsageError("no audit output folder below --history", history)
        folders += below
    seen: dict[Path, EarlierAudit] = {}
    for folder in folders:
        key = folder.resolve()
        if key not in seen:
            seen[key] = read_audit(folder)
    return sorted(seen.values(), key=lambda a: (a.as_of, str(a.folder)))


def previous(earlier: list[EarlierAudit], as_of: date) -> EarlierAudit:
    """The latest audit dated on or before ``as_of`` (a rerun of the same quarter
    compares with the run before it)."""
    before = [a for a in earlier if a.as_of <= as_of]
    if not before:
        raise UsageError(f"no audit to compare with is dated on or before {as_of.isoformat()}")
    return before[-1]


def compare_findings(current: pd.DataFrame, prev: EarlierAudit) -> pd.DataFrame:
    """``CHANGES_COLUMNS``: every current finding as new or persisting, and every earlier
    finding whose id is gone as fixed (with the earlier source, row and detail)."""
    now_ids = set(current["finding_id"].dropna().astype(str))
    then_ids = set(prev.findings["finding_id"].dropna().astype(str))
    columns = list(CHANGES_COLUMNS[1:])
    now = current[columns].astype(object).copy()
    now.insert(0, "status", [PERSISTING if i in then_ids else NEW for i in now["finding_id"]])
    gone = prev.findings[~prev.findings["finding_id"].astype(str).isin(now_ids)]
    gone = gone.drop_duplicates("finding_id")[columns].astype(object).copy()
    gone.insert(0, "status", FIXED)
    changes = pd.concat([now, gone], ignore_index=True)
    order = changes["status"].map(_ORDER)
    changes = (
        changes.assign(_order=order, _row=pd.to_numeric(changes["row"], errors="coerce"))
        .sort_values(["_order", "rule_id", "source", "_row", "finding_id"], kind="stable")
        .drop(columns=["_order", "_row"])
        .reset_index(drop=True)
    )
    changes["row"] = pd.array(pd.to_numeric(changes["row"], errors="coerce"), dtype="Int64")
    return changes


def change_counts(changes: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Per rule: new, persisting, fixed, and accepted (current findings an exception
    accepts)."""
    counts = changes.groupby(["rule_id", "status"]).size().unstack(fill_value=0)
    for status in (NEW, PERSISTING, FIXED):
        if status not in counts.columns:
            counts[status] = 0
    accepted = current[~current.index.isin(open_findings(current).index)]
    counts["accepted"] = accepted["rule_id"].value_counts().reindex(counts.index, fill_value=0)
    counts = counts[[NEW, PERSISTING, FIXED, "accepted"]].fillna(0).astype(int)
    return counts.sort_index().reset_index()


def trend(earlier: list[EarlierAudit], as_of: date, current: pd.DataFrame) -> pd.DataFrame:
    """Open findings per rule (columns) in every audit given and this one (rows, by
    audit date); policy gaps are not findings of the data and are left out."""
    audits = [(a.as_of, a.findings) for a in earlier if a.as_of < as_of] + [(as_of, current)]
    rows = {}
    for day, findings in sorted(audits, key=lambda a: a[0]):
        opened = open_findings(findings)
        opened = opened[opened["rule_id"].astype(str) != "POLICY-GAP"]
        rows[day] = opened["rule_id"].astype(str).value_counts()
    table = pd.DataFrame(rows).T.fillna(0).astype(int)
    table = table[sorted(table.columns)]
    table.index.name = "audit_date"
    return table


def write_changes(changes: pd.DataFrame, out_dir: Path) -> Path:
    from ropa.findings import write_table_csv

    return write_table_csv(changes, out_dir / "changes.csv")


def write_audit_json(as_of: date, findings: int, out_dir: Path) -> Path:
    """``audit.json``: what a later audit needs to compare with this one."""
    from ropa import __version__
    from ropa.atomic import atomic_write

    path = out_dir / AUDIT_JSON
    meta = {"as_of": as_of.isoformat(), "findings": findings, "ropa": __version__}
    data = (json.dumps(meta, indent=2, sort_keys=True) + "\n").encode("utf-8")
    atomic_write(path, lambda tmp: tmp.write_bytes(data))
    return path
