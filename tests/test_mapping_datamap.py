"""The data map on a small hand-built inventory, read like the policy: which columns hold
data their activity does not declare (UNDECLARED-DATA)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from mapping_helpers import valid_fnrs
from ropa.mapping import DATA_MAP_COLUMNS, build_data_map, declares, undeclared_columns
from ropa.policy import load_policy
from ropa.sources.base import Inventory, LoadedSource

STR = "string[pyarrow]"


def source(rel: str, kind: str, activity: str, columns: dict, headers: dict) -> LoadedSource:
    frame = pd.DataFrame({k: pd.Series(v, dtype=STR) if not isinstance(v, pd.Series) else v
                          for k, v in columns.items()})  # fmt: skip
    frame["_source"] = rel
    frame["_row"] = range(1, len(frame) + 1)
    return LoadedSource(
        path=Path(rel), rel=rel, kind=kind, activity=activity, frame=frame,
        headers={c: headers.get(c, c) for c in frame.columns}, file_format="csv",
    )  # fmt: skip


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    newsletter = source(
        "mailchimp/subscribed.csv", "newsletter_subscribed", "newsletter",
        {
            "email": ["ola@firma.no", "kari@firma.no", "per@firma.no", "liv@firma.no"],
            "first_name": ["Ola", "Kari", "", None],
            "optin_ip": ["81.167.42.7", "10.0.0.1", None, None],
            "latitude": pd.Series([59.913868, 60.391263, None, None], dtype="double[pyarrow]"),
            "NOTES": ["", "", "", ""],
        },
        {"email": "Email Address", "first_name": "First Name", "optin_ip": "OPTIN_IP",
         "latitude": "LATITUDE"},
    )  # fmt: skip
    inquiries = source(
        "forms/contact.csv", "inquiries", "inquiries",
        {
            "inquiry_id": ["1", "2", "3"],
            "message": ["Ring meg", "Pris?", "Takk"],
            "Kommentar": ["Jeg har nøtteallergi", "", "Ingen"],
            "Ref": valid_fnrs(3),
            "Antall": ["1", "2", "3"],
        },
        {"inquiry_id": "Entry Id", "message": "Message"},
    )  # fmt: skip
    visitors = source(
        "envoy/visitors.csv", "visitors", "visitors",
        {
            "full_name": ["Ola Nordmann"],
            "email": ["ola@firma.no"],
            "private_notes": ["kom sent"],
            "photo_url": ["https://envoy.example/p/1.jpg"],
        },
        {"full_name": "Your Full Name", "email": "Your Email Address",
         "private_notes": "Private notes", "photo_url": "Photo URL"},
    )  # fmt: skip
    analytics = source(
        "ga4/events.csv", "analytics", "web",
        {
            "event_name": ["page_view", "page_view"],
            "user_pseudo_id": ["123.456", "789.012"],
            "user_id": ["u-1", None],
            "page_location": ["https://metier.no/", "https://metier.no/kurs"],
        },
        {"page_location": "event_params.page_location"},
    )  # fmt: skip
    return Inventory(data_dir=Path("."), sources=[newsletter, inquiries, visitors, analytics])


@pytest.fixture(scope="module")
def data_map(inventory) -> pd.DataFrame:
    return build_data_map(inventory, load_policy())


def rows_of(data_map: pd.DataFrame, source: str, column: str) -> pd.DataFrame:
    return data_map[(data_map["source"] == source) & (data_map["column"] == column)]


def category_of(data_map, source, column) -> dict:
    rows = rows_of(data_map, source, column)
    return {r.category: (r.detected_by, r.declared) for r in rows.itertuples()}


def test_schema(data_map):
    assert list(data_map.columns) == DATA_MAP_COLUMNS
    assert data_map["declared"].dtype == "boolean"


def test_newsletter_names_ips_and_geolocation_are_undeclared(data_map):
    src = "mailchimp/subscribed.csv"
    assert category_of(data_map, src, "First Name") == {"user.name": ("name", False)}
    assert category_of(data_map, src, "OPTIN_IP") == {"user.device.ip_address": ("name", False)}
    assert category_of(data_map, src, "LATITUDE") == {"user.location.precise": ("name", False)}


def test_newsletter_email_is_declared(data_map):
    row = rows_of(data_map, "mailchimp/subscribed.csv", "Email Address").iloc[0]
    assert row["category"] == "user.contact.email"
    assert row["canonical"] == "email"
    assert bool(row["declared"]) is True


def test_inquiry_comment_with_allergy_is_undeclared_health_data(data_map):
    assert category_of(data_map, "forms/contact.csv", "Kommentar") == {
        "user.content.private": ("name", True),
        "user.health_and_medical": ("value", False),
    }


def test_unknown_column_of_fodselsnumre_is_found_by_value(data_map):
    key = "user.government_id.national_identification_number"
    assert category_of(data_map, "forms/contact.csv", "Ref") == {key: ("value", False)}


def test_visitor_private_notes_and_photos_are_undeclared(data_map):
    for column in ("Private notes", "Photo URL"):
        assert category_of(data_map, "envoy/visitors.csv", column) == {
            "user.content.private": ("name", False)
        }


def test_analytics_user_id_is_undeclared(data_map):
    assert category_of(data_map, "ga4/events.csv", "user_id") == {"user.unique_id": ("name", False)}


def test_columns_without_a_category_still_get_a_row(data_map):
    rows = rows_of(data_map, "forms/contact.csv", "Antall")
    assert (
        len(rows) == 1 and pd.isna(rows.iloc[0]["category"]) and pd.isna(rows.iloc[0]["declared"])
    )
    event = rows_of(data_map, "ga4/events.csv", "event_name").iloc[0]
    assert pd.isna(event["category"]) and event["canonical"] == "event_name"


def test_every_column_is_mapped_and_system_columns_are_not(inventory, data_map):
    expected = {(s.rel, s.headers[c]) for s in inventory.sources for c in s.frame.columns
                if c not in ("_source", "_row")}  # fmt: skip
    assert set(zip(data_map["source"], data_map["column"], strict=True)) == expected


def test_non_empty_share_counts_every_row(data_map):
    first_name = rows_of(data_map, "mailchimp/subscribed.csv", "First Name").iloc[0]
    assert first_name["non_empty_share"] == 0.5 and first_name["rows"] == 4
    notes = rows_of(data_map, "mailchimp/subscribed.csv", "NOTES").iloc[0]
    assert notes["non_empty_share"] == 0.0


def test_order_is_source_then_file_column_order_then_category(inventory, data_map):
    assert list(dict.fromkeys(data_map["source"])) == sorted(s.rel for s in inventory.sources)
    inquiry = data_map[data_map["source"] == "forms/contact.csv"]
    assert list(dict.fromkeys(inquiry["column"])) == ["Entry Id", "Message", "Kommentar", "Ref",
                                                      "Antall"]  # fmt: skip
    again = build_data_map(inventory, load_policy())
    pd.testing.assert_frame_equal(data_map, again)


def test_undeclared_columns_one_row_per_column(data_map):
    undeclared = undeclared_columns(data_map)
    assert not undeclared.duplicated(["source", "column"]).any()
    by_column = {(r.source, r.column): r.categories for r in undeclared.itertuples()}
    assert by_column[("forms/contact.csv", "Kommentar")] == ["user.health_and_medical"]
    assert by_column[("ga4/events.csv", "user_id")] == ["user.unique_id"]
    assert ("mailchimp/subscribed.csv", "Email Address") not in by_column
    assert ("forms/contact.csv", "Antall") not in by_column


def test_empty_columns_stay_in_the_map_but_are_not_undeclared(inventory):
    frame = inventory.sources[0].frame.assign(
        first_name=pd.Series([None, "", " ", None], dtype=STR)
    )
    newsletter = LoadedSource(**{**vars(inventory.sources[0]), "frame": frame})
    data_map = build_data_map(Inventory(data_dir=Path("."), sources=[newsletter]), load_policy())
    row = rows_of(data_map, "mailchimp/subscribed.csv", "First Name").iloc[0]
    assert row["category"] == "user.name" and row["non_empty_share"] == 0.0
    columns = set(undeclared_columns(data_map)["column"])
    assert "First Name" not in columns and "OPTIN_IP" in columns
    assert "First Name" in set(undeclared_columns(data_map, skip_empty=False)["column"])


def test_undeclared_columns_of_an_empty_map():
    empty = build_data_map(Inventory(data_dir=Path(".")), load_policy())
    assert list(empty.columns) == DATA_MAP_COLUMNS and empty.empty
    assert undeclared_columns(empty).empty


def test_parent_keys_declare_their_children():
    assert declares(["user.contact"], "user.contact.email")
    assert declares(["user.contact.email"], "user.contact.email")
    assert not declares(["user.contact.email"], "user.contact")
    assert not declares(["user.contact"], "user.contactless")
    assert not declares([], "user.name")


def test_a_policy_with_only_data_categories_gives_the_same_map(inventory, data_map):
    policy = load_policy()
    stand_in = SimpleNamespace(activities={
        k: SimpleNamespace(data_categories=a.data_categories) for k, a in policy.activities.items()
    })  # fmt: skip
    pd.testing.assert_frame_equal(build_data_map(inventory, stand_in), data_map)


def test_activity_missing_from_the_policy_declares_nothing(inventory):
    data_map = build_data_map(inventory, SimpleNamespace(activities={}))
    assert not data_map["declared"].fillna(False).any()


def test_detected_by_says_whether_anything_placed_a_column_without_a_category():
    events = source(
        "ga4/events.csv", "analytics", "web",
        {
            "event_name": ["page_view", "purchase", "purchase"],
            "ecommerce.tax_value": ["4.9495798319328", "5.360478", "59.913868"],
            "device.mobile_model_name": ["iPhone", "Pixel 7", "SM-G991B"],
            "Kurspreferanse": ["PRINCE2", "", "Agile"],
            "Tom": ["", None, " "],
        },
        {},
    )  # fmt: skip
    dm = build_data_map(Inventory(data_dir=Path("."), sources=[events]), load_policy())
    placed = {r.column: (r.category, r.detected_by) for r in dm.itertuples()}
    na = pd.NA
    assert placed["event_name"] == (na, "name")  # canonical, not personal
    assert placed["ecommerce.tax_value"] == (na, "name")  # money: known not personal
    assert placed["device.mobile_model_name"] == ("user.device", "name")
    assert placed["Kurspreferanse"] == (na, na)  # nothing placed it: unmapped
    assert placed["Tom"] == (na, na)
    shares = dict(zip(dm["column"], dm["non_empty_share"], strict=True))
    assert shares["Kurspreferanse"] == pytest.approx(2 / 3) and shares["Tom"] == 0.0


def test_a_column_first_seen_in_a_later_batch_keeps_the_whole_file_order():
    """GA4 JSONL flattened per batch: event_params keys in order of first appearance in
    that batch. A whole-file read puts a key first seen late at the end of the
    event_params block; so must a batched read, whatever the later batch's key order."""
    from ropa.mapping.profile import SourceProfile

    def batch(columns):
        return pd.DataFrame({c: pd.Series(["v"], dtype=STR) for c in columns})

    first = ["event_name", "page_location", "page_referrer", "event_params.ga_session_id",
             "event_params.x", "user_pseudo_id"]  # fmt: skip
    # lacks x, has page_referrer after ga_session_id, and brings the new key gclid
    later = ["event_name", "page_location", "event_params.ga_session_id", "page_referrer",
             "event_params.gclid", "user_pseudo_id"]  # fmt: skip
    profile = SourceProfile("ga4/e.jsonl", "analytics", "web")
    profile.add(batch(first), {})
    profile.add(batch(later), {})
    assert list(profile.columns) == [*first[:-1], "event_params.gclid", "user_pseudo_id"]
    assert profile.columns["event_params.gclid"].filled == 1 and profile.rows == 2
