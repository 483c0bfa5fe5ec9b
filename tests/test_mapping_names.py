"""Header synonyms and the canonical table (columns.yaml)."""

from __future__ import annotations

import pytest

from ropa.mapping.names import (
    canonical_category,
    category_from_header,
    is_canonical,
    normalise_header,
    not_personal_header,
)
from ropa.sources.canonical import KINDS


@pytest.mark.parametrize(
    ("header", "category"),
    [
        ("E-post", "user.contact.email"),
        ("E-postadresse", "user.contact.email"),
        ("Epost", "user.contact.email"),
        ("Email Address", "user.contact.email"),
        ("Telefon", "user.contact.phone_number"),
        ("Mobil", "user.contact.phone_number"),
        ("Tlf.", "user.contact.phone_number"),
        ("Fornavn", "user.name"),
        ("Etternavn", "user.name"),
        ("Navn", "user.name"),
        ("Gateadresse", "user.contact.address"),
        ("Postnummer", "user.location.imprecise"),
        ("Zip Code", "user.location.imprecise"),
        ("Fødselsnummer", "user.government_id.national_identification_number"),
        ("Personnummer", "user.government_id.national_identification_number"),
        ("FNR", "user.government_id.national_identification_number"),
        ("National ID", "user.government_id.national_identification_number"),
        ("Fødselsdato", "user.demographic.date_of_birth"),
        ("Date of birth", "user.demographic.date_of_birth"),
        ("Kontonummer", "user.financial.bank_account"),
        ("IBAN", "user.financial.bank_account"),
        ("Kortnummer", "user.financial.credit_card"),
        ("Card number", "user.financial.credit_card"),
        ("IP-adresse", "user.device.ip_address"),
        ("OPTIN_IP", "user.device.ip_address"),
        ("Breddegrad", "user.location.precise"),
        ("lng", "user.location.precise"),
        ("Allergier", "user.health_and_medical"),
        ("Kostholdsbehov", "user.health_and_medical"),
        ("Dietary requirements", "user.health_and_medical"),
        ("Kommentar", "user.content.private"),
        ("Notater", "user.content.private"),
        ("Melding", "user.content.private"),
        ("Firmanavn", "user.workplace"),
        ("Selskap", "user.workplace"),
        ("Stilling", "user.job_title"),
        ("jobTitle", "user.job_title"),
        ("Position", "user.job_title"),
        ("Mobile phone", "user.contact.phone_number"),
        ("Mobilnummer", "user.contact.phone_number"),
        ("device.mobile_model_name", "user.device"),
        ("device.mobile_brand_name", "user.device"),
        ("device.mobile_marketing_name", "user.device"),
        ("device.operating_system", "user.device"),
        ("User Agent", "user.device"),
        ("collected_traffic_source.dclid", "user.device.cookie_id"),
        ("geo.metro", "user.location.imprecise"),
        ("Home State", "user.location.imprecise"),
        ("Requester id", "user.unique_id"),
        ("Contact ID", "user.unique_id"),
        ("Unique Generated User ID", "user.unique_id"),
        ("Network ID", "user.device"),
        ("Date of birth", "user.demographic.date_of_birth"),
        ("Fødselsdato", "user.demographic.date_of_birth"),
    ],
)
def test_header_synonyms(header, category):
    assert category_from_header(header) == category


@pytest.mark.parametrize(
    "header",
    ["Event name", "Campaign Name", "page_title", "Kostnad", "Zipper", "Description",
     "Shipping", "Status", "Kort beskrivelse", "Gateway"],
)  # fmt: skip
def test_headers_that_name_no_personal_data(header):
    assert category_from_header(header) is None


def test_header_normalisation():
    assert normalise_header("OPTIN_IP") == "optin ip"
    assert normalise_header("E-postadresse") == "e postadresse"
    assert normalise_header("privacyInfo.adsStorage") == "privacy info ads storage"


def test_every_canonical_column_of_every_kind_has_an_entry():
    missing = [(k, c) for k, kind in KINDS.items() for c in kind.columns if not is_canonical(c)]
    assert missing == []


def test_by_kind_overrides_the_canonical_table():
    assert canonical_category("event_name", "registrations") == "user.behavior.purchase_history"
    assert canonical_category("event_name", "analytics") is None


@pytest.mark.parametrize(
    "header",
    ["ecommerce.tax_value", "ecommerce.tax_value_in_usd", "ecommerce.purchase_revenue_in_usd",
     "ecommerce.shipping_value", "event_value_in_usd", "event_params.value", "Fees Paid",
     "Eventbrite Payment Processing", "user_ltv.revenue", "Kostnad", "Quantity",
     "ecommerce.total_item_quantity", "event_params.ga_session_id", "event_params.campaign",
     "event_params.transaction_id", "collected_traffic_source.manual_campaign_name",
     "collected_traffic_source.manual_source", "traffic_source.medium", "Order Type",
     "event_bundle_sequence_id", "user_first_touch_timestamp", "event_params.page_title",
     "How did you hear about this event?", "param_engagement_time_msec", "Solved at",
     "Initially assigned at", "Resolution time", "Start Date (UTC)", "lastmodifieddate",
     "Due by Time", "Status", "Ticket type", "Priority", "Via", "Assignee", "Agent",
     "_fivetran_id", "_fivetran_synced", "event_dimensions_hostname", "Conversion Page Title"],
)  # fmt: skip
def test_headers_known_not_to_be_personal(header):
    assert category_from_header(header) is None
    assert not_personal_header(header)


@pytest.mark.parametrize(
    "header",
    ["Are you a consultant?", "Kurspreferanse", "event_params.search_term",
     "user_properties.membership", "Account", "Country", "Submitter", "Candidate", "Chat"],
)  # fmt: skip
def test_unknown_headers_are_not_taken_as_not_personal(header):
    assert not not_personal_header(header)
