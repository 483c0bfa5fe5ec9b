"""Writing an audit's outputs: findings.csv / .parquet, coverage, changes, audit.json,
the workbook (in a thread beside the others) and, on request, GX Data Docs and the
remediation lists.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from ropa.audit import batches, context_for
from ropa.backends import Engine
from ropa.check import derive
from ropa.coverage import write_coverage
from ropa.findings import (
    write_findings,
)
from ropa.reading import (
    BATCH_ROWS,
    STREAMED,
    export_reader,
    rule_frame,
)
from ropa.result import AuditResult
from ropa.rules import Context
from ropa.sources.loader import LoadedBatch

log = logging.getLogger(__name__)


def write_outputs(
    result: AuditResult,
    out_dir: Path | str,
    *,
    data_docs: bool = False,
    remediation: bool = False,
    lang: str = "en",
) -> list[Path]:
    """findings.csv / .parquet, the workbook (in ``lang``), and (on request) GX Data Docs.

    The workbook is written in a thread while findings.csv, findings.parquet,
    coverage.csv (and changes, audit.json) are written: its cells are Python work
    (xlsxwriter), theirs is arrow's, which releases the GIL, so the two overlap instead
    of adding up."""
    out = Path(out_dir)
    from ropa.compare import write_audit_json, write_changes
    from ropa.report.excel import write_audit_workbook

    workbook_path = out / f"ropa-{result.as_of.isoformat()}.xlsx"
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ropa-workbook") as pool:
        workbook = pool.submit(write_audit_workbook, result, workbook_path, lang=lang)
        written = list(write_findings(result.findings, out))
        written.append(write_coverage(result.coverage, out))
        if result.changes is not None:
            written.append(write_changes(result.changes, out))
        written.append(write_audit_json(result.as_of, len(result.findings), out))
        written.append(workbook.result())  # its error, if any, is raised here
    if data_docs:
        written.append(write_data_docs(result, out))
    if remediation:
        from ropa.remediation import remediation_lists, write_remediation

        tz = getattr(result.policy, "timezone", None)
        lists = remediation_lists(result.findings, result.inventory, tz)
        written += write_remediation(lists, out)
    return written


def write_data_docs(result: AuditResult, out_dir: Path | str) -> Path:
    """GX Data Docs of the derived rule columns (no loaded column, no value) per source.

    A source the audit read in batches is read again, batch by batch, and only its
    derived columns are gathered (a few small columns per event)."""
    from ropa.suites import build_data_docs, load_suites

    suites, _ = load_suites(None, result.policy)
    ctx = context_for(result.inventory, result.as_of, result.policy)
    derived: list[tuple[str, str, pd.DataFrame]] = []
    for label, kind, frame in batches(result.inventory, result.data_map):
        if kind in STREAMED:
            frame = _streamed_derived(result, label, kind, ctx)
            derived.append((label, kind, frame))
            continue
        derived.append((label, kind, derive(frame.reset_index(drop=True), kind, ctx)))
    # the site is 0700/0600 (suites.datadocs.finish_site): its results name the rows found
    spark = Engine(result.engine).backend == "spark"
    return build_data_docs(derived, suites, out_dir, spark=spark)


def _streamed_derived(result: AuditResult, rel: str, kind: str, ctx: Context) -> pd.DataFrame:
    from ropa.sources.loader import open_export

    export = open_export(Path(result.data_dir) / rel, Path(result.data_dir), kind)
    parts: list[pd.DataFrame] = []
    for item in export_reader(export, BATCH_ROWS):
        if not isinstance(item, LoadedBatch):
            parts = []
            continue
        frame = rule_frame(item.frame, kind).reset_index(drop=True)
        parts.append(derive(frame, kind, ctx))
    return pd.concat(parts, ignore_index=True)
