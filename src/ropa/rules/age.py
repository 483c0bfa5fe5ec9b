"""The template of the rules that check how long a record is kept (``AgeRule``).

An age rule declares, as class attributes, which loaded time says when the record was
last touched (``dated``, the first column that holds a time wins), which window limits
its age (``window``, a ``policy.windows`` attribute) and in which unit:

- ``days``: the derived column is ``(as_of - date).days``, at most the window;
- ``months``: days before the cutoff ``as_of`` minus the window in calendar months, at most 0;
- ``years``: days past 31 December of the date's year plus the window, at most 0.

``applies`` narrows the rows the rule judges (a lifecycle stage, an answer held);
``requires`` names the columns that tell those rows apart (none there: no row can be
judged). ``explains`` and ``wording`` are the expectation's and the finding's words, with
``{limit}``, ``{label}`` (the label of the time column used), ``{date}``, ``{age}``
(``"31 days"``), ``{cutoff}``, ``{year}`` and ``{year_end}`` (the year plus the window),
and any part ``parts`` adds.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import pandas as pd

from ropa.rules import expr as X
from ropa.rules.base import STRING, Context, Rule
from ropa.rules.values import UTC_TIME, concat, counted, iso, months_before, num, utc_times


@dataclass(frozen=True)
class Dated:
    """The loaded times a record's age is counted from: the first of ``columns`` that
    holds a time, named in the finding by the matching ``labels`` entry; ``what`` names
    them where a row has none ("a sign-in time")."""

    columns: tuple[str, ...]
    labels: tuple[str, ...]
    what: str


class AgeRule(Rule):
    """A record kept longer than ``policy.windows.<window>`` (see the module doc)."""

    retention = True  # evidence for the ROPA's retention column
    column: ClassVar[str]
    window: ClassVar[str]
    unit: ClassVar[str] = "days"
    dated: ClassVar[Dated]
    dated_by_kind: ClassVar[dict[str, Dated]] = {}
    stages: ClassVar[str | None] = None  # vocabulary of the CRM stages the rule judges
    explains: ClassVar[str]
    wording: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "window" in cls.__dict__:
            cls.windows = (cls.window,)

    # -- declarations a rule may override -----------------------------------------
    def dates(self, kind: str) -> Dated:
        return self.dated_by_kind.get(kind, self.dated)

    def applies(self, t: Any, kind: str, ctx: Context) -> Any | None:
        """The rows the rule judges (ibis boolean), ``None`` for every row."""
        if self.stages and kind == "crm":
            return X.is_stage(t, ctx, self.stages)
        return None

    def lookups(self, kind: str, ctx: Context) -> dict[str, tuple[str, Any]]:
        # the stage test runs once per distinct stage (``expr.is_stage`` reads it)
        if self.stages and kind == "crm":
            return dict([X.stage_test(ctx, self.stages)])
        return {}

    def requires(self, kind: str) -> tuple[str, ...]:
        """Columns of which one must be there to tell which rows ``applies`` to."""
        return ("lifecycle_stage",) if self.stages and kind == "crm" else ()

    def parts(self, rows: pd.DataFrame, kind: str, ctx: Context) -> dict[str, pd.Series]:
        """Per-row words for the ``wording`` beyond the standard ones."""
        return {}

    # -- the age ------------------------------------------------------------------
    def limit(self, policy: Any) -> int:
        return int(getattr(policy.windows, self.window))

    def cutoff(self, ctx: Context) -> date:
        return months_before(ctx.as_of, self.limit(ctx.policy))

    def age(self, t: Any, kind: str, ctx: Context) -> Any:
        times = X.coalesce_times(t, *self.dates(kind).columns)
        if self.unit == "months":
            return X.days_before_cutoff(times, self.cutoff(ctx))
        if self.unit == "years":
            return X.days_past_year_end(times, self.limit(ctx.policy), ctx)
        return X.days_since(times, ctx)

    def times(self, rows: pd.DataFrame, kind: str) -> tuple[pd.Series, pd.Series]:
        """(the time the age is counted from, the label of its column) per flagged row."""
        dated = self.dates(kind)
        when = pd.Series(pd.NA, index=rows.index, dtype=UTC_TIME)
        label = pd.Series(pd.NA, index=rows.index, dtype=STRING)
        for column, name in zip(dated.columns, dated.labels, strict=True):
            got = utc_times(rows, column)
            label = label.where(label.notna() | got.isna(), name)
            when = when.fillna(got)
        return when, label

    # -- Rule ---------------------------------------------------------------------
    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        age = self.age(t, kind, ctx)
        rows = self.applies(t, kind, ctx)
        return {self.column: age if rows is None else X.only_where(age, rows)}

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        rows = self.applies(t, kind, ctx)
        if rows is not None and self.requires(kind):
            missing = X.needs_column(t, kind, self.requires(kind))
            if missing:
                return missing
        dated = self.dates(kind)
        return X.needs_value(t, kind, dated.columns, dated.what, rows=rows)

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        limit = self.limit(policy)
        at_most = limit if self.unit == "days" else 0
        return [self.expect_at_most(self.column, at_most, self.explains.format(limit=limit))]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        limit = self.limit(ctx.policy)
        when, label = self.times(rows, kind)

        def year() -> pd.Series:
            return when.dt.year.astype("Int64")

        values: dict[str, Callable[[], Any]] = {  # made only if the wording uses them
            "limit": lambda: str(limit),
            "label": lambda: label,
            "date": lambda: iso(when),
            "age": lambda: counted(rows[self.column], "day"),
            "cutoff": lambda: self.cutoff(ctx).isoformat() if self.unit == "months" else "",
            "year": lambda: num(year()),
            "year_end": lambda: num(year() + limit),
        }
        parts = self.parts(rows, kind, ctx)
        pieces: list[Any] = []
        for literal, field, _, _ in string.Formatter().parse(self.wording):
            pieces.append(literal)
            if field is not None:
                pieces.append(parts[field] if field in parts else values[field]())
        return concat(pieces, rows.index)
