"""The closed sets of words ropa writes, as ``str`` enums.

A member *is* its string (``Severity.HIGH == "high"``, ``f"{Severity.HIGH}"`` is
``high``, the same hash), so findings.csv, the workbook and the console show exactly the
words they always did; a word outside the set fails where it is written, not in a
report. The members with ``{placeholders}`` are templates: ``.format(...)`` gives the
text (a plain ``str``).

This module imports nothing from ropa: rules, the engine and the coverage all use it.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is; the order is the workbook's and the console's (worst first)."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


# The severities as plain strings, worst first.
SEVERITIES: tuple[str, ...] = tuple(s.value for s in Severity)


class Coverage(StrEnum):
    """How much of the data a rule could judge, over every source it applies to."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "not evaluable"
    NOT_CHECKED = "not checked"  # the rule did not run (``NotChecked`` says why)


class NotChecked(StrEnum):
    """Why a rule did not run, or ran on part of what it needs (``RuleStatus.reason``);
    ``{kinds}``: the missing source kinds, joined by "or"."""

    NO_EXPORTS = "not checked: no exports loaded"
    NO_EXPORT = "not checked: no {kinds} export"
    NO_EXPECTATION = "not checked: no expectation for it in the suites"
    PARTLY = "partly checked: no {kinds} export"


class GapReason(StrEnum):
    """Why rows could not be judged (``rules.expr.Gap``, coverage ``reason``): templates
    naming a column header (``{header}``) or what the rows lack (``{what}``), never a
    value."""

    NO_COLUMN = "no '{header}' column"
    WITHOUT = "without {what}"
