"""RET-INQUIRY: inquiries are kept until no follow-up is expected, normally one year (1.4)."""

from __future__ import annotations

from ropa.rules.age import AgeRule, Dated


class RetInquiry(AgeRule):
    """Inquiry last updated (else created) more than the retention window ago."""

    id = "RET-INQUIRY"
    order = 20
    name = "retention.inquiries"
    policy_ref = "1.4"
    severity = "medium"
    activity = "inquiries"
    kinds = ("inquiries",)
    reads = ("updated_time", "created_time")
    column = "inquiry_age_days"
    window = "inquiry_retention_days"
    dated = Dated(
        ("updated_time", "created_time"), ("last updated", "created"), "an update or creation date"
    )
    explains = "last updated (else created) at most {limit} days before the audit date"
    wording = "{label} {date}, {age} before audit date, limit {limit}"


rule = RetInquiry()
