"""RET-VISITOR: visitor registrations are kept at most 90 days (policy 1.5)."""

from __future__ import annotations

from ropa.rules.age import AgeRule, Dated


class RetVisitor(AgeRule):
    """Visitor signed in more than the retention window before the audit date."""

    id = "RET-VISITOR"
    order = 10
    name = "retention.visitor_log"
    policy_ref = "1.5"
    severity = "high"
    activity = "visitors"
    kinds = ("visitors",)
    reads = ("signed_in_time",)
    column = "visit_age_days"
    window = "visitor_retention_days"
    dated = Dated(("signed_in_time",), ("signed in",), "a sign-in time")
    explains = "signed in at most {limit} days before the audit date"
    wording = "{label} {date}, {age} before audit date, limit {limit}"


rule = RetVisitor()
