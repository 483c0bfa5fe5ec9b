"""Where the Metier OEC policy leaves the Art. 30 record empty or contradicts itself."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from ropa.policy import Policy, load_policy
from ropa.policy.gaps import GAP_COLUMNS, NOT_STATED, policy_gaps, ropa_rows
from ropa.policy.model import DEFAULT_POLICY, SEVERITIES


@pytest.fixture(scope="module")
def gaps() -> pd.DataFrame:
    return policy_gaps(load_policy())


def variant(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Policy:
    data = copy.deepcopy(yaml.safe_load(DEFAULT_POLICY.read_text(encoding="utf-8")))
    change(data)
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load_policy(path)


def gap(gaps: pd.DataFrame, gap_id: str) -> pd.Series:
    rows = gaps[gaps["gap_id"] == gap_id]
    assert len(rows) == 1, f"{gap_id} not reported once: {sorted(gaps['gap_id'])}"
    return rows.iloc[0]


def test_gaps_have_the_contract_columns_and_name_the_policy_file(gaps: pd.DataFrame) -> None:
    assert list(gaps.columns) == GAP_COLUMNS
    assert set(gaps["source"]) == {"policy.yaml"}
    assert gaps["gap_id"].is_unique
    assert set(gaps["severity"]) <= set(SEVERITIES)
    assert gaps[["gap_id", "reference", "missing", "suggested_fix"]].ne("").all().all()


def test_newsletter_and_web_state_no_retention_period(gaps: pd.DataFrame) -> None:
    for activity in ("newsletter", "web"):
        row = gap(gaps, f"GAP-RETENTION-{activity}")
        assert row["activity"] == activity and "30(1)(f)" in row["reference"]
    assert "opt-out" in gap(gaps, "GAP-RETENTION-newsletter")["missing"]  # the policy's words
    stated = {"customers", "business_contacts", "inquiries", "visitors"}
    assert not {f"GAP-RETENTION-{a}" for a in stated} & set(gaps["gap_id"])


def test_controller_contact_details_are_missing(gaps: pd.DataFrame) -> None:
    row = gap(gaps, "GAP-CONTROLLER-CONTACT")
    assert "30(1)(a)" in row["reference"] and row["severity"] == "high"
    assert row["activity"] == ""


def test_no_description_of_security_measures_art_30_1_g(gaps: pd.DataFrame) -> None:
    assert "30(1)(g)" in gap(gaps, "GAP-SECURITY-MEASURES")["reference"]


def test_cookie_basis_is_outdated_since_ekomloven_2025(gaps: pd.DataFrame) -> None:
    row = gap(gaps, "GAP-COOKIE-CONSENT")
    assert row["activity"] == "web" and row["severity"] == "high"
    assert "ekomloven" in row["reference"] and "2025" in row["reference"]
    assert "6(1)(f)" in row["missing"]


def test_google_analytics_transfer_to_the_us_names_no_safeguard(gaps: pd.DataFrame) -> None:
    row = gap(gaps, "GAP-TRANSFER-SAFEGUARD-web")
    assert "United States" in row["missing"] and "Google" in row["missing"]


def test_four_cookie_categories_announced_but_three_described(gaps: pd.DataFrame) -> None:
    row = gap(gaps, "GAP-COOKIE-CATEGORIES")
    assert "four" in row["missing"] and "three" in row["missing"]


def test_the_policy_text_contradicts_itself_on_advertising_and_identification(
    gaps: pd.DataFrame,
) -> None:
    assert "DoubleClick" in gap(gaps, "GAP-COOKIE-ADVERTISING")["missing"]
    assert "cannot be identified" in gap(gaps, "GAP-ANALYTICS-IDENTIFIABLE")["missing"]
    assert gap(gaps, "GAP-RETENTION-PROSPECTS")["activity"] == "customers"


def test_dpo_and_consent_records_are_missing(gaps: pd.DataFrame) -> None:
    assert "30(1)(a)" in gap(gaps, "GAP-DPO")["reference"]
    consent = gap(gaps, "GAP-CONSENT-RECORD")
    assert consent["activity"] == "" and "customers, newsletter" in consent["missing"]


def test_activity_is_one_activity_id_or_empty(gaps: pd.DataFrame) -> None:
    assert set(gaps["activity"]) <= {"", *load_policy().activities}


def test_worst_gaps_come_first(gaps: pd.DataFrame) -> None:
    ranks = gaps["severity"].map(SEVERITIES.index)
    assert ranks.is_monotonic_increasing


def test_every_not_stated_ropa_cell_is_reported_as_a_gap(gaps: pd.DataFrame) -> None:
    headers, rows, cell_gaps = ropa_rows(load_policy())
    silent = {(r["Activity"], h) for r in rows for h in headers if r[h] == NOT_STATED}
    assert silent and silent == set(cell_gaps)
    by_id = gaps.set_index("gap_id")["activity"]
    for (activity, _header), gap_id in cell_gaps.items():
        assert gap_id in by_id.index, gap_id
        assert by_id[gap_id] in ("", activity), gap_id


def test_a_policy_that_states_retention_has_no_retention_gap(tmp_path: Path) -> None:
    def state_retention(d: dict[str, Any]) -> None:
        d["activities"]["newsletter"]["retention"].update(
            text="2 years after the last opening", period="P2Y"
        )

    ids = set(policy_gaps(variant(tmp_path, state_retention))["gap_id"])
    assert "GAP-RETENTION-newsletter" not in ids and "GAP-RETENTION-web" in ids


def test_web_analytics_on_consent_is_no_cookie_consent_gap(tmp_path: Path) -> None:
    def consent(d: dict[str, Any]) -> None:
        d["activities"]["web"]["legal_basis"] = [{"basis": "consent", "article": "6(1)(a)"}]

    assert "GAP-COOKIE-CONSENT" not in set(policy_gaps(variant(tmp_path, consent))["gap_id"])


def test_named_safeguard_and_contact_details_close_their_gaps(tmp_path: Path) -> None:
    def fix(d: dict[str, Any]) -> None:
        d["controller"]["email"] = "personvern@example.no"
        d["activities"]["web"]["transfers"][0]["safeguard"] = "EU-US Data Privacy Framework"

    ids = set(policy_gaps(variant(tmp_path, fix))["gap_id"])
    assert not {"GAP-CONTROLLER-CONTACT", "GAP-TRANSFER-SAFEGUARD-web"} & ids


def test_gap_source_is_the_file_the_policy_came_from(tmp_path: Path) -> None:
    data = DEFAULT_POLICY.read_text(encoding="utf-8")
    (tmp_path / "acme.yaml").write_text(data, encoding="utf-8")
    assert set(policy_gaps(load_policy(tmp_path / "acme.yaml"))["source"]) == {"acme.yaml"}


def test_same_policy_gives_the_same_gaps(gaps: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(gaps, policy_gaps(load_policy()))


def test_an_activity_added_in_the_file_gets_its_ropa_row_and_gaps(tmp_path: Path) -> None:
    def add_payroll(d: dict[str, Any]) -> None:
        payroll = copy.deepcopy(d["activities"]["requests"])
        payroll.update(name="Payroll", section="2.1", legitimate_interests=None, nb=None)
        d["activities"]["payroll"] = payroll

    policy = variant(tmp_path, add_payroll)
    _, rows, cells = ropa_rows(policy)
    assert len(rows) == len(policy.activities) == 8
    assert rows[-1]["Activity"] == "payroll" and rows[-1]["Processing activity"] == "Payroll"
    assert rows[-1]["Retention schedule"] == NOT_STATED
    assert cells[("payroll", "Retention schedule")] == "GAP-RETENTION-payroll"
    gaps = policy_gaps(policy)
    assert gap(gaps, "GAP-RETENTION-payroll")["activity"] == "payroll"
