"""Remediation lists (DESIGN.md, "Remediation lists"): what each system owner must act on.

``ropa audit --remediation`` writes ``OUT_DIR/remediation/<system>-<action>.csv``: per
finding the vendor's own identifiers (HubSpot Record ID, Mailchimp e-mail address,
Eventbrite order and attendee number, Envoy entry, form entry id, GA4 user_pseudo_id,
request id), then ``rule_id, finding_id, source, row``. What to do per rule and which
identifiers each system needs is data (``remediation.yaml``). These files hold personal
identifiers by design: opt-in, mode 0600 in a 0700 folder, and no other output changes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ropa.exceptions import open_findings
from ropa.findings import write_table_csv
from ropa.paths import REMEDIATION_FILE, read_yaml
from ropa.rules.values import header_label
from ropa.sources.base import Inventory

FOLDER = "remediation"
TRACE = ("rule_id", "finding_id", "source", "row")


@cache
def plan() -> Mapping[str, Mapping[str, Any]]:
    """remediation.yaml: source kind -> system, identifiers, actions per rule."""
    return read_yaml(REMEDIATION_FILE)


def remediation_lists(
    findings: pd.DataFrame, inventory: Inventory, tz: str | None = None
) -> dict[str, pd.DataFrame]:
    """``<system>-<action>`` -> the records to act on, read back from the exports (only
    the flagged rows, only their identifier columns). Accepted findings (an exception)
    are left out: management decided to keep them."""
    from ropa.reading import BATCH_ROWS, export_reader, read_export
    from ropa.sources.loader import candidate_files, open_export

    config, _ = candidate_files(inventory.data_dir, Inventory(inventory.data_dir))
    opened = open_findings(findings)
    todo = opened[opened["row"].notna()]
    lists: dict[str, list[pd.DataFrame]] = {}
    kinds = {s.rel: s.kind for s in inventory.sources}
    for source, flagged in todo.groupby(todo["source"].astype(str), sort=True):
        kind = kinds.get(str(source))
        spec = plan().get(kind) if kind is not None else None
        if kind is None or spec is None:
            continue
        actions = spec["actions"]
        flagged = flagged[flagged["rule_id"].astype(str).isin(list(actions))]
        if flagged.empty:
            continue
        wanted = set(int(r) for r in flagged["row"])
        columns = list(spec["identifiers"])

        def pick(frame: pd.DataFrame, columns: list[str] = columns, wanted: set = wanted) -> Any:
            rows = frame[frame["_row"].isin(wanted)]
            return rows[[c for c in ["_row", *columns] if c in rows.columns]]

        export = open_export(
            inventory.data_dir / source, inventory.data_dir, kind, config=config, tz=tz
        )
        got = read_export(
            export, Inventory(inventory.data_dir), BATCH_ROWS,
            reader=export_reader(export, BATCH_ROWS, lazy_text=False),
            keep=lambda f, k: f.iloc[:0], rows=False, collect=pick,
        )  # fmt: skip
        if got is None or not got.collected:
            continue
        ids = pd.concat(got.collected, ignore_index=True).drop_duplicates("_row")
        ids = ids.set_index("_row")
        for rule_id, per_rule in flagged.groupby(flagged["rule_id"].astype(str), sort=True):
            name = f"{spec['system']}-{actions[rule_id]}"
            rows = per_rule["row"].astype(int)
            table = pd.DataFrame(index=range(len(per_rule)))
            for column in columns:
                label = header_label(kind, column)
                values = ids[column].reindex(rows.to_numpy()) if column in ids else None
                table[label] = _text(values) if values is not None else ""
            for column in TRACE:
                table[column] = per_rule[column].astype(object).to_numpy()
            lists.setdefault(name, []).append(table)
    return {
        name: pd.concat(parts, ignore_index=True).sort_values(["rule_id", "source", "row"])
        for name, parts in sorted(lists.items())
    }


def _text(values: pd.Series) -> list[Any]:
    if pd.api.types.is_datetime64_any_dtype(values.dtype) or (
        isinstance(values.dtype, pd.ArrowDtype) and "timestamp" in str(values.dtype)
    ):
        times = pd.to_datetime(values, utc=True)
        return [None if pd.isna(t) else t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in times]
    return [None if pd.isna(v) else str(v) for v in values]


def write_remediation(lists: Mapping[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Each list as ``OUT_DIR/remediation/<name>.csv``, mode 0600 (folder 0700),
    written atomically; lists of an earlier run are replaced."""
    folder = out_dir / FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    for old in folder.glob("*.csv"):
        if old.stem not in lists:
            old.unlink()
    return [write_table_csv(table, folder / f"{name}.csv") for name, table in lists.items()]
