"""What the rules read from the policy: the windows (every limit, in days, months or
years) and the word lists. Both take further entries from the file, so a new rule's
window or words need no field here (``load_policy`` checks the windows rules declare).
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, PositiveInt, model_validator

from ropa.policy.texts import StrictModel as _Model


class Windows(_Model):
    """Every limit a rule applies; see DESIGN.md "Rules and their defaults". A new rule's
    window is one more positive whole number here in the file (no field to add):
    ``load_policy`` checks that every window a rule declares (``Rule.windows``) is set."""

    model_config = ConfigDict(extra="allow", frozen=True)

    visitor_retention_days: PositiveInt
    inquiry_retention_days: PositiveInt
    customer_accounting_years: PositiveInt
    prospect_inactive_months: PositiveInt
    special_category_days_after_event: PositiveInt
    cleaned_retention_days: PositiveInt
    analytics_retention_months: PositiveInt
    request_response_days: PositiveInt
    b2b_grace_days: PositiveInt = 90

    @model_validator(mode="after")
    def _more_windows_are_positive_whole_numbers(self) -> Windows:
        for name, value in (self.model_extra or {}).items():
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{name}: a window is a positive whole number")
        return self


class Vocabulary(_Model):
    """Words the rules match; stored trimmed and case-folded so rules compare directly.
    A new rule's word list is one more list here in the file (no field to add)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    yes_words: list[str]
    none_words: list[str]
    prospect_stages: list[str]
    customer_stages: list[str]
    marketing_open_statuses: list[str]
    answered_statuses: list[str]
    b2b_ended_words: list[str]

    @model_validator(mode="before")
    @classmethod
    def _fold(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        folded = {}
        for name, words in data.items():
            if not isinstance(words, list):
                raise ValueError(f"{name}: a word list is a list of words")
            folded[name] = [str(w).strip().casefold() for w in words]
        return folded
