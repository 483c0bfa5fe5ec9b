"""More vendors, each from a fixture laid out as the vendor documents its export:
contact forms (Gravity Forms, WPForms, Contact Form 7 via Flamingo, Typeform, Jotform,
HubSpot form submissions) and tickets (Zendesk, Freshdesk) load as ``inquiries``; GA4
through Fivetran's "GA4 Export" EVENT table loads as ``analytics``. Each is recognised by
its fixed system columns; custom field labels are read by meaning."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from ropa.errors import SourceError
from ropa.sources import load_file
from ropa.sources.detect import sniff
from ropa.sources.kinds import fingerprint_matches

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# fixture -> (vendor fingerprint, canonical columns, created_time in UTC)
INQUIRIES = {
    "gravityforms/contact-entries.csv": (
        "Gravity Forms",
        ["first_name", "last_name", "email", "message", "inquiry_id", "created_time",
         "source_url", "user_ip"],
        ["2026-05-04 11:20:11", "2026-01-15 09:00:00"],
    ),
    "wpforms/entries.csv": (
        "WPForms",
        ["full_name", "email", "message", "inquiry_id", "created_time", "user_ip"],
        ["2026-05-04 11:20:11", "2026-01-15 09:00:00", "2026-08-19 06:05:00"],
    ),
    "cf7-flamingo/inbound-messages.csv": (
        "Contact Form 7 (Flamingo)",
        ["full_name", "email", "subject", "message", "created_time"],
        ["2026-05-04 11:20:11", "2026-01-15 09:00:00"],
    ),
    "typeform/responses.csv": (
        "Typeform",
        ["inquiry_id", "full_name", "email", "message", "created_time"],
        ["2026-05-04 11:20:11", "2026-01-15 09:00:00"],  # Submit Date (UTC) is UTC
    ),
    "jotform/submissions.csv": (
        "Jotform",
        ["created_time", "full_name", "email", "message", "user_ip", "inquiry_id"],
        ["2026-05-04 11:20:11", "2026-01-15 09:00:00"],
    ),
    "hubspot-forms/submissions.csv": (
        "HubSpot form submissions",
        ["created_time", "source_url", "email", "first_name", "last_name", "message"],
        ["2026-05-04 11:20", "2026-01-15 09:00"],
    ),
    "zendesk/tickets.csv": (
        "Zendesk",
        ["inquiry_id", "full_name", "email", "subject", "created_time", "updated_time"],
        ["2026-05-04 11:20", "2026-01-15 09:00", "2026-08-19 06:05"],
    ),
    "freshdesk/tickets.csv": (
        "Freshdesk",
        ["inquiry_id", "subject", "message", "created_time", "updated_time", "full_name",
         "email", "phone", "mobile_phone"],
        ["2026-05-04 11:20:11", "2026-01-15 09:00:00"],
    ),
}  # fmt: skip


def records(path: Path) -> list[dict[str, str]]:
    """The file's records as the csv module reads them (counted without ropa)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def utc(values: list[str]) -> list[pd.Timestamp]:
    return [pd.Timestamp(v, tz="UTC") for v in values]


@pytest.mark.parametrize("rel", sorted(INQUIRIES))
def test_inquiry_exports_load_with_exact_rows_and_canonical_columns(rel: str) -> None:
    vendor, canonical, created = INQUIRIES[rel]
    path = FIXTURES / rel
    assert fingerprint_matches(sniff(path).header)[0].vendor == vendor
    src = load_file(path, FIXTURES)
    rows = records(path)
    assert (src.kind, src.activity, src.rows) == ("inquiries", "inquiries", len(rows))
    assert [c for c in src.frame.columns if c in set(canonical)] == canonical
    assert src.frame["created_time"].tolist() == utc(created)
    assert src.frame["_row"].tolist() == list(range(1, len(rows) + 1))
    emails = [r[src.headers["email"]] for r in rows]
    assert src.frame["email"].tolist() == emails
    assert src.problems == []


def test_custom_form_labels_are_read_by_meaning() -> None:
    src = load_file(FIXTURES / "gravityforms" / "contact-entries.csv", FIXTURES)
    assert src.headers["email"] == "Email Address"
    assert src.headers["message"] == "How can we help you?"
    assert src.frame.loc[1, "message"] == "Please call me back about\nthe autumn course."
    assert "User Agent" in src.frame.columns and "Created By (User Id)" in src.frame.columns
    wp = load_file(FIXTURES / "wpforms" / "entries.csv", FIXTURES)
    assert (wp.headers["full_name"], wp.headers["email"], wp.headers["message"]) == (
        "Navn", "E-post", "Melding",
    )  # fmt: skip
    jot = load_file(FIXTURES / "jotform" / "submissions.csv", FIXTURES)
    assert (jot.headers["email"], jot.headers["message"]) == ("E-mail", "Your Question")
    tf = load_file(FIXTURES / "typeform" / "responses.csv", FIXTURES)
    assert tf.headers["full_name"] == "What is your name?"
    assert tf.headers["email"] == "What's your email address?"
    assert "Start Date (UTC)" in tf.frame.columns  # only one column becomes created_time


def test_a_ticket_export_without_a_message_column_is_still_inquiries() -> None:
    src = load_file(FIXTURES / "zendesk" / "tickets.csv", FIXTURES)
    assert src.kind == "inquiries"
    assert "message" not in src.frame.columns
    assert src.frame["updated_time"].tolist() == utc(
        ["2026-05-06 07:00", "2026-01-15 09:00", "2026-08-20 08:00"]
    )
    assert src.problems == []  # absent, not an error


def test_fivetran_ga4_event_table_loads_as_analytics() -> None:
    path = FIXTURES / "fivetran-ga4" / "event.csv"
    src = load_file(path, FIXTURES)
    rows = records(path)
    assert (src.kind, src.activity, src.rows) == ("analytics", "web", len(rows))
    f = src.frame
    for canon, header in [
        ("event_name", "name"), ("event_timestamp", "timestamp"), ("event_date", "date"),
        ("page_location", "param_page_location"), ("page_referrer", "param_page_referrer"),
        ("gclid", "param_gclid"), ("user_pseudo_id", "user_pseudo_id"),
        ("geo_country", "geo_country"), ("device_category", "device_category"),
    ]:  # fmt: skip
        assert src.headers[canon] == header
    times = utc(["2026-09-01 08:15:30", "2026-09-01 09:40:02.123456", "2026-09-01 10:00:00"])
    assert f["event_time"].tolist() == times
    assert f["event_timestamp"].tolist() == [t.value // 1000 for t in times]  # µs, as BigQuery
    assert f["event_name"].tolist() == [r["name"] for r in rows]
    assert f["page_location"].tolist() == [r["param_page_location"] for r in rows]
    assert "param_ga_session_id" in f.columns
    assert src.problems == []


def test_name_and_timestamp_without_param_columns_are_not_fivetran(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "name,timestamp,user_pseudo_id\npage_view,2026-09-01 08:15:30,123.456\n", encoding="utf-8"
    )
    with pytest.raises(SourceError, match="header matches no known export"):
        load_file(path, tmp_path)


def test_shared_contact_columns_alone_are_no_known_export(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        "Name,Email,Phone,Message,Date,status,created_at\n"
        "Kari,kari@example.no,,Hei,2026-01-15,open,2026-01-15\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as err:
        load_file(path, tmp_path)
    assert "closest" not in err.value.message
