"""The rule helpers as ibis expressions: one definition of each check for every engine.

A rule's ``columns`` and ``gaps`` build ibis expressions over an *unbound* table of
canonical columns (``ibis.table(schema, name="src")``); ``ropa.engine`` compiles them
once per schema to DuckDB, Spark or BigQuery SQL. The text helpers share their names
and semantics with the pandas ones in ``rules/base.py`` that ``detail`` texts use:

- text is trimmed (spaces, tabs, line breaks) and lower-cased before it is compared;
- days are UTC calendar days, ``(as_of - date).days`` on the UTC dates (every engine
  runs with its session time zone set to UTC);
- a column the export lacks is a typed null, so a rule never fails on a missing column:
  its ``gaps`` say why those rows could not be judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from ropa.enums import GapReason
from ropa.rules.expr_time import (  # re-exported: rules call X.<name>
    UTC_TS as UTC_TS,
    coalesce_times as coalesce_times,
    day as day,
    day_number as day_number,
    days_before_cutoff as days_before_cutoff,
    days_between as days_between,
    days_past_year_end as days_past_year_end,
    days_since as days_since,
    epoch_day as epoch_day,
    micros_day as micros_day,
    null as null,
    utc_times as utc_times,
)
from ropa.rules.values import STAGE_SEPARATORS, header_label
from ropa.sources.common import SPACES, regex_class


@dataclass(frozen=True)
class Gap:
    """Rows a rule cannot judge, and why (see ``rules.base.Unjudged``); ``rows`` is an
    ibis boolean over the table (null counts as False)."""

    reason: str
    rows: ir.BooleanValue
    counted: bool = True


def true() -> ir.BooleanScalar:
    return ibis.literal(True)


def false() -> ir.BooleanScalar:
    return ibis.literal(False)


# -- column access --------------------------------------------------------------


def has(t: ir.Table, column: str) -> bool:
    return column in t.columns


def text(t: ir.Table, column: str) -> ir.StringValue:
    """A column as text; a typed null when the export lacks it."""
    if column not in t.columns:
        return null(dt.string)
    col = t[column]
    return col if col.type().is_string() else col.cast(dt.string)


# SQL's TRIM only knows six ASCII blanks: blank is ``str.isspace`` (``SPACES``) here too.
_NOT_BLANK = regex_class(SPACES, negate=True)  # a character that is not blank
_BLANK = regex_class(SPACES)
_BLANK_ENDS = f"^{_BLANK}+|{_BLANK}+$"


def stripped(value: ir.StringValue) -> ir.StringValue:
    """Text without leading and trailing whitespace, as ``str.strip`` removes it (a
    no-break space too); null stays null. The one strip of the rules' expressions: ibis'
    ``strip()`` compiles to TRIM, which knows six ASCII blanks and whose vertical tab and
    form feed sqlglot writes for Spark as ``\\v`` ``\\f``, read there as the letters v
    and f (``tests/test_engines.py`` fails on any TRIM in a plan)."""
    return value.re_replace(_BLANK_ENDS, "")


def present(value: ir.Value) -> ir.BooleanValue:
    """True where a value is there: not null and, for text, not blank: it holds a
    character that is not whitespace, as ``str.strip`` sees it (a no-break space alone is
    blank, as the loaders and the data map say). One regex search, without building a
    trimmed copy of every value (about six times faster in DuckDB than TRIM), and only
    for values that do not start with a printable ASCII character."""
    if value.type().is_string():
        # Most text starts with a printable ASCII character, so is not blank: a string
        # comparison says so without the search (bytes compare in code-point order in
        # every dialect; any other first character goes to the search).
        plain = (value >= "!") & (value <= "~")
        return ibis.ifelse(plain, True, value.re_search(_NOT_BLANK)).fill_null(False)
    return value.notnull()


def filled(t: ir.Table, column: str) -> ir.BooleanValue:
    """``present`` for a column that may be missing from the export."""
    return present(t[column]) if column in t.columns else false()


def number(t: ir.Table, column: str) -> ir.FloatingValue:
    """A column as a float (null where missing or not a number)."""
    if column not in t.columns:
        return null(dt.float64)
    col = t[column]
    if col.type().is_numeric():
        return col.cast(dt.float64)
    return stripped(col.cast(dt.string)).try_cast(dt.float64)


def folded(value: ir.StringValue) -> ir.StringValue:
    """Trimmed, lower-cased text (null stays null)."""
    return stripped(value).lower()


def is_word(value: ir.Value, words: Iterable[str]) -> ir.BooleanValue:
    """True where the trimmed, lower-cased value is one of ``words``."""
    wanted = sorted(words)
    if not wanted:
        return false()
    text_value = value if value.type().is_string() else value.cast(dt.string)
    return folded(text_value).isin(wanted).fill_null(False)


def is_yes(value: ir.Value, ctx: Any) -> ir.BooleanValue:
    """An explicit yes (``vocabulary.yes_words``); a boolean column as it is."""
    if value.type().is_boolean():
        return value.fill_null(False)
    return is_word(value, ctx.words("yes_words"))


def answered(value: ir.Value, ctx: Any) -> ir.BooleanValue:
    """A free-text answer that says something: not blank and not a none-word."""
    return present(value) & ~is_word(value, ctx.words("none_words"))


def flag(t: ir.Table, column: str, ctx: Any) -> ir.BooleanValue:
    """A yes/no column as a boolean (null where empty): bool as loaded, or text read
    with yes-words."""
    if column not in t.columns:
        return null(dt.boolean)
    col = t[column]
    if col.type().is_boolean():
        return col
    return ibis.ifelse(present(col), is_yes(col, ctx), null(dt.boolean))


def stage_key(value: ir.Value) -> ir.StringValue:
    """HubSpot lifecycle stage as a key ("Marketing Qualified Lead" ->
    marketingqualifiedlead); loaders already normalise it, folding again keeps hand-made
    frames working. Deleting each separator removes their runs (no regex)."""
    key = folded(value if value.type().is_string() else value.cast(dt.string))
    for separator in STAGE_SEPARATORS:
        key = key.replace(separator, "")
    return key


def stage_among(keys: Iterable[str]) -> Any:
    """value -> is its lifecycle key one of ``keys`` (a ``Rule.lookups`` test)."""
    wanted = sorted(keys)
    return lambda value: stage_key(value).isin(wanted).fill_null(False)


def stage_test(ctx: Any, stages: str) -> tuple[str, tuple[str, Any]]:
    """The lookup that tells the contacts of ``vocabulary.<stages>``: ``name -> (column,
    test)``, as ``Rule.lookups`` declares it and ``is_stage`` reads it."""
    return f"__stage_{stages}", ("lifecycle_stage", stage_among(ctx.words(stages)))


def is_stage(t: ir.Table, ctx: Any, stages: str) -> ir.BooleanValue:
    """True where the lifecycle stage is one of ``vocabulary.<stages>`` (once per distinct
    stage where the rule declares ``stage_test`` among its lookups)."""
    name, (column, test) = stage_test(ctx, stages)
    return looked_up(t, name, column, test)


def numbered(t: ir.Table, name: str) -> list[str]:
    """``name`` and its numbered twins (``dietary``, ``dietary_2``, ...) in ``t``."""
    pattern = re.compile(rf"{re.escape(name)}(?:_\d+)?")
    return [c for c in t.columns if pattern.fullmatch(c)]


def any_answered(t: ir.Table, names: Iterable[str], ctx: Any) -> ir.BooleanValue:
    """True where any of the named questions (or their numbered twins) holds an answer."""
    return any_of(answered(text(t, c), ctx) for n in names for c in numbered(t, n))


def only_where(values: ir.Value, mask: ir.BooleanValue) -> ir.Value:
    """``values`` where the rule applies, null elsewhere (expectations skip nulls)."""
    return ibis.ifelse(mask.fill_null(False), values, null(values.type()))


def any_of(masks: Iterable[ir.BooleanValue]) -> ir.BooleanValue:
    out: ir.BooleanValue = false()
    for mask in masks:
        out = out | mask.fill_null(False)
    return out


def count_true(masks: Iterable[ir.BooleanValue]) -> ir.IntegerValue:
    """Per row, how many of ``masks`` hold."""
    out: ir.IntegerValue = ibis.literal(0, type=dt.int64)
    for mask in masks:
        out = out + mask.fill_null(False).cast(dt.int64)
    return out


def looked_up(t: ir.Table, name: str, column: str, fn: Any) -> ir.Value:
    """The engine's per-value answer ``name`` (``Rule.lookups``), or ``fn`` evaluated row
    by row where no lookup was joined."""
    if name in t.columns:
        return t[name]
    return fn(text(t, column))


def join_lookup(
    t: ir.Table, column: str, fns: dict[str, Any], base: ir.Table | None = None
) -> ir.Table:
    """``t`` with a column per ``name -> fn`` of ``fns``: ``fn`` of each distinct value of
    ``column``, joined back in one join (a null value gets ``fn`` of null). The distinct
    values are taken from ``base`` (default ``t``): the table before earlier lookups were
    joined, so an engine does not compute those joins again for each lookup."""
    source = t if base is None else base
    values = source.select(__value=source[column]).distinct()
    values = values.mutate(**{name: fn(values["__value"]) for name, fn in fns.items()})
    joined = t.left_join(values, t[column] == values["__value"])
    missing = t[column].isnull()
    answers = {
        name: ibis.ifelse(missing, fn(null(t[column].type())), joined[name])
        for name, fn in fns.items()
    }
    return joined.select(*[joined[c] for c in t.columns], **answers)


# -- dates -----------------------------------------------------------------------


def needs_column(
    t: ir.Table, kind: str, columns: tuple[str, ...], rows: ir.BooleanValue | None = None
) -> list[Gap]:
    """``rows`` (default all) cannot be judged when the export has none of ``columns``."""
    if any(c in t.columns for c in columns):
        return []
    everyone = true() if rows is None else rows
    reason = GapReason.NO_COLUMN.format(header=header_label(kind, columns[0]))
    return [Gap(reason, everyone, counted=False)]


def needs_value(
    t: ir.Table,
    kind: str,
    columns: tuple[str, ...],
    what: str,
    rows: ir.BooleanValue | None = None,
) -> list[Gap]:
    """``rows`` need a value in one of ``columns`` (tried in order): a missing column is
    named, and rows where every one is empty or was unreadable are counted."""
    missing = needs_column(t, kind, columns, rows)
    if missing:
        return missing
    there = any_of(present(t[c]) for c in columns if c in t.columns)
    everyone = true() if rows is None else rows.fill_null(False)
    return [Gap(GapReason.WITHOUT.format(what=what), everyone & ~there)]
