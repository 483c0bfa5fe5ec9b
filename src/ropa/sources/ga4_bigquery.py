"""GA4's BigQuery export (``project.analytics_NNN.events_*``) as the canonical analytics
table, in ibis: the rules then run *in* BigQuery on the raw nested schema and only
findings leave it.

``canonical(events)`` reads ``event_params`` (a key/value list), ``privacy_info`` and
``collected_traffic_source`` the way the GA4 loader reads the flattened export
(``vendors/ga4.yaml``): a parameter's ``string_value``, else its number as text. Rows
have no file position in BigQuery, so ``_row`` numbers the events in a stable order
(time, pseudonymous id, event name) unless the table already has a ``_row`` (a nested
Parquet file read with its row numbers).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

PARAM_VALUE = (
    "struct<string_value: string, int_value: int64, float_value: float64, double_value: float64>"
)

# The export's columns (https://support.google.com/analytics/answer/7029846), nested
# types as BigQuery declares them; the rules read a few, the rest is there so a table
# of exactly this shape compiles.
SCHEMA = ibis.schema(
    {
        "event_date": "string",
        "event_timestamp": "int64",
        "event_name": "string",
        "event_params": f"array<struct<key: string, value: {PARAM_VALUE}>>",
        "event_previous_timestamp": "int64",
        "event_bundle_sequence_id": "int64",
        "user_id": "string",
        "user_pseudo_id": "string",
        "user_first_touch_timestamp": "int64",
        "privacy_info": (
            "struct<analytics_storage: string, ads_storage: string, uses_transient_token: string>"
        ),
        "user_properties": f"array<struct<key: string, value: {PARAM_VALUE}>>",
        "device": (
            "struct<category: string, mobile_brand_name: string, operating_system: string, "
            "language: string, browser: string, "
            "web_info: struct<browser: string, browser_version: string, hostname: string>>"
        ),
        "geo": "struct<city: string, country: string, continent: string, region: string>",
        "traffic_source": "struct<name: string, medium: string, source: string>",
        "collected_traffic_source": (
            "struct<manual_campaign_id: string, manual_campaign_name: string, "
            "manual_source: string, manual_medium: string, manual_term: string, "
            "manual_content: string, gclid: string, dclid: string, srsltid: string>"
        ),
        "stream_id": "string",
        "platform": "string",
    }
)


def param(events: ir.Table, key: str) -> ir.StringValue:
    """The value of event parameter ``key`` as text (string, else integer, else double)."""
    found = events.event_params.filter(lambda p: p.key == key)
    value = found.map(lambda p: p.value)[0]
    return ibis.coalesce(
        value.string_value,
        value.int_value.cast("string"),
        value.double_value.cast("string"),
        value.float_value.cast("string"),
    )


def canonical(events: ir.Table) -> ir.Table:
    """The canonical analytics columns the rules read, from the nested export."""
    if "_row" in events.columns:
        row = events["_row"].cast("int64")
    else:
        order = [events.event_timestamp, events.user_pseudo_id, events.event_name]
        row = (ibis.row_number().over(order_by=order) + 1).cast("int64")
    return events.select(
        _row=row,
        event_date=events.event_date,
        event_timestamp=events.event_timestamp,
        event_name=events.event_name,
        user_pseudo_id=events.user_pseudo_id,
        user_id=events.user_id,
        page_location=param(events, "page_location"),
        page_referrer=param(events, "page_referrer"),
        param_gclid=param(events, "gclid"),
        analytics_storage=events.privacy_info.analytics_storage,
        ads_storage=events.privacy_info.ads_storage,
        gclid=events.collected_traffic_source.gclid,
    )


def events_table(name: str = "events", with_row: bool = False) -> ir.Table:
    """An unbound table of the export's schema (``_row`` added for a file read with
    its row numbers)."""
    schema = SCHEMA if not with_row else ibis.schema({**dict(SCHEMA.items()), "_row": "int64"})
    return ibis.table(schema, name=name)
