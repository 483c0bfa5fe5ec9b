"""The rules ropa checks, one module per rule (sqlfluff style).

A new rule is one module here plus one YAML file in ``cases/``; add its instance to
``ALL_RULES``. Ids are fixed: findings, suites and reports refer to them across quarters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from ropa.rules import (
    analytics_identifiable,
    cleaned_kept,
    consent_missing,
    cookie_no_consent,
    crm_marketing_after_optout,
    erasure_not_done,
    request_overdue,
    ret_analytics,
    ret_customer,
    ret_inquiry,
    ret_prospect,
    ret_visitor,
    special_kept,
    special_no_consent,
    undeclared_data,
    unmapped_column,
    unsub_residue,
)
from ropa.rules.base import FINDING_READS, Context, Rule
from ropa.sources.canonical import KINDS as SOURCE_KINDS

ALL_RULES: tuple[Rule, ...] = (
    ret_visitor.rule,
    ret_inquiry.rule,
    ret_customer.rule,
    ret_prospect.rule,
    special_no_consent.rule,
    special_kept.rule,
    consent_missing.rule,
    unsub_residue.rule,
    cleaned_kept.rule,
    crm_marketing_after_optout.rule,
    cookie_no_consent.rule,
    analytics_identifiable.rule,
    ret_analytics.rule,
    request_overdue.rule,
    erasure_not_done.rule,
    undeclared_data.rule,
    unmapped_column.rule,
)
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in ALL_RULES}

# Every kind a suite exists for, in report order: the exports' kinds, then the data map.
KINDS: tuple[str, ...] = (*SOURCE_KINDS, "data_map")


def rules_for(kind: str) -> list[Rule]:
    return [r for r in ALL_RULES if kind in r.kinds]


# Columns build_context reads from the exports that give the cross-source facts.
CONTEXT_READS: dict[str, tuple[str, ...]] = {
    "requests": erasure_not_done.CONTEXT_READS,
    "newsletter_unsubscribed": crm_marketing_after_optout.CONTEXT_READS,
}


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
    """The cross-source facts the rules need, from the loaded frames by kind."""
    return Context(
        as_of=as_of,
        policy=policy,
        erased=erasure_not_done.erased_emails(list(frames.get("requests", ())), as_of),
        unsubscribed=crm_marketing_after_optout.unsubscribed_emails(
            list(frames.get("newsletter_unsubscribed", ()))
        ),
        present=frozenset(kind for kind, got in frames.items() if len(got)),
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
