"""The rules ropa checks, one module per rule (sqlfluff style).

A new rule is one module here (a ``Rule`` instance named ``rule``, with its ``order`` in
reports) plus one YAML file in ``cases/``: modules are found by ``pkgutil``, so no list
names them. A rule that needs cross-source facts declares them (``Rule.context``).
Ids are fixed: findings, suites and reports refer to them across quarters.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from ropa.rules.base import FINDING_READS, Context, Rule
from ropa.sources.canonical import KINDS as SOURCE_KINDS


def _discover() -> tuple[Rule, ...]:
    """Every ``rule`` of a module in this package, by ``order``."""
    found: list[Rule] = []
    for info in pkgutil.iter_modules(__path__):
        rule = getattr(importlib.import_module(f"{__name__}.{info.name}"), "rule", None)
        if isinstance(rule, Rule):
            found.append(rule)
    found.sort(key=lambda r: r.order)
    for attribute in ("id", "order"):
        values = [getattr(r, attribute) for r in found]
        doubled = sorted({str(v) for v in values if values.count(v) > 1})
        if doubled:
            raise RuntimeError(f"two rules share the {attribute} {', '.join(doubled)}")
    return tuple(found)


ALL_RULES: tuple[Rule, ...] = _discover()
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in ALL_RULES}

# Every kind a suite exists for, in report order: the exports' kinds, then the data map.
KINDS: tuple[str, ...] = (*SOURCE_KINDS, "data_map")


def rules_for(kind: str) -> list[Rule]:
    return [r for r in ALL_RULES if kind in r.kinds]


# Columns build_context reads from the exports that give the cross-source facts.
CONTEXT_READS: dict[str, tuple[str, ...]] = {}
for _fact in (fact for rule in ALL_RULES for fact in rule.context):
    CONTEXT_READS[_fact.kind] = tuple(
        dict.fromkeys((*CONTEXT_READS.get(_fact.kind, ()), *_fact.reads))
    )


def rule_columns(kind: str, columns: Sequence[str]) -> list[str]:
    """The ``columns`` (in their order) that the rules of ``kind``, their findings or the
    cross-source context read: all a loaded frame needs to keep for the audit."""
    wanted = set(FINDING_READS) | set(CONTEXT_READS.get(kind, ()))
    for rule in rules_for(kind):
        wanted.update(rule.reads)
    twin = re.compile(r"(.+)_\d+")
    return [
        c
        for c in columns
        if c in wanted or ((m := twin.fullmatch(str(c))) is not None and m.group(1) in wanted)
    ]


def build_context(
    as_of: date, policy: Any, frames: Mapping[str, Sequence[pd.DataFrame]]
) -> Context:
    """The cross-source facts the rules declare (``Rule.context``), from the loaded frames
    by kind."""
    facts = {
        fact.field: fact.build(list(frames.get(fact.kind, ())), as_of)
        for rule in ALL_RULES
        for fact in rule.context
    }
    return Context(
        as_of=as_of,
        policy=policy,
        present=frozenset(kind for kind, got in frames.items() if len(got)),
        **facts,
    )


__all__ = [
    "ALL_RULES",
    "CONTEXT_READS",
    "KINDS",
    "RULES_BY_ID",
    "Context",
    "Rule",
    "build_context",
    "rule_columns",
    "rules_for",
]
