"""The data map on real exports written by others (../shared/real-exports, read in place).

A column without a value is listed (0% filled) but never undeclared data; device and
money columns are not phone numbers or coordinates; every column of the GA4 export is
placed somewhere (no UNMAPPED-COLUMN) while unknown Eventbrite custom questions are; a
gclid in event_params or in the page_location query string without ads consent is a
COOKIE-NO-CONSENT finding.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ropa.audit import run_audit
from ropa.mapping import build_data_map
from ropa.policy import load_policy
from ropa.result import AuditResult
from ropa.sources.base import Inventory
from ropa.sources.folder import load_file

REAL = next(
    (p / "shared" / "real-exports" for p in Path(__file__).resolve().parents[2:4]
     if (p / "shared" / "real-exports").is_dir()),
    Path(__file__).resolve().parents[2] / "shared" / "real-exports",
)  # fmt: skip
AS_OF = date(2026, 9, 30)
GA4 = "dataform-ga4-sessions-events.jsonl"
# Empty in every row of the three TryGhost Mailchimp fixtures.
EMPTY_MAILCHIMP = ("LATITUDE", "LONGITUDE", "OPTIN_IP", "CONFIRM_IP", "GMTOFF", "REGION", "LEID")


def _folder(name: str) -> Path:
    folder = REAL / name
    if not folder.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"real exports missing: {folder}")
        pytest.skip(f"real exports not beside the repo: {folder}")
    return folder


@pytest.fixture(scope="module", autouse=True)
def _key() -> object:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROPA_KEY", "test-key-not-secret")
        yield


@pytest.fixture(scope="module")
def mailchimp() -> AuditResult:
    return run_audit(_folder("mailchimp"), as_of=AS_OF)


@pytest.fixture(scope="module")
def ga4_map() -> pd.DataFrame:
    folder = _folder("ga4")
    source = load_file(folder / GA4, folder)
    return build_data_map(Inventory(data_dir=folder, sources=[source]), load_policy())


@pytest.fixture(scope="module")
def ga4_audit() -> AuditResult:
    return run_audit(_folder("ga4"), as_of=AS_OF)


def _findings(result: AuditResult, rule_id: str) -> pd.DataFrame:
    return result.findings[result.findings["rule_id"] == rule_id]


def test_empty_mailchimp_columns_are_listed_but_not_undeclared(mailchimp: AuditResult) -> None:
    dm = mailchimp.data_map
    flagged = set(zip(*(_findings(mailchimp, "UNDECLARED-DATA")[c] for c in ("source", "column")),
                      strict=True))  # fmt: skip
    for rel in ("tryghost-subscribed.csv", "tryghost-unsubscribed.csv", "tryghost-cleaned.csv"):
        for column in EMPTY_MAILCHIMP:
            row = dm[(dm["source"] == rel) & (dm["column"] == column)]
            assert len(row) == 1 and row.iloc[0]["non_empty_share"] == 0.0, (rel, column)
            assert (rel, column) not in flagged
        # the columns that do hold names are still undeclared for the newsletter
        assert (rel, "First Name") in flagged and (rel, "Last Name") in flagged


def test_every_undeclared_mailchimp_column_holds_a_value(mailchimp: AuditResult) -> None:
    dm = mailchimp.data_map
    found = _findings(mailchimp, "UNDECLARED-DATA")
    assert len(found) > 0
    shares = dm.groupby(["source", "column"])["non_empty_share"].max()
    for rel, column in zip(found["source"], found["column"], strict=True):
        assert shares[(rel, column)] > 0, (rel, column)


def test_no_ga4_column_is_taken_for_a_phone_number_or_a_coordinate(ga4_map: pd.DataFrame) -> None:
    assert len(ga4_map) > 80  # every flattened column is listed
    wrong = ga4_map[
        ga4_map["category"].isin(["user.contact.phone_number", "user.location.precise"])
    ]
    assert wrong.empty, list(wrong["column"])
    by_column = ga4_map.set_index("column")
    for column in ("device.mobile_model_name", "device.mobile_brand_name"):
        assert by_column.loc[column, "category"] == "user.device"
    for column in (
        "ecommerce.tax_value",
        "ecommerce.tax_value_in_usd",
        "ecommerce.purchase_revenue_in_usd",
        "event_value_in_usd",
        "event_params.tax",
    ):
        row = by_column.loc[column]
        assert pd.isna(row["category"]) and row["detected_by"] == "name", column  # not personal
        assert row["non_empty_share"] > 0  # the column does hold amounts


def test_eventbrite_custom_questions_nothing_places_are_unmapped_columns() -> None:
    result = run_audit(_folder("eventbrite"), as_of=AS_OF)
    found = _findings(result, "UNMAPPED-COLUMN")
    assert sorted(found["column"]) == [
        "Are you a consultant?", "Are you an IEEE member?", "Are you an IEEE-CNSV Member?",
    ]  # fmt: skip
    assert set(found["severity"]) == {"low"} and found["row"].isna().all()
    assert found["detail"].str.contains("100% of rows hold a value").all()
    # empty custom questions ("Of which IEEE Societies ...") and fixed Eventbrite columns
    # known not to be personal (Fees Paid, Order Type) are not flagged
    dm = result.data_map
    societies = dm[dm["column"].str.startswith("Of which IEEE Societies")].iloc[0]
    assert societies["non_empty_share"] == 0.0 and pd.isna(societies["detected_by"])
    assert not found["column"].isin(["Fees Paid", "Order Type", "Eventbrite Fees"]).any()
    answers = load_file(_folder("eventbrite") / "eb2ez-test_input_file_1.csv", REAL / "eventbrite",
                        kind="registrations").frame  # fmt: skip
    for value in answers["Are you a consultant?"].dropna().unique():
        assert not found["detail"].str.contains(f"'{value}'", regex=False).any()


def test_every_ga4_column_with_values_is_placed(ga4_audit: AuditResult) -> None:
    assert _findings(ga4_audit, "UNMAPPED-COLUMN").empty
    dm = ga4_audit.data_map
    gclid = dm[dm["column"] == "event_params.gclid"].iloc[0]
    assert gclid["canonical"] == "param_gclid" and gclid["category"] == "user.device.cookie_id"


def test_gclids_in_event_params_and_page_location_without_ads_consent(
    ga4_audit: AuditResult,
) -> None:
    found = _findings(ga4_audit, "COOKIE-NO-CONSENT").set_index("row")["detail"]
    # rows 8 and 14: ?gclid= in page_location; row 10: a gclid event parameter; all three
    # with ads_storage unset. Rows 1-7 and 12-13 have ads_storage Yes and no gclid.
    for row in (8, 14):
        assert "gclid in the page_location query string while ads_storage is not Yes" in found[row]
    assert "gclid in event_params while ads_storage is not Yes" in found[10]
    gclid_rows = {int(r) for r, d in found.items() if "gclid" in d}
    assert gclid_rows == {8, 10, 14}
    assert not found.str.contains("12345|Cj0K|gclid1", regex=True).any()  # no values
