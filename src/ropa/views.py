"""Rich tables for the console: sources, data map, audit summary. Value-free by design."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich.table import Table
from rich.text import Text

from ropa.errors import printable
from ropa.result import AuditResult
from ropa.sources.base import Inventory
from ropa.sources.common import plural


def _plain(value: object) -> Text:
    """A table cell as plain text: never markup, control characters escaped."""
    return Text("" if value is None or value is pd.NA else printable(value))


def sources_table(inv: Inventory) -> Table:
    """Files read, kind detected, how they were read, rows, date range and problems.
    Every cell is plain text (a name holding ``[/]`` is printed as it is), with control
    characters escaped."""
    from ropa.report.tables import source_table

    table = Table(title=Text(f"Sources in {printable(inv.data_dir)}"), show_lines=False)
    for col in ("file", "kind", "format", "encoding", "delim", "rows", "dates", "problems"):
        table.add_column(col, justify="right" if col == "rows" else "left")
    for src in source_table(inv).itertuples(index=False):
        if src.status != "read":
            not_read = Text("not read", style="red")
            table.add_row(_plain(src.file), not_read, *map(_plain, [""] * 5), _plain(src.problems))
            continue
        dates = ""
        if src.date_min is not None:
            dates = f"{src.date_min} .. {src.date_max}"
        delim = {",": "comma", ";": "semicolon", "\t": "tab"}.get(src.delimiter or "", "")
        cells = (
            src.file,
            src.kind,
            src.format,
            src.encoding or "",
            delim,
            f"{src.rows:,}",
            dates,
            src.problems,
        )
        table.add_row(*map(_plain, cells))
    return table


def data_map_table(data_map: pd.DataFrame) -> Table:
    """One line per (file, column, category); undeclared categories in red. Every cell
    is plain text, with control characters escaped."""
    table = Table(title=Text("Data map"))
    for col in ("file", "column", "category", "by", "activity", "declared", "filled"):
        table.add_column(col)
    for rec in data_map.itertuples(index=False):
        category = rec.category if isinstance(rec.category, str) else ""
        if not category:
            declared = Text("")
        elif bool(rec.declared):
            declared = Text("yes")
        else:
            declared = Text("NO", style="red")
        cells = (
            rec.source,
            rec.column,
            category,
            rec.detected_by if isinstance(rec.detected_by, str) else "",
            rec.activity,
        )
        table.add_row(*map(_plain, cells), declared, Text(f"{rec.non_empty_share:.0%}"))
    return table


def summary_table(result: AuditResult) -> Table:
    """Findings per rule, and how much of the data each rule could judge; rules that
    could not run say why. Cells are plain text (never read as markup)."""
    from ropa.report.tables import rule_table

    table = Table(title=Text(f"ropa audit of {printable(result.data_dir)} as of {result.as_of}"))
    for col in ("rule", "severity", "activity", "policy", "findings", "checked", "not evaluable"):
        right = col in ("findings", "not evaluable")
        table.add_column(col, justify="right" if right else "left")
    for rule in rule_table(result).itertuples(index=False):
        if rule.checked:
            shown, judged = f"{rule.findings:,}", rule.coverage
            missing = f"{rule.not_evaluable:,}" if rule.not_evaluable else ""
        else:
            shown, judged, missing = rule.reason, "", ""
        cells = (rule.rule_id, rule.severity, rule.activity, rule.policy_ref)
        table.add_row(*map(_plain, (*cells, shown, judged, missing)))
    table.add_row(*map(Text, ("POLICY-GAP", "", "", "policy", f"{len(result.gaps):,}", "", "")))
    return table


def audit_report(result: AuditResult, written: list[Path], seconds: float) -> list[Text]:
    """See ``_audit_lines``; every line is plain text with control characters escaped
    (file names, folders and reasons may hold anything)."""
    return [Text(printable(line.plain)) for line in _audit_lines(result, written, seconds)]


def _audit_lines(result: AuditResult, written: list[Path], seconds: float) -> list[Text]:
    """The plain-text lines around the summary table: what was read and skipped (with
    the reason), rows, findings, what could not be judged and why, where the outputs
    are, and how long it took. Names files, rules and columns, never values."""
    from ropa.coverage import rules_checked
    from ropa.remediation import FOLDER as REMEDIATION_FOLDER
    from ropa.report.tables import key_figures, not_evaluable

    figures = key_figures(result).iloc[0]
    files, rows, skipped = figures["inputs"], figures["rows"], figures["skipped"]
    lines = [Text(f"read {plural(files, 'file')} ({rows:,} rows), skipped {skipped}")]
    lines += [Text(f"  skipped {s.rel}: {s.reason}") for s in result.inventory.skipped]
    found = f"findings: {figures['findings']:,}"
    if figures["accepted"]:
        found += f" ({figures['open']:,} open, {figures['accepted']:,} accepted by exceptions)"
    lines.append(Text(f"{found}; rules checked: {rules_checked(result)}"))
    for rec in result.exceptions.itertuples(index=False):
        if rec.status == "expired":
            lines.append(Text(f"  exception {rec.id} ({rec.rule_id}) expired on {rec.expires}"))
        elif rec.status == "unmatched":
            lines.append(Text(f"  exception {rec.id} ({rec.rule_id}) matches no finding"))
    if result.change_counts is not None and result.compared_with is not None:
        totals = result.change_counts[["new", "persisting", "fixed"]].sum()
        lines.append(
            Text(
                f"since the audit of {result.compared_with.isoformat()}: {int(totals['new']):,}"
                f" new, {int(totals['persisting']):,} persisting, {int(totals['fixed']):,} fixed"
            )
        )
    partly = not_evaluable(result)
    if len(partly):
        lines.append(Text("not evaluable (records the rule could not judge):"))
        for rec in partly.itertuples(index=False):
            share = f"{rec.not_evaluable:,} of {rec.rows:,}"
            lines.append(Text(f"  {rec.rule_id} {rec.source}: {share}, {rec.reason}"))
    lists = [p for p in written if p.parent.name == REMEDIATION_FOLDER]
    written = [p for p in written if p not in lists]
    if written:
        folder = written[0].parent
        names = ", ".join(p.name for p in written)
        lines.append(Text(f"outputs in {folder}: {names}"))
    if lists:
        lines.append(
            Text(
                f"remediation lists in {lists[0].parent} (they hold personal identifiers;"
                f" mode 0600, share only with each system's owner): "
                + ", ".join(p.name for p in lists)
            )
        )
    lines.append(Text(f"done in {seconds:.1f} s"))
    return lines
