"""The packaged Metier OEC policy as data, and what a malformed policy file does."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from ropa.errors import PolicyError
from ropa.policy import Basis, Policy, load_policy
from ropa.policy.model import DEFAULT_POLICY


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


def write_variant(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], name: str = "policy.yaml"
) -> Path:
    data = copy.deepcopy(yaml.safe_load(DEFAULT_POLICY.read_text(encoding="utf-8")))
    change(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_policy_has_the_seven_activities_of_sections_1_and_4(policy: Policy) -> None:
    assert list(policy.activities) == [
        "customers", "newsletter", "business_contacts", "inquiries", "visitors", "web", "requests"
    ]  # fmt: skip
    sections = {k: a.section for k, a in policy.activities.items()}
    assert sections["customers"] == "1.1" and sections["visitors"] == "1.5"
    assert sections["requests"] == "4"


def test_policy_is_metier_oec_updated_27_april_2023_in_oslo_time(policy: Policy) -> None:
    assert policy.controller.name == "Metier OEC"
    assert policy.controller.country == "Norway"
    assert policy.controller.supervisory_authority == "Datatilsynet"
    assert str(policy.effective) == "2023-04-27"
    assert policy.timezone == "Europe/Oslo"
    assert policy.file_name == "policy.yaml"


def test_controller_contact_details_and_dpo_are_not_in_the_policy(policy: Policy) -> None:
    c = policy.controller
    assert (c.address, c.email, c.phone, c.dpo, c.representative) == (None,) * 5


def test_windows_hold_the_limits_the_rules_apply(policy: Policy) -> None:
    w = policy.windows
    assert w.visitor_retention_days == 90
    assert w.inquiry_retention_days == 365
    assert w.customer_accounting_years == 5
    assert w.prospect_inactive_months == 24
    assert w.special_category_days_after_event == 30
    assert w.cleaned_retention_days == 30
    assert w.analytics_retention_months == 14
    assert w.request_response_days == 30


def test_vocabulary_knows_norwegian_yes_and_none_words(policy: Policy) -> None:
    v = policy.vocabulary
    assert {"yes", "ja"} <= set(v.yes_words)
    assert {"-", "n/a", "none", "no", "nei", "ingen", "nothing"} == set(v.none_words)
    assert "marketingqualifiedlead" in v.prospect_stages and v.customer_stages == ["customer"]
    assert v.marketing_open_statuses == ["open", "in_progress"]
    assert v.answered_statuses == ["completed", "rejected"]


def test_customers_give_diet_and_allergy_data_only_with_explicit_consent(policy: Policy) -> None:
    customers = policy.activity("customers")
    conditions = {s.category: s.condition for s in customers.special_categories}
    assert conditions == {
        "user.health_and_medical": "9(2)(a)",
        "user.demographic.religious_belief": "9(2)(a)",
    }
    assert Basis.contract in customers.bases


def test_visitors_are_kept_up_to_90_days_after_registration(policy: Policy) -> None:
    assert policy.activity("visitors").retention.period == "P90D"
    assert policy.activity("inquiries").retention.period == "P1Y"


def test_newsletter_and_web_state_no_retention(policy: Policy) -> None:
    assert policy.activity("newsletter").retention.text is None
    assert policy.activity("web").retention.text is None


def test_web_sends_analytics_to_google_in_the_us_without_a_named_safeguard(
    policy: Policy,
) -> None:
    (transfer,) = policy.activity("web").transfers or []
    assert transfer.country == "United States" and transfer.safeguard is None
    assert policy.activity("web").bases == {Basis.legitimate_interests}


def test_a_parent_category_declares_its_children(policy: Policy) -> None:
    customers = policy.activity("customers")
    assert customers.declares("user.contact.email")
    assert customers.declares("user.contact")
    assert not customers.declares("user.contactless")
    assert not customers.declares("user.device.ip_address")


def test_a_child_category_does_not_declare_its_parent(policy: Policy) -> None:
    newsletter = policy.activity("newsletter")
    assert newsletter.declares("user.contact.email")
    assert not newsletter.declares("user.contact")
    assert not newsletter.declares("user.name")
    assert not newsletter.declares("user.location.precise")


def test_asking_for_an_activity_the_policy_lacks_is_a_policy_error(policy: Policy) -> None:
    with pytest.raises(PolicyError, match="no activity 'payroll'"):
        policy.activity("payroll")


def test_invalid_retention_period_names_file_and_field(tmp_path: Path) -> None:
    path = write_variant(
        tmp_path, lambda d: d["activities"]["visitors"]["retention"].update(period="P9XD")
    )
    assert error_of(path) == (
        f"{path}: activities.visitors.retention.period: invalid ISO 8601 duration 'P9XD'"
    )


def test_missing_window_names_the_field(tmp_path: Path) -> None:
    path = write_variant(tmp_path, lambda d: d["windows"].pop("visitor_retention_days"))
    message = error_of(path)
    assert message.startswith(f"{path}: windows.visitor_retention_days: ")
    assert "missing" in message


def test_window_of_the_wrong_type_names_the_field(tmp_path: Path) -> None:
    path = write_variant(
        tmp_path, lambda d: d["windows"].update(visitor_retention_days="ninety"), "broken.yaml"
    )
    message = error_of(path)
    assert "broken.yaml" in message and "windows.visitor_retention_days" in message


def test_a_new_rules_window_and_words_are_only_added_to_the_file(tmp_path: Path) -> None:
    """A rule with a new window or word list needs no field in the model: the file
    gives them, folded like the others."""

    def add(d: dict[str, Any]) -> None:
        d["windows"]["bounce_retention_days"] = 14
        d["vocabulary"]["bounce_words"] = [" Hard Bounce ", "Avvist"]

    policy = load_policy(write_variant(tmp_path, add))
    assert policy.windows.bounce_retention_days == 14
    assert policy.vocabulary.bounce_words == ["hard bounce", "avvist"]
    assert policy.windows.visitor_retention_days == 90  # the declared ones unchanged


@pytest.mark.parametrize("value", [0, -3, "fourteen", True, 1.5])
def test_a_new_window_is_a_positive_whole_number(tmp_path: Path, value: object) -> None:
    path = write_variant(tmp_path, lambda d: d["windows"].update(bounce_retention_days=value))
    message = error_of(path)
    assert message.startswith(f"{path}: windows: ")
    assert "bounce_retention_days: a window is a positive whole number" in message


def test_a_window_a_rule_declares_must_be_in_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ropa.rules import RULES_BY_ID

    rule = type(RULES_BY_ID["RET-VISITOR"])
    monkeypatch.setattr(rule, "windows", ("visitor_retention_days", "badge_retention_days"))
    path = write_variant(tmp_path, lambda d: None)
    assert error_of(path) == (
        f"{path}: windows.badge_retention_days: window missing; rule RET-VISITOR reads it"
    )


def test_a_word_list_a_rule_reads_must_be_in_the_file(policy: Policy) -> None:
    from ropa.rules.base import vocabulary_words

    with pytest.raises(PolicyError, match="vocabulary.badge_words: word list missing"):
        vocabulary_words(policy, "badge_words")


def test_an_activity_added_in_the_file_is_an_activity_of_the_policy(tmp_path: Path) -> None:
    def add_payroll(d: dict[str, Any]) -> None:
        payroll = copy.deepcopy(d["activities"]["inquiries"])
        payroll.update(name="Payroll", section="2.1", nb={"name": "Lønn"})
        d["activities"]["payroll"] = payroll

    policy = load_policy(write_variant(tmp_path, add_payroll))
    assert list(policy.activities)[-1] == "payroll"
    assert policy.activity("payroll").name == "Payroll"
    assert policy.activity("payroll").data_categories == DECLARED["inquiries"]


def test_an_activity_a_rule_checks_may_not_be_left_out(tmp_path: Path) -> None:
    path = write_variant(tmp_path, lambda d: d["activities"].pop("visitors"))
    assert error_of(path) == (
        f"{path}: activities.visitors: activity missing; rule RET-VISITOR, "
        "source kind visitors refer to it"
    )


@pytest.mark.parametrize("key", ["Payroll", "web-shop", "2024", "web.shop"])
def test_an_activity_id_is_a_lower_case_key(tmp_path: Path, key: str) -> None:
    path = write_variant(tmp_path, lambda d: d["activities"].update({key: d["activities"]["web"]}))
    assert error_of(path) == (
        f"{path}: activities: activity id '{key}' is not a lower-case key like web_shop"
    )


def test_a_policy_without_activities_is_refused(tmp_path: Path) -> None:
    path = write_variant(tmp_path, lambda d: d.update(activities={}))
    assert error_of(path) == f"{path}: activities: the policy lists no activity"


def test_misspelt_field_is_an_error_not_silence(tmp_path: Path) -> None:
    path = write_variant(tmp_path, lambda d: d["activities"]["web"].update(retension={}))
    assert "activities.web.retension: unknown field" in error_of(path)


def test_legal_basis_must_cite_its_own_article(tmp_path: Path) -> None:
    path = write_variant(
        tmp_path, lambda d: d["activities"]["web"]["legal_basis"][0].update(article="6(1)(a)")
    )
    assert "activities.web.legal_basis.0" in error_of(path)


def test_special_category_must_be_declared(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["activities"]["customers"]["special_categories"][0]["category"] = "user.biometric.health"

    assert "special category 'user.biometric.health'" in error_of(write_variant(tmp_path, change))


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("version: '1'\ncontroller: [Metier\n", encoding="utf-8")
    message = error_of(path)
    assert message.startswith(f"{path}: YAML syntax error at line ")


def test_duplicate_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("version: '1'\nversion: '2'\n", encoding="utf-8")
    assert "duplicate key 'version'" in error_of(path)


def test_missing_policy_file_is_a_policy_error(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope.yaml").endswith("nope.yaml: policy file not found")


def test_a_list_is_not_a_policy(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    assert "must hold a mapping" in error_of(path)


def test_a_copy_of_the_policy_under_another_name_reports_that_name(tmp_path: Path) -> None:
    path = write_variant(tmp_path, lambda d: None, "acme.yaml")
    assert load_policy(path).file_name == "acme.yaml"
    assert load_policy(str(path)).path == path


DECLARED = {  # docs/architecture.md, "Declared data categories per activity"
    "customers": ["user.name", "user.contact", "user.location.imprecise", "user.workplace",
                  "user.job_title", "user.unique_id", "user.behavior.purchase_history",
                  "user.financial", "user.privacy_preferences", "user.health_and_medical",
                  "user.demographic.religious_belief"],
    "newsletter": ["user.contact.email", "user.contact.phone_number", "user.content.private",
                   "user.privacy_preferences"],
    "business_contacts": ["user.name", "user.contact", "user.workplace", "user.job_title",
                          "user.unique_id", "user.privacy_preferences"],
    "inquiries": ["user.name", "user.contact", "user.content.private"],
    "visitors": ["user.name", "user.contact.email", "user.contact.phone_number",
                 "user.workplace", "user.behavior"],
    "web": ["user.device", "user.behavior.browsing_history", "user.location.imprecise",
            "user.privacy_preferences"],
    "requests": ["user.name", "user.contact.email", "user.privacy_preferences"],
}  # fmt: skip


@pytest.mark.parametrize("activity", list(DECLARED))
def test_each_activity_declares_exactly_the_categories_of_the_policy(
    policy: Policy, activity: str
) -> None:
    assert policy.activity(activity).data_categories == DECLARED[activity]
