"""Rich tables for the console: sources, data map, audit summary. Value-free by design."""

from __future__ import annotations

from collections import Counter

import pandas as pd
from rich.table import Table

from ropa.result import AuditResult
from ropa.sources.base import Inventory

_SEVERITIES = ("critical", "high", "medium", "low")


def sources_table(inv: Inventory) -> Table:
    """Files read, kind detected, how they were read, rows, date range and problems."""
    from ropa.sources import describe

    table = Table(title=f"Sources in {inv.data_dir}", show_lines=False)
    for col in ("file", "kind", "format", "encoding", "delim", "rows", "dates", "problems"):
        table.add_column(col, justify="right" if col == "rows" else "left")
    for src in inv.sources:
        info = describe(src)
        dates = ""
        if info.get("date_min") is not None:
            dates = f"{info['date_min']} .. {info['date_max']}"
        delim = {",": "comma", ";": "semicolon", "\t": "tab"}.get(src.delimiter or "", "")
        table.add_row(
            src.rel,
            src.kind,
            src.file_format,
            src.encoding or "",
            delim,
            f"{src.rows:,}",
            dates,
            "; ".join(src.problems),
        )
    for skipped in inv.skipped:
        table.add_row(skipped.rel, "[red]not read[/red]", "", "", "", "", "", skipped.reason)
    return table


def data_map_table(data_map: pd.DataFrame) -> Table:
    """One line per (file, column, category); undeclared categories in red."""
    table = Table(title="Data map")
    for col in ("file", "column", "category", "by", "activity", "declared", "filled"):
        table.add_column(col)
    for rec in data_map.itertuples(index=False):
        category = rec.category if isinstance(rec.category, str) else ""
        if not category:
            declared = ""
        elif bool(rec.declared):
            declared = "yes"
        else:
            declared = "[red]NO[/red]"
        table.add_row(
            rec.source,
            rec.column,
            category,
            rec.detected_by if isinstance(rec.detected_by, str) else "",
            rec.activity,
            declared,
            f"{rec.non_empty_share:.0%}",
        )
    return table


def summary_table(result: AuditResult) -> Table:
    """Findings per rule and severity; rules that could not run say why."""
    counts = (
        Counter(result.findings["rule_id"].value_counts().to_dict())
        if len(result.findings)
        else Counter()
    )
    table = Table(title=f"ropa audit of {result.data_dir} as of {result.as_of}")
    for col in ("rule", "severity", "activity", "policy", "findings"):
        table.add_column(col, justify="right" if col == "findings" else "left")
    for status in result.rules:
        shown = f"{counts.get(status.rule_id, 0):,}" if status.checked else status.reason
        table.add_row(status.rule_id, status.severity, status.activity, status.policy_ref, shown)
    gaps = len(result.gaps)
    table.add_row("POLICY-GAP", "", "", "policy", f"{gaps:,}")
    return table
