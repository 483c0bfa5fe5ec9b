"""The Rule object and the pandas helpers its ``detail`` texts are built from.

A rule states what the policy promises as Great Expectations expectations over
*derived* columns: ``columns`` / ``gaps`` define those columns and the rows the rule
cannot judge as ibis expressions (``rules/expr.py``, every engine), ``expectations``
lists the GX expectation configs as plain data, ``detail`` says in words, without
personal values, why a flagged row was flagged.
Numbers come only from ``policy.windows``, words only from ``policy.vocabulary``.

Days are UTC calendar days: ``(as_of - date).days`` with both sides as UTC dates.
Months are calendar months (``as_of`` minus n months, clamped to the month's end).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, ClassVar

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.dtypes import STRING
from ropa.enums import Severity
from ropa.identity import NATURAL_KEY_COLUMNS
from ropa.rules.values import text

# The loaded columns Rule.to_findings reads for every flagged row.
FINDING_READS = tuple(
    dict.fromkeys(("_source", "_row", "email", "phone", "mobile_phone", *NATURAL_KEY_COLUMNS))
)


@dataclass(frozen=True)
class Context:
    """What a rule may know beyond the frame it checks.

    ``erased`` maps the normalised e-mail of every subject whose erasure request was
    completed before ``as_of`` to the completion date (ISO); ``unsubscribed`` holds the
    normalised e-mails the newsletter tool lists as unsubscribed.
    """

    as_of: date
    policy: Any
    erased: Mapping[str, str] = field(default_factory=dict)
    unsubscribed: frozenset[str] = frozenset()
    # The kinds the cross-source facts were read from (a rule whose ``needs`` are
    # missing cannot judge what depends on them).
    present: frozenset[str] = frozenset()

    @property
    def windows(self) -> Any:
        return self.policy.windows

    def words(self, name: str) -> frozenset[str]:
        return vocabulary_words(self.policy, name)

    @cached_property
    def tables(self) -> dict[str, pa.Table]:
        """The cross-source facts as the tables the engine joins, built once per audit."""
        from ropa.engine import context_tables

        return context_tables(self)

    @cached_property
    def unsubscribed_values(self) -> pa.Array:
        return pa.array(sorted(self.unsubscribed), type=pa.large_string())


@dataclass(frozen=True)
class ContextFact:
    """A cross-source fact a rule needs (``Rule.context``): ``Context.<field>``, built by
    ``build(frames, as_of)`` from every loaded export of ``kind``, reading its ``reads``."""

    field: str
    kind: str
    reads: tuple[str, ...]
    build: Callable[[list[pd.DataFrame], date], Any]


def among(series: pd.Series, values: pa.Array) -> pd.Series:
    """True where the text value is one of ``values`` (nulls: False); arrow's hash
    kernel, without turning a large set into Python objects per call."""
    arr = pa.array(series.astype(STRING).array)
    hit = pc.fill_null(pc.is_in(arr, value_set=values), False)
    return pd.Series(hit.to_numpy(zero_copy_only=False), index=series.index, dtype=bool)


def vocabulary_words(policy: Any, name: str) -> frozenset[str]:
    """Words of ``policy.vocabulary.<name>``, trimmed and lower-cased like ``folded``."""
    words = getattr(policy.vocabulary, name, None)
    if words is None:
        from ropa.errors import PolicyError

        where = getattr(policy, "path", None)
        raise PolicyError(f"vocabulary.{name}: word list missing; a rule reads it", where)
    return frozenset(str(w).strip().lower() for w in words)


class Rule:
    """One promise of the policy, checked per record (or per column for the data map).

    Subclasses set the class attributes and implement ``derive``, ``expectations`` and
    ``detail``. ``kinds`` are the source kinds the rule checks; ``needs`` the kinds it
    reads for cross-source context; ``windows`` the ``policy.windows`` attributes it
    reads (they are recorded in the suite so a stale suite file can be recognised).
    ``reads`` lists the loaded columns the rule looks at.
    """

    id: ClassVar[str]
    # Where the rule stands in reports and suites (rules are found in the package and
    # sorted by it; ``rules/__init__.py``).
    order: ClassVar[int]
    name: ClassVar[str]
    policy_ref: ClassVar[str]
    severity: ClassVar[str]  # a Severity (see __init_subclass__)
    activity: ClassVar[str]
    kinds: ClassVar[tuple[str, ...]]
    # The loaded columns derive and detail read (numbered twins such as dietary_2 come
    # with their name). The audit hands a rule only these columns plus those that
    # to_findings reads (FINDING_READS), so a column missing here is a column unseen.
    reads: ClassVar[tuple[str, ...]] = ()
    needs: ClassVar[tuple[str, ...]] = ()
    # The cross-source facts the rule reads from ``Context`` (built by build_context).
    context: ClassVar[tuple[ContextFact, ...]] = ()
    # True when the rule still checks something without its ``needs`` (partly checked).
    runs_without_needs: ClassVar[bool] = False
    windows: ClassVar[tuple[str, ...]] = ()
    # True for the rules that check how long records are kept: their findings are the
    # evidence in the ROPA's "retained and erased in accordance with the policy" column.
    retention: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A rule's ``severity`` is a ``Severity`` (a misspelt one fails at import)."""
        super().__init_subclass__(**kwargs)
        if "severity" in cls.__dict__:
            cls.severity = Severity(cls.severity)

    @property
    def description(self) -> str:
        doc = inspect.getdoc(type(self)) or ""
        return doc.splitlines()[0] if doc else ""

    # -- the definition: ibis expressions over canonical columns (rules/expr.py) ----
    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        """The derived columns the rule's expectations check, as ibis expressions over
        the unbound table ``t`` (nulls where the rule does not apply)."""
        raise NotImplementedError

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[Any]:
        """The rows this rule cannot judge, and why (``rules.expr.Gap``; DESIGN.md,
        Coverage). The engine nulls the derived columns of those rows, so a rule never
        flags or passes a row it could not judge. By default every row can be judged."""
        return []

    def lookups(self, kind: str, ctx: Context) -> dict[str, tuple[str, Any]]:
        """Costly per-value tests, by name: ``name -> (column, fn)``. The engine runs
        ``fn`` once per distinct value of ``column`` (page URLs repeat: a site has far
        fewer pages than page views) and joins the answer back as column ``name``, which
        ``columns`` then reads (``rules.expr.looked_up``)."""
        return {}

    @property
    def ported(self) -> bool:
        """True when the rule is defined by ``columns`` / ``gaps`` (every engine)."""
        return type(self).columns is not Rule.columns

    # -- the same, evaluated on a pandas frame (DuckDB underneath) ------------------
    def derive(self, frame: pd.DataFrame, kind: str, ctx: Context) -> pd.DataFrame:
        """This rule's derived columns for ``frame`` (same index), unjudged rows null."""
        from ropa.engine import rule_outputs

        return rule_outputs(frame, kind, ctx)[self.id].columns

    def evaluable(self, frame: pd.DataFrame, kind: str, ctx: Context) -> list[Unjudged]:
        """``gaps`` evaluated on ``frame``: the rows this rule cannot judge, and why."""
        if not self.ported:
            return []
        from ropa.engine import rule_outputs

        return rule_outputs(frame, kind, ctx)[self.id].gaps

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        raise NotImplementedError

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        raise NotImplementedError

    def to_findings(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.DataFrame:
        """Findings for flagged ``rows`` (the loaded columns plus the derived ones); reads
        ``FINDING_READS``."""
        from ropa.findings import make_findings, subject_keys
        from ropa.identity import row_finding_ids

        phones = text(rows, "phone").fillna(text(rows, "mobile_phone"))
        return make_findings(
            self,
            source=text(rows, "_source"),
            row=rows["_row"],
            column=None,
            subject_key=subject_keys(text(rows, "email"), phones),
            detail=self.detail(rows, kind, ctx),
            finding_id=row_finding_ids(rows, kind, self.id),
        )

    # -- helpers for subclasses -------------------------------------------------
    def expect(self, type_: str, explains: str, **kwargs: Any) -> dict[str, Any]:
        """One GX expectation config carrying the rule id, clause and explanation."""
        return {
            "type": type_,
            "kwargs": kwargs,
            "meta": {"rule_id": self.id, "policy_ref": self.policy_ref, "explains": explains},
        }

    def expect_at_most(self, column: str, limit: int | float, explains: str) -> dict[str, Any]:
        return self.expect(
            "expect_column_values_to_be_between", explains, column=column, max_value=limit
        )

    def expect_in(self, column: str, values: Iterable[Any], explains: str) -> dict[str, Any]:
        return self.expect(
            "expect_column_values_to_be_in_set", explains, column=column, value_set=list(values)
        )

    def __repr__(self) -> str:
        return f"<Rule {self.id} {self.name}>"


# -- coverage -------------------------------------------------------------------


@dataclass(frozen=True)
class Unjudged:
    """Rows a rule could not judge, and why. The reason names columns, never values:
    ``no 'Lifecycle Stage' column`` (``counted=False``: the whole file) or ``without a
    sign-in time`` (``counted=True``: shown as "412 rows without a sign-in time")."""

    reason: str
    rows: pd.Series  # bool, same index as the frame
    counted: bool = True
