"""Checking one frame: the rules' derived columns, the suites' unexpected rows, and the
findings they become (with the engine: ``ropa.engine.check``; with pandas / GX: ``derive``
and the suite executor). Also the data map and the policy gaps as findings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ropa.backends import Engine
from ropa.coverage import CoverageTally
from ropa.findings import (
    empty_findings,
    make_findings,
)
from ropa.rules import RULES_BY_ID, Context, build_context, rules_for
from ropa.sources.common import STRING

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
    return check_frame_staged(frame, kind, ctx, suite, engine, source=source, coverage=coverage)()


def check_frame_staged(
    frame: pd.DataFrame,
    kind: str,
    ctx: Context,
    suite: Mapping[str, Any],
    engine: str = "duckdb",
    *,
    source: str | None = None,
    coverage: CoverageTally | None = None,
) -> Callable[[], pd.DataFrame]:
    """``check_frame`` in two steps: the rules run (and ``coverage`` is counted) now; the
    returned function makes the findings of the flagged rows. A caller checking batch
    after batch makes one batch's findings on another thread while the engine checks the
    next (``reading.read_export``): the engine runs outside the GIL, the findings (keyed
    hashes, details) inside it."""
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
    flagged = sorted(_flagged_by_rule(suite, unexpected).items())

    def findings() -> pd.DataFrame:
        parts = [
            _rule_findings(frame, rule_id, rows, by_row, kind, ctx, source)
            for rule_id, rows in flagged
            if len(rows)
        ]
        return pd.concat(parts, ignore_index=True) if parts else _no_findings()

    return findings


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
) -> Callable[[], pd.DataFrame]:
    """``check_frame_staged`` with the rules and the suite run in DuckDB or Spark: only
    the flagged rows and the coverage counts come back."""
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

    def findings() -> pd.DataFrame:
        derived = flagged.drop(columns=[c for c in flagged.columns if c.startswith("__e")])
        by_row = derived.drop_duplicates("_row").set_index("_row")
        parts = []
        for rule_id, flags in sorted(by_rule.items()):
            hit_rows = flagged.loc[flagged[flags].any(axis=1), "_row"]
            if len(hit_rows):
                parts.append(_rule_findings(frame, rule_id, hit_rows, by_row, kind, ctx, source))
        return pd.concat(parts, ignore_index=True) if parts else _no_findings()

    return findings


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
