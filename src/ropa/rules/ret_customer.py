"""RET-CUSTOMER: customer data is kept as long as accounting law requires, no longer (1.1).

Bokføringsloven § 13: primary documentation is kept 5 years after the end of the
financial year (the calendar year here). A customer whose last activity lies in a
financial year whose accounting period has ended is due for deletion.
"""

from __future__ import annotations

from ropa.rules.age import AgeRule, Dated


class RetCustomer(AgeRule):
    """Customer whose last activity lies in a financial year whose accounting period ended."""

    id = "RET-CUSTOMER"
    order = 30
    name = "retention.customer_accounting_period"
    policy_ref = "1.1"
    severity = "medium"
    activity = "customers"
    kinds = ("crm", "registrations")
    reads = ("event_time", "last_activity_time", "create_time", "lifecycle_stage")
    column = "days_past_accounting_period"
    window = "customer_accounting_years"
    unit = "years"
    stages = "customer_stages"  # in the CRM; every registration is a customer's
    dated = Dated(
        ("last_activity_time", "create_time"),
        ("last activity", "last activity"),
        "a last activity or create date",
    )
    dated_by_kind = {"registrations": Dated(("event_time",), ("event on",), "an event date")}
    explains = (
        "the accounting period (financial year of the last activity plus "
        "{limit} years) has not ended by the audit date"
    )
    wording = (
        "{label} {date} (financial year {year}), accounting period ended {year_end}-12-31, "
        "{age} before audit date, limit {limit} years"
    )


rule = RetCustomer()
