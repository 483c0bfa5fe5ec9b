"""One audit: load the exports, map them, derive the rule columns, run the suites, and
turn the unexpected rows into findings. How exports are read (batches, read-ahead,
rule columns) lives in reading.py.

``run_audit`` returns an ``AuditResult`` (no files written); ``write_outputs`` writes
findings.csv / findings.parquet, the workbook and, on request, GX Data Docs. The same
inputs, policy, audit date and suites give the same findings with either engine.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ropa.backends import Engine
from ropa.coverage import NONE, CoverageTally, rule_coverage, write_coverage
from ropa.enums import NotChecked
from ropa.exceptions import apply_exceptions, open_findings
from ropa.findings import (
    combine_findings,
    compact_findings,
    empty_findings,
    make_findings,
    write_findings,
)
from ropa.identity import add_finding_ids
from ropa.mapping.datamap import data_map_from_profiles
from ropa.mapping.profile import SourceProfile
from ropa.outputs import private_tree
from ropa.reading import (
    BATCH_ROWS,
    STREAMED,
    ReadAhead,
    ReadExport,
    export_reader,
    find_exports,
    read_export,
    rule_frame,
)
from ropa.result import AuditResult, RuleStatus
from ropa.rules import ALL_RULES, CONTEXT_READS, RULES_BY_ID, Context, build_context, rules_for
from ropa.sources.base import Inventory
from ropa.sources.common import STRING
from ropa.sources.loader import Export, LoadedBatch

log = logging.getLogger(__name__)
DATA_MAP = "data_map"
POLICY_GAP = "POLICY-GAP"


def derive(
    frame: pd.DataFrame,
    kind: str,
    ctx: Context,
    coverage: CoverageTally | None = None,
    source: str | None = None,
) -> pd.DataFrame:
    """Every derived column the rules of ``kind`` need, plus ``_row``; same index.

    A row a rule cannot judge (``Rule.evaluable``) gets nulls in that rule's columns, so
    it is neither flagged nor passed; ``coverage`` counts it as not evaluable."""
    from ropa.engine import rule_outputs

    # Every rule is defined as expressions: one engine query for all of the kind's.
    outputs = rule_outputs(frame, kind, ctx)
    parts = []
    for rule in rules_for(kind):
        got = outputs[rule.id]
        part, judged, gaps = got.columns, got.judged, got.gaps
        if coverage is not None and kind != DATA_MAP:
            coverage.add(rule.id, _source_name(frame, source), kind, judged, gaps)
        parts.append(part)
    derived = pd.concat([frame[["_row"]], *parts], axis=1)
    if derived.columns.duplicated().any():
        dupes = sorted(set(derived.columns[derived.columns.duplicated()]))
        raise ValueError(f"two rules derive the same column: {dupes}")
    return derived


def _source_name(frame: pd.DataFrame, source: str | None) -> str:
    if source is not None:
        return source
    if "_source" in frame.columns and len(frame):
        return str(frame["_source"].iloc[0])
    return ""


def _flagged_by_rule(suite: Mapping[str, Any], unexpected: Mapping[int, np.ndarray]) -> dict:
    """Rule id -> the ``_row``s any of its expectations flags (a row may repeat; it still
    becomes one finding: a record counts once per rule)."""
    found: dict[str, list[np.ndarray]] = {}
    for index, rows in unexpected.items():
        rule_id = suite["expectations"][index]["meta"]["rule_id"]
        found.setdefault(rule_id, []).append(rows)
    return {rule_id: np.concatenate(parts) for rule_id, parts in found.items()}


def check_frame(
    frame: pd.DataFrame,
    kind: str,
    ctx: Context,
    suite: Mapping[str, Any],
    engine: str = "duckdb",
    *,
    source: str | None = None,
    coverage: CoverageTally | None = None,
) -> pd.DataFrame:
    """Findings for one loaded frame (or the data map) against its kind's suite.

    ``source`` names the file when the frame carries no ``_source`` column (the audit
    leaves it out: the same path in every row of a million-row frame is waste).
    ``coverage``, when given, counts the rows each rule could judge.
    """
    from ropa.suites import run_suite

    frame = frame.reset_index(drop=True)
    executor = Engine(engine).executor
    if executor is None and "_part" not in frame.columns:
        return _check_in_engine(frame, kind, ctx, suite, engine, source, coverage)
    # Small files checked as one group (SmallExports) need coverage per file, so per row:
    # on DuckDB or Spark the rules then still run in DuckDB (derive), the suite as the
    # pandas masks.
    derived = derive(frame, kind, ctx, coverage, source)
    unexpected = run_suite(derived, dict(suite), executor or "pandas")
    by_row = derived.set_index("_row")
    parts = [
        _rule_findings(frame, rule_id, rows, by_row, kind, ctx, source)
        for rule_id, rows in sorted(_flagged_by_rule(suite, unexpected).items())
        if len(rows)
    ]
    return pd.concat(parts, ignore_index=True) if parts else _no_findings()


def _rule_findings(
    frame: pd.DataFrame,
    rule_id: str,
    rows: Any,
    by_row: pd.DataFrame,
    kind: str,
    ctx: Context,
    source: str | None,
) -> pd.DataFrame:
    """The findings of ``rule_id`` for the flagged ``rows`` (``_row`` numbers): the
    loaded columns of those rows with their derived columns (``by_row``, indexed by
    ``_row``), whichever engine derived them."""
    selected = frame["_row"].isin(rows).to_numpy(dtype=bool)
    flagged = frame.loc[selected].drop(columns=list(by_row.columns), errors="ignore")
    flagged = flagged.join(by_row.reindex(flagged["_row"].to_numpy()).set_axis(flagged.index))
    if "_source" not in flagged.columns and source is not None:
        flagged["_source"] = pd.Series(source, index=flagged.index, dtype=STRING)
    return _to_findings(RULES_BY_ID[rule_id], flagged, kind, ctx)


def _to_findings(rule: Any, flagged: pd.DataFrame, kind: str, ctx: Context) -> pd.DataFrame:
    """``rule.to_findings`` of the flagged rows; rows of several files checked together
    (``_part``: the row within its file) become findings per file when any key repeats,
    so a finding id never depends on the other files of the group."""
    if "_part" not in flagged.columns:
        return rule.to_findings(flagged, kind, ctx)
    flagged = flagged.assign(_row=flagged["_part"]).drop(columns="_part")
    if not _keys(flagged, kind).duplicated().any():
        return rule.to_findings(flagged, kind, ctx)
    per_file = [
        rule.to_findings(rows, kind, ctx)
        for _, rows in flagged.groupby("_source", sort=False, observed=True)
    ]
    return pd.concat(per_file, ignore_index=True)


def _keys(rows: pd.DataFrame, kind: str) -> pd.Series:
    """The key a finding id is made of (natural key, else the row number)."""
    from ropa.identity import natural_keys

    keys = natural_keys(rows, kind).astype(STRING)
    return keys.fillna("row=" + rows["_row"].astype(str)).astype(STRING)


_EMPTY_FINDINGS = empty_findings()


def _no_findings() -> pd.DataFrame:
    return _EMPTY_FINDINGS.copy()


def _check_in_engine(
    frame: pd.DataFrame,
    kind: str,
    ctx: Context,
    suite: Mapping[str, Any],
    engine: str,
    source: str | None,
    coverage: CoverageTally | None,
) -> pd.DataFrame:
    """``check_frame`` with the rules and the suite run in DuckDB or Spark: only the
    flagged rows and the coverage counts come back."""
    from ropa.engine import check

    got = check(frame, kind, ctx, suite, engine)
    if coverage is not None and kind != DATA_MAP:
        name = _source_name(frame, source)
        for rule in rules_for(kind):
            gaps = [(g.reason, n, g.counted) for g, n in got.gaps.get(rule.id, [])]
            checked = got.judged.get(rule.id, got.rows)
            coverage.add_counts(rule.id, name, kind, got.rows, checked, gaps)
    by_rule: dict[str, list[str]] = {}
    for index, expectation in enumerate(suite["expectations"]):
        by_rule.setdefault(expectation["meta"]["rule_id"], []).append(f"__e{index}")
    flagged = got.flagged
    derived = flagged.drop(columns=[c for c in flagged.columns if c.startswith("__e")])
    by_row = derived.drop_duplicates("_row").set_index("_row")
    parts = []
    for rule_id, flags in sorted(by_rule.items()):
        hit_rows = flagged.loc[flagged[flags].any(axis=1), "_row"]
        if len(hit_rows):
            parts.append(_rule_findings(frame, rule_id, hit_rows, by_row, kind, ctx, source))
    return pd.concat(parts, ignore_index=True) if parts else _no_findings()


def data_map_frame(data_map: pd.DataFrame) -> pd.DataFrame:
    """The data map as a checkable frame: one ``_row`` per (source, column, category)."""
    frame = data_map.reset_index(drop=True).copy()
    frame["_row"] = np.arange(1, len(frame) + 1, dtype=np.int64)
    return frame


def gap_findings(gaps: pd.DataFrame) -> pd.DataFrame:
    """Policy gaps as findings: ``source`` is the policy file, no row, no column."""
    if gaps is None or gaps.empty:
        return empty_findings()
    return make_findings(
        rule_id=POLICY_GAP,
        severity=gaps["severity"],
        activity=gaps["activity"],
        policy_ref=gaps["reference"],
        source=gaps["source"],
        row=None,
        column=None,
        subject_key=None,
        detail=gaps["gap_id"].astype(str) + ": " + gaps["missing"].astype(str),
    )


def _statuses(
    present: set[str],
    suites: Mapping[str, Mapping[str, Any]],
    findings: pd.DataFrame,
    coverage: pd.DataFrame,
) -> list[RuleStatus]:
    counts = findings["rule_id"].value_counts()
    open_counts = open_findings(findings)["rule_id"].value_counts()
    in_suites = {
        e["meta"]["rule_id"]
        for kind, suite in suites.items()
        if kind in present
        for e in suite["expectations"]
    }
    statuses = []
    for rule in ALL_RULES:
        missing_needs = [k for k in rule.needs if k not in present]
        checked, reason = True, ""
        if not any(k in present for k in rule.kinds):
            if rule.kinds == (DATA_MAP,):
                checked, reason = False, NotChecked.NO_EXPORTS.value
            else:
                checked, reason = False, NotChecked.NO_EXPORT.format(kinds=" or ".join(rule.kinds))
        elif missing_needs and not rule.runs_without_needs:
            checked, reason = False, NotChecked.NO_EXPORT.format(kinds=" or ".join(missing_needs))
        elif rule.id not in in_suites:
            checked, reason = False, NotChecked.NO_EXPECTATION.value
        elif missing_needs:
            reason = NotChecked.PARTLY.format(kinds=" or ".join(missing_needs))
        judged = rule_coverage(coverage, rule.id) if checked else None
        rows = coverage[coverage["rule_id"] == rule.id]
        statuses.append(
            RuleStatus(
                rule_id=rule.id,
                severity=rule.severity,
                activity=rule.activity,
                policy_ref=rule.policy_ref,
                description=rule.description,
                checked=checked,
                reason=reason,
                findings=int(counts.get(rule.id, 0)),
                accepted=int(counts.get(rule.id, 0)) - int(open_counts.get(rule.id, 0)),
                coverage=judged or NONE,
                not_evaluable=int(rows["not_evaluable"].sum()),
            )
        )
    return statuses


def run_audit(
    data_dir: Path | str,
    *,
    as_of: date,
    policy: Any = None,
    policy_path: Path | str | None = None,
    engine: str = "duckdb",
    progress: Any = None,
    suites_dir: Path | str | None = None,
    batch_rows: int = BATCH_ROWS,
    exceptions: list[Any] | None = None,
    earlier: list[Any] | None = None,
) -> AuditResult:
    """Check every record in ``data_dir`` against the policy as of ``as_of``.

    One export at a time: read, profile for the data map, keep only the columns the
    rules read, check. Analytics exports are read in batches of ``batch_rows`` events
    and keep nothing but their findings, so memory does not grow with the number of
    events. The exports that give the cross-source facts (request log, newsletter
    unsubscribes) are read first.
    """
    from ropa.policy import load_policy
    from ropa.policy.gaps import policy_gaps
    from ropa.progress import step
    from ropa.suites import load_suites

    engine = Engine.parse(engine).value
    if policy is None:
        policy = load_policy(Path(policy_path) if policy_path else None)
    suites, notes = load_suites(suites_dir, policy)
    for note in notes:
        log.info("suites: %s", note)
    inventory, exports = find_exports(Path(data_dir))
    for export in exports:  # zone-less times are local to the policy's timezone
        export.tz = getattr(policy, "timezone", None)

    first: dict[str, ReadExport] = {}
    for export in exports:
        if export.kind in CONTEXT_READS:  # the cross-source facts come first
            with step(progress, f"reading {export.rel}"):
                got = read_export(export, inventory, batch_rows)
            if got is not None:
                first[export.rel] = got
    ctx = context_for(
        Inventory(inventory.data_dir, [r.source for r in first.values()]), as_of, policy
    )

    coverage = CoverageTally()
    parts, profiles = check_exports(
        exports, first, inventory, (ctx, suites, engine, coverage), batch_rows, progress
    )
    data_map = data_map_from_profiles(profiles, policy)
    _count_columns(coverage, data_map)
    if len(data_map):
        with step(progress, "checking data map"):
            parts.append(
                check_frame(data_map_frame(data_map), DATA_MAP, ctx, suites[DATA_MAP], engine)
            )
    gaps = policy_gaps(policy)
    parts.append(gap_findings(gaps))
    findings = add_finding_ids(combine_findings(parts), {s.rel: s.kind for s in inventory.sources})

    findings, exception_table = apply_exceptions(findings, exceptions or [], as_of)
    present = {s.kind for s in inventory.sources} | ({DATA_MAP} if len(data_map) else set())
    column_rules = frozenset(r.id for r in rules_for(DATA_MAP))
    coverage_table = coverage.frame(findings, column_rules)
    return AuditResult(
        data_dir=Path(data_dir),
        as_of=as_of,
        policy=policy,
        policy_path=str(policy_path) if policy_path else _policy_name(policy),
        engine=engine,
        inventory=inventory,
        data_map=data_map,
        findings=findings,
        gaps=gaps,
        rules=_statuses(present, suites, findings, coverage_table),
        coverage=coverage_table,
        exceptions=exception_table,
        **_comparison(findings, as_of, earlier or []),
    )


def _comparison(findings: pd.DataFrame, as_of: date, earlier: list[Any]) -> dict[str, Any]:
    """changes / change_counts / trend / compared_with for AuditResult (none without
    earlier audits)."""
    from ropa.compare import change_counts, compare_findings, previous, trend

    if not earlier:
        return {}
    prev = previous(earlier, as_of)
    changes = compare_findings(findings, prev)
    return {
        "changes": changes,
        "change_counts": change_counts(changes, findings),
        "trend": trend(earlier, as_of, findings),
        "compared_with": prev.as_of,
    }


def _count_columns(coverage: CoverageTally, data_map: pd.DataFrame) -> None:
    """Column-level rules judge every column of every source in the data map."""
    if not len(data_map):
        return
    kinds = data_map.groupby("source", sort=True)["column"].nunique()
    for source, columns in kinds.items():
        for rule in rules_for(DATA_MAP):
            coverage.add_columns(rule.id, str(source), DATA_MAP, int(columns))


def check_exports(
    exports: list[Export],
    first: Mapping[str, ReadExport],
    inventory: Inventory,
    check: tuple[Context, Mapping[str, Any], str, CoverageTally],
    batch_rows: int,
    progress: Any,
) -> tuple[list[pd.DataFrame], list[SourceProfile]]:
    """Check every export in path order (those in ``first`` are read already); returns
    the findings and the data-map profiles. Loaded sources go to ``inventory``. Small
    exports read whole are checked together (``SmallExports``)."""
    from ropa.progress import step

    ctx, suites, engine, coverage = check
    parts: list[pd.DataFrame] = []
    profiles: list[SourceProfile] = []
    later = [e for e in exports if e.rel not in first]
    readers = {e.rel: export_reader(e, batch_rows) for e in later}
    ahead = ReadAhead(later, readers)
    small = SmallExports(check, parts)
    try:
        for export in exports:
            suite = suites[export.kind]
            started = time.perf_counter()
            with step(progress, f"checking {export.rel}"):
                got = first.get(export.rel)
                if got is not None:
                    frame = got.source.frame
                    found = check_frame(
                        frame, export.kind, ctx, suite, engine, source=export.rel,
                        coverage=coverage,
                    )  # fmt: skip
                    got.findings.append(compact_findings(found))
                elif export.kind not in STREAMED:  # read whole, checked with others
                    ahead.reached(export)
                    got = read_export(export, inventory, batch_rows, None, readers.pop(export.rel))
                    if got is not None:
                        small.add(export, got.source.frame)
                else:
                    ahead.reached(export)  # read in the background, the next ones too
                    check_batch = partial(
                        check_frame, kind=export.kind, ctx=ctx, suite=suite, engine=engine,
                        source=export.rel, coverage=coverage,
                    )  # fmt: skip
                    reader = readers.pop(export.rel)
                    got = read_export(
                        export, inventory, batch_rows, check_batch, reader,
                        on_restart=partial(coverage.forget, export.rel),
                    )  # fmt: skip
                    if got is None:  # skipped: it was not audited
                        coverage.forget(export.rel)
            if got is not None:
                inventory.sources.append(got.source)
                profiles.append(got.profile)
                parts += got.findings
                log.info(
                    "%s: %s rows read and checked in %.2f s",
                    export.rel, f"{got.source.rows:,}", time.perf_counter() - started,
                )  # fmt: skip
        small.flush()
    finally:
        for reader in readers.values():  # started ahead, never reached (an error)
            reader.close()
    return parts, profiles


GROUP_ROWS = 50_000  # small exports of one kind and shape are checked together up to this


class SmallExports:
    """Exports read whole, checked a group at a time: consecutive files of one kind with
    the same columns and types (2,000 two-row exports of one form tool) become one frame
    and one check, instead of 2,000 checks of a fixed cost each. Every row keeps its file
    (``_source``) and its row number (``_part``); coverage is counted per file and a
    finding id never depends on the other files of the group (``_to_findings``), so the
    findings and the coverage are those of checking each file alone."""

    def __init__(
        self,
        check: tuple[Context, Mapping[str, Any], str, CoverageTally],
        parts: list[pd.DataFrame],
    ) -> None:
        self.check = check
        self.parts = parts
        self.kind = ""
        self.shape: tuple[Any, ...] | None = None
        self.members: list[tuple[str, pd.DataFrame]] = []
        self.rows = 0

    def add(self, export: Export, frame: pd.DataFrame) -> None:
        shape = _shape(export.kind, frame)
        if self.members and (shape is None or shape != self.shape):
            self.flush()
        self.members.append((export.rel, frame))
        self.kind, self.shape = export.kind, shape
        self.rows += len(frame)
        if shape is None or self.rows >= GROUP_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.members:
            return
        ctx, suites, engine, coverage = self.check
        members, kind = self.members, self.kind
        self.members, self.shape, self.rows = [], None, 0
        if len(members) == 1:
            rel, frame = members[0]
            found = check_frame(
                frame, kind, ctx, suites[kind], engine, source=rel, coverage=coverage
            )
        else:
            frame = pd.concat(
                [
                    f.assign(_source=pd.Series(rel, index=f.index, dtype=STRING), _part=f["_row"])
                    for rel, f in members
                ],
                ignore_index=True,
            )
            frame["_row"] = np.arange(len(frame), dtype=np.int64)  # unique across the group
            per_file = PerFileTally(coverage, [(rel, len(f)) for rel, f in members])
            found = check_frame(frame, kind, ctx, suites[kind], engine, coverage=per_file)
        self.parts.append(compact_findings(found))


def _shape(kind: str, frame: pd.DataFrame) -> tuple[Any, ...] | None:
    """What files must share to be checked together: kind, columns and their types.
    None: checked alone (a large file, categorical text, a repeated column name)."""
    if len(frame) >= GROUP_ROWS or frame.columns.duplicated().any():
        return None
    if any(isinstance(t, pd.CategoricalDtype) for t in frame.dtypes):
        return None
    return (kind, tuple(frame.columns), tuple(str(t) for t in frame.dtypes))


class PerFileTally(CoverageTally):
    """The coverage tally of a group of files checked as one frame (their rows one
    after another): what each rule judged is counted for each file."""

    def __init__(self, tally: CoverageTally, sizes: list[tuple[str, int]]) -> None:
        super().__init__()
        self.tally = tally
        self.sizes = sizes

    def add(self, rule_id: str, source: str, kind: str, judged: pd.Series, gaps: list[Any]) -> None:
        start = 0
        for rel, rows in self.sizes:
            part = slice(start, start + rows)
            per_gap = [replace(gap, rows=gap.rows.iloc[part]) for gap in gaps]
            self.tally.add(rule_id, rel, kind, judged.iloc[part], per_gap)
            start += rows


def _policy_name(policy: Any) -> str:
    return str(getattr(policy, "file_name", None) or "policy.yaml")


def context_for(inventory: Any, as_of: date, policy: Any) -> Context:
    frames: dict[str, list[pd.DataFrame]] = {}
    for source in inventory.sources:
        frames.setdefault(source.kind, []).append(source.frame)
    return build_context(as_of, policy, frames)


def batches(inventory: Any, data_map: pd.DataFrame) -> Iterator[tuple[str, str, pd.DataFrame]]:
    """(label, kind, frame) for every loaded source, then the data map."""
    for source in inventory.sources:
        yield source.rel, source.kind, source.frame
    if len(data_map):
        yield "data map", DATA_MAP, data_map_frame(data_map)


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
    index = build_data_docs(
        derived, suites, out_dir, spark=Engine(result.engine).backend == "spark"
    )
    private_tree(index.parent)  # the validation results name the rows found
    return index


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
