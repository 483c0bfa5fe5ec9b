"""CLEANED-KEPT: addresses reported as no longer active are deleted (1.2)."""

from __future__ import annotations

from ropa.rules.age import AgeRule, Dated


class CleanedKept(AgeRule):
    """Cleaned (bounced) address still stored longer than the window after cleaning."""

    id = "CLEANED-KEPT"
    order = 90
    name = "newsletter.cleaned_kept"
    policy_ref = "1.2"
    severity = "medium"
    activity = "newsletter"
    kinds = ("newsletter_cleaned",)
    reads = ("clean_time",)
    column = "cleaned_age_days"
    window = "cleaned_retention_days"
    dated = Dated(("clean_time",), ("cleaned",), "a clean date")
    explains = "cleaned addresses are deleted within {limit} days"
    wording = "{label} {date}, {age} before audit date, limit {limit}"


rule = CleanedKept()
