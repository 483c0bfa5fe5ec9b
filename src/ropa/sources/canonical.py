"""The canonical columns every loader returns, in one place.

Loaders rename the vendor headers they recognise to these snake_case names; columns
they do not recognise are kept under their original header so the data map still sees
them. Every frame also carries ``_source`` (path relative to the data folder, forward
slashes) and ``_row`` (1-based data row: the first record after the header is 1; JSONL:
the line number; XLSX: the row below the header on the first sheet).

Types (what ``ropa.sources.common`` exports as STRING, TIME, BOOL, FLOAT, INT):
- ``*_time`` columns: ``datetime64[us, UTC]`` (``pd.DatetimeTZDtype("us", "UTC")``; chosen
  over ArrowDtype timestamps because every ``.dt`` accessor, ``DateOffset`` arithmetic
  and ``to_period`` work on it in pandas 3). Zone-less HubSpot, contact-form and
  Eventbrite date-times are local time in the policy's zone (Europe/Oslo) and converted
  to UTC (autumn's repeated hour: the first, summer-time reading; spring's missing hour:
  shifted forward; never NaT). Mailchimp, Envoy ``(UTC)`` columns, GA4 and the request
  log are UTC already. A value with no time of day (``2026-06-12``, ``12.06.2026``) is a
  calendar date and becomes midnight UTC, so its UTC date is the date exported.
  ``ropa.sources.common.to_utc(series, tz)`` is the one parser; it returns the times and
  the number of unreadable values.
- booleans (``marketing_contact``, ``unsubscribed_all``): ``bool[pyarrow]`` with nulls
  (the dtype ``string[pyarrow]`` comparisons return, so masks combine without casts).
- everything else: ``string[pyarrow]`` (``pd.StringDtype("pyarrow")``, missing = ``pd.NA``;
  text kept as exported, not trimmed, empty cells null), except ``latitude``/``longitude``
  (``double[pyarrow]``) and GA4 ``event_timestamp`` (``int64[pyarrow]``, µs).
- ``_source``: ``string[pyarrow]``; ``_row``: numpy ``int64``.
Unreadable values become null and are counted in ``LoadedSource.problems`` ("2 rows with
unreadable dates in 'Create Date'"), never quoted.

Each entry of ``KINDS`` gives the activity (policy.yaml id) and the canonical columns
with the vendor headers that map to them (case-insensitive, surrounding whitespace
ignored; the canonical name itself also matches). ``required`` lists the canonical
columns whose headers identify the kind. When two headers map to the same canonical
column the first wins and the other keeps its header; a repeated header keeps its data
as ``Name.1`` (noted in problems).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kind:
    name: str
    activity: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    description: str = ""
    optional_activities: tuple[str, ...] = field(default_factory=tuple)


_MAILCHIMP_COMMON: dict[str, tuple[str, ...]] = {
    "email": ("Email Address",),
    "first_name": ("First Name",),
    "last_name": ("Last Name",),
    "address": ("Address",),
    "phone": ("Phone Number", "Phone"),
    "company": ("Company",),
    "member_rating": ("MEMBER_RATING",),
    "optin_time": ("OPTIN_TIME",),
    "optin_ip": ("OPTIN_IP",),
    "confirm_time": ("CONFIRM_TIME",),
    "confirm_ip": ("CONFIRM_IP",),
    "latitude": ("LATITUDE",),
    "longitude": ("LONGITUDE",),
    "gmtoff": ("GMTOFF",),
    "dstoff": ("DSTOFF",),
    "timezone": ("TIMEZONE",),
    "cc": ("CC",),
    "region": ("REGION",),
    "zip": ("ZIP", "Zip Code"),
    "last_changed_time": ("LAST_CHANGED",),
    "leid": ("LEID",),
    "euid": ("EUID",),
    "notes": ("NOTES",),
    "tags": ("TAGS",),
}

KINDS: dict[str, Kind] = {
    # Mailchimp audience export (Audience > Export): one CSV per status. Times are UTC
    # "YYYY-MM-DD HH:MM:SS". The three kinds are told apart by UNSUB_TIME / CLEAN_TIME.
    "newsletter_subscribed": Kind(
        "newsletter_subscribed",
        "newsletter",
        dict(_MAILCHIMP_COMMON),
        required=("email", "optin_time", "leid"),
        description="Mailchimp audience export, subscribed members",
    ),
    "newsletter_unsubscribed": Kind(
        "newsletter_unsubscribed",
        "newsletter",
        {
            **_MAILCHIMP_COMMON,
            "unsub_time": ("UNSUB_TIME",),
            "unsub_campaign_title": ("UNSUB_CAMPAIGN_TITLE",),
            "unsub_campaign_id": ("UNSUB_CAMPAIGN_ID",),
            "unsub_reason": ("UNSUB_REASON",),
            "unsub_reason_other": ("UNSUB_REASON_OTHER",),
        },
        required=("email", "unsub_time"),
        description="Mailchimp audience export, unsubscribed members",
    ),
    "newsletter_cleaned": Kind(
        "newsletter_cleaned",
        "newsletter",
        {
            **_MAILCHIMP_COMMON,
            "clean_time": ("CLEAN_TIME",),
            "clean_campaign_title": ("CLEAN_CAMPAIGN_TITLE",),
            "clean_campaign_id": ("CLEAN_CAMPAIGN_ID",),
        },
        required=("email", "clean_time"),
        description="Mailchimp audience export, cleaned (bounced) members",
    ),
    # HubSpot contacts export, default or all properties; English or Norwegian UI.
    # Times "YYYY-MM-DD HH:MM", "dd.mm.yyyy HH:MM" or ISO with zone; zone-less = Oslo.
    # lifecycle_stage is normalised by the loader to one of: subscriber, lead,
    # marketingqualifiedlead, salesqualifiedlead, opportunity, customer, evangelist,
    # other, or null. marketing_contact: True for "Marketing contact" /
    # "Markedsføringskontakt", False for the non-marketing labels, null if empty.
    "crm": Kind(
        "crm",
        "customers",
        {
            "record_id": ("Record ID", "Post-ID", "Contact ID"),
            "first_name": ("First Name", "Fornavn"),
            "last_name": ("Last Name", "Etternavn"),
            "email": ("Email", "E-post", "E-postadresse"),
            "phone": ("Phone Number", "Telefonnummer"),
            "mobile_phone": ("Mobile Phone Number", "Mobiltelefonnummer"),
            "lifecycle_stage": ("Lifecycle Stage", "Livssyklusfase", "Livssyklusstadium"),
            "lead_status": ("Lead Status", "Leadstatus"),
            "contact_owner": ("Contact owner", "Kontakteier"),
            "last_activity_time": ("Last Activity Date", "Dato for siste aktivitet"),
            "create_time": ("Create Date", "Opprettelsesdato"),
            "marketing_contact": (
                "Marketing contact status",
                "Status for markedsføringskontakt",
                "Markedsføringskontaktstatus",
            ),
            "legal_basis": (
                "Legal basis for processing contact's data",
                "Juridisk grunnlag for behandling av kontaktens data",
            ),
            "unsubscribed_all": ("Unsubscribed from all email", "Avmeldt fra all e-post"),
            "company": ("Associated Company", "Tilknyttet selskap", "Company Name", "Firmanavn"),
            "job_title": ("Job Title", "Stillingstittel"),
            "street_address": ("Street Address", "Gateadresse"),
            "city": ("City", "By"),
            "zip": ("Postal Code", "Postnummer"),
            "country": ("Country/Region", "Land/region"),
        },
        required=("record_id", "email", "lifecycle_stage"),
        description="HubSpot contacts export",
        optional_activities=("business_contacts", "newsletter"),
    ),
    # Eventbrite attendee report. Custom questions are found by meaning (not fixed
    # headers) and renamed: dietary / food / kost / mat -> "dietary"; allerg -> "allergy";
    # health / religion / helse / religion -> "special_other"; a question containing
    # consent / samtykke -> "special_consent" (checked first; the answer is
    # Yes/Ja/No/Nei/empty). A second question of the same meaning: "dietary_2", ...
    "registrations": Kind(
        "registrations",
        "customers",
        {
            "order_id": ("Order #", "Order no.", "Ordre #"),
            "order_time": ("Order Date", "Ordredato"),
            "first_name": ("First Name", "Fornavn"),
            "last_name": ("Last Name", "Etternavn"),
            "email": ("Email", "E-post"),
            "phone": ("Cell Phone", "Mobile Phone", "Mobil", "Home Phone", "Work Phone"),
            "company": ("Company", "Firma"),
            "job_title": ("Job Title", "Stilling"),
            "quantity": ("Quantity",),
            "ticket_type": ("Ticket Type", "Billettype"),
            "attendee_id": ("Attendee #",),
            "attendee_status": ("Attendee Status", "Deltakerstatus"),
            "event_name": ("Event Name", "Arrangement"),
            "event_id": ("Event ID",),
            "event_time": ("Event Date", "Event Start Date", "Dato for arrangement"),
            "total_paid": ("Total Paid",),
            "currency": ("Currency",),
        },
        required=("order_id", "email", "ticket_type"),
        description="Eventbrite attendee report",
    ),
    # Envoy visitor log, current headers or legacy snake_case; CSV or XLSX.
    "visitors": Kind(
        "visitors",
        "visitors",
        {
            "full_name": ("Your Full Name", "your_full_name", "Visitor Name"),
            "email": ("Your Email Address", "your_email_address"),
            "phone": ("Your Phone Number", "your_phone_number", "Phone Number"),
            "company": ("Your Company", "your_company", "Company"),
            "signed_in_time": ("Signed in time (UTC)", "signed_in_time_utc"),
            "signed_out_time": ("Signed out time (UTC)", "signed_out_time_utc"),
            "host": ("Host", "host"),
            "purpose": ("Purpose of visit", "purpose_of_visit"),
            "private_notes": ("Private notes", "private_notes"),
            "photo_url": ("Photo URL", "photo_url", "Photo"),
            "location": ("Location", "location"),
        },
        required=("full_name", "signed_in_time"),
        description="Envoy visitor log",
    ),
    # Contact-form (Gravity Forms style) or ticket (Zendesk style) export.
    "inquiries": Kind(
        "inquiries",
        "inquiries",
        {
            "inquiry_id": ("Entry Id", "Id", "Ticket ID"),
            "created_time": ("Date Created", "Created at", "Entry Date"),
            "updated_time": ("Last Updated", "Updated at", "Date Updated"),
            "full_name": ("Name", "Full Name", "Requester"),
            "first_name": ("Name (First)", "First Name"),
            "last_name": ("Name (Last)", "Last Name"),
            "email": ("Email", "Requester email"),
            "phone": ("Phone", "Requester phone"),
            "subject": ("Subject",),
            "message": ("Message", "Description"),
            "user_ip": ("User IP",),
            "source_url": ("Source Url",),
        },
        required=("inquiry_id", "created_time", "message"),
        description="Contact-form or ticket export",
    ),
    # GA4 BigQuery export: nested JSONL (event_params list of {key, value:{string_value,
    # int_value, ...}}), or flattened CSV/Parquet with dotted names. event_time is UTC
    # from event_timestamp (microseconds). page_location / page_referrer come from
    # event_params (flattened: "event_params.page_location" or "page_location").
    # analytics_storage / ads_storage keep "Yes" / "No" / null as exported.
    "analytics": Kind(
        "analytics",
        "web",
        {
            "event_date": ("event_date",),
            "event_timestamp": ("event_timestamp",),
            "event_name": ("event_name",),
            "user_pseudo_id": ("user_pseudo_id",),
            "user_id": ("user_id",),
            "page_location": ("page_location", "event_params.page_location"),
            "page_referrer": ("page_referrer", "event_params.page_referrer"),
            "analytics_storage": ("privacy_info.analytics_storage",),
            "ads_storage": ("privacy_info.ads_storage",),
            "gclid": ("collected_traffic_source.gclid",),
            "param_gclid": ("event_params.gclid",),
            "geo_country": ("geo.country",),
            "geo_region": ("geo.region",),
            "geo_city": ("geo.city",),
            "device_category": ("device.category",),
            "device_browser": ("device.web_info.browser", "device.browser"),
            "platform": ("platform",),
            "stream_id": ("stream_id",),
        },
        required=("event_timestamp", "event_name", "user_pseudo_id"),
        description="GA4 BigQuery export",
    ),
    # The rights-request log (template shipped by ropa):
    # request_id,received,type,subject_email,status,completed
    # type: access, rectification, erasure, restriction, portability, objection
    # status: open, in_progress, completed, rejected. Dates YYYY-MM-DD (UTC).
    "requests": Kind(
        "requests",
        "requests",
        {
            "request_id": ("request_id",),
            "received_time": ("received",),
            "type": ("type",),
            "email": ("subject_email",),
            "status": ("status",),
            "completed_time": ("completed",),
        },
        required=("request_id", "received_time", "type", "email"),
        description="Rights-request log",
    ),
}

# Loaders also add, for analytics, ``event_time`` (UTC, from event_timestamp µs).
# subject_key and the rule columns are derived later, never by loaders.
