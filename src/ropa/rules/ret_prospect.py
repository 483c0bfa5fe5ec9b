"""RET-PROSPECT: prospects who never converted are not kept indefinitely (1.1)."""

from __future__ import annotations

from ropa.rules.age import AgeRule, Dated


class RetProspect(AgeRule):
    """Prospect (never a customer) with no activity for longer than the inactivity window."""

    id = "RET-PROSPECT"
    order = 40
    name = "retention.inactive_prospect"
    policy_ref = "1.1"
    severity = "low"
    activity = "customers"
    kinds = ("crm",)
    reads = ("last_activity_time", "create_time", "lifecycle_stage")
    column = "days_before_prospect_cutoff"
    window = "prospect_inactive_months"
    unit = "months"
    stages = "prospect_stages"
    dated = Dated(
        ("last_activity_time", "create_time"),
        ("last activity", "last activity"),
        "a last activity or create date",
    )
    explains = (
        "a prospect's last activity (else creation) lies within {limit} months"
        " before the audit date"
    )
    wording = (
        "prospect, {label} {date}, {age} before the cutoff {cutoff}"
        " (audit date minus {limit} months)"
    )


rule = RetProspect()
