"""What the ground truth (``ropa_samples.truth``) reads the generated rows with: the
policy windows from the shipped policy file, the vendor words, and plain pandas
readings of e-mails, times and day counts, sharing no code with ``ropa.rules``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from ropa.paths import POLICY_FILE
from ropa_samples.gen import SampleFile

OSLO = "Europe/Oslo"
# The windows come from the shipped policy file, read here without ropa's policy model.
_POLICY = yaml.safe_load(POLICY_FILE.read_text("utf-8"))
_POLICY_WINDOWS = _POLICY["windows"]
WINDOWS = {
    "visitor": _POLICY_WINDOWS["visitor_retention_days"],
    "inquiry": _POLICY_WINDOWS["inquiry_retention_days"],
    "customer_years": _POLICY_WINDOWS["customer_accounting_years"],
    "prospect_months": _POLICY_WINDOWS["prospect_inactive_months"],
    "special_days": _POLICY_WINDOWS["special_category_days_after_event"],
    "cleaned": _POLICY_WINDOWS["cleaned_retention_days"],
    "analytics_months": _POLICY_WINDOWS["analytics_retention_months"],
    "request": _POLICY_WINDOWS["request_response_days"],
    "b2b": _POLICY_WINDOWS["b2b_grace_days"],
}
# A Lead Status (or custom Lifecycle Stage, compared without separators) saying the
# business relationship or the person's role ended.
B2B_ENDED = {str(w).strip().lower() for w in _POLICY["vocabulary"]["b2b_ended_words"]}
YES = {"yes", "ja", "y", "true"}
NONE_WORDS = {"-", "n/a", "none", "no", "nei", "ingen", "nothing"}
STAGES = {
    "subscriber": "subscriber",
    "abonnent": "subscriber",
    "lead": "lead",
    "marketing qualified lead": "marketingqualifiedlead",
    "markedsføringskvalifisert lead": "marketingqualifiedlead",
    "sales qualified lead": "salesqualifiedlead",
    "salgskvalifisert lead": "salesqualifiedlead",
    "opportunity": "opportunity",
    "salgsmulighet": "opportunity",
    "customer": "customer",
    "kunde": "customer",
    "evangelist": "evangelist",
    "other": "other",
    "annet": "other",
}
PROSPECT_STAGES = {
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
}
MARKETING = {"marketing contact", "markedsføringskontakt"}
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?:\+47|0047)[\s-]?[2-9]\d{7}(?!\d)|(?<!\d)[2-9]\d{7}(?!\d)")

Flags = dict[str, tuple[np.ndarray, Callable[[int], str]]]


@dataclass
class Context:
    as_of: date
    unsubscribed: set[str] = field(default_factory=set)
    erased: set[str] = field(default_factory=set)

    @property
    def ts(self) -> pd.Timestamp:
        return pd.Timestamp(self.as_of)


def col(sf: SampleFile, *names: str) -> pd.Series:
    """The first of ``names`` the file has, as text ("" for empty)."""
    for n in names:
        if n in sf.frame.columns:
            return sf.frame[n].fillna("").astype(str)
    raise KeyError(names)


def filled(s: pd.Series) -> np.ndarray:
    return (s.str.strip() != "").to_numpy()


def norm_email(s: pd.Series) -> pd.Series:
    return s.str.strip().str.lower()


def among(s: pd.Series, values: set[str]) -> np.ndarray:
    """``s.isin(values)`` for large sets of text, with arrow's hash kernel."""
    found = pc.is_in(pa.array(s), value_set=pa.array(sorted(values), pa.large_string()))
    return found.to_numpy(zero_copy_only=False)


def utc_days(values: pd.Series, local: bool) -> pd.Series:
    """UTC calendar dates of exported times (text in one of the formats used, or datetime
    cells); zone-less ``local`` times are Oslo time."""
    if all(isinstance(v, str) for v in values.iloc[:50]):
        text = values.replace("", None)
        sample = text.dropna()
        first = sample.iloc[0] if len(sample) else "2000-01-01"
        fmt = (
            "%d.%m.%Y %H:%M"
            if re.match(r"\d\d\.\d\d\.\d{4}", first)
            else "%Y-%m-%d %H:%M:%S"
            if len(first) == 19
            else "%Y-%m-%d %H:%M"
            if len(first) == 16
            else "%Y-%m-%d"
        )
        when = pd.to_datetime(text, format=fmt)
    else:
        when = pd.to_datetime(values.replace("", None))
    if local:
        when = when.dt.tz_localize(OSLO, ambiguous="raise", nonexistent="raise")
        when = when.dt.tz_convert("UTC").dt.tz_localize(None)
    return when.dt.normalize()


def days_before(ctx: Context, dates: pd.Series) -> np.ndarray:
    return (ctx.ts - dates).dt.days.to_numpy(dtype=float)  # NaT -> nan, never > limit


def over(mask: np.ndarray, days: np.ndarray, what: str, limit: int) -> tuple:
    return mask, lambda i: f"{what} {int(days[i])} days before as_of, limit {limit}"


def entry(rule: str, source: str, row: int | None, column: str | None, note: str) -> dict:
    return {"rule_id": rule, "source": source, "row": row, "column": column, "note": note}
