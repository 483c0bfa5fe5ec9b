"""Value detectors: what counts as an e-mail, phone, fødselsnummer, card, account, IP,
coordinate or health term, and what does not."""

from __future__ import annotations

import pandas as pd
import pytest
from stdnum.no import fodselsnummer

from mapping_helpers import make_fnr, valid_fnrs
from ropa.mapping import detectors as d


def flags(detector, values) -> list[bool]:
    return detector(pd.Series(values, dtype="string[pyarrow]")).tolist()


def test_email_valid_and_invalid():
    assert flags(d.is_email, ["ola@firma.no", " Kari.Nordmann@Example.COM ", "a+b@sub.x.org"]) == [
        True, True, True,
    ]  # fmt: skip
    assert not any(flags(d.is_email, ["ola@firma", "ola firma.no", "@firma.no", "", None]))


@pytest.mark.parametrize(
    "value", ["+47 912 34 567", "+4791234567", "004791234567", "91234567", "(+47) 91234567",
              "22 22 55 55", "+46 70 123 45 67", "+44 20 7946 0958"],
)  # fmt: skip
def test_phone_numbers_are_phones(value):
    assert flags(d.is_phone, [value]) == [True]


@pytest.mark.parametrize(
    "value",
    ["12345678", "1234567", "20260131", "59.913868", "+47 123", "+99 123", "ring meg", ""],
)
def test_not_phone_numbers(value):
    assert flags(d.is_phone, [value]) == [False]


def test_fodselsnummer_needs_valid_check_digits():
    assert flags(d.is_fodselsnummer, ["15108695088", "151086 95088"]) == [True, True]
    assert flags(d.is_fodselsnummer, ["15108695077", "15108695089", "1510869508"]) == [False] * 3


def test_generated_fodselsnumre_and_d_numbers_are_detected():
    numbers = valid_fnrs(20)
    d_numbers = [make_fnr(f"{int(n[:2]) + 40:02d}{n[2:9]}") for n in numbers]
    d_numbers = [n for n in d_numbers if n]
    assert d_numbers
    assert all(flags(d.is_fodselsnummer, numbers + d_numbers))
    wrong = [n[:-1] + str((int(n[-1]) + 1) % 10) for n in numbers]
    assert not any(flags(d.is_fodselsnummer, wrong))


def test_payment_card_luhn():
    valid = ["4111111111111111", "4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005"]
    assert all(flags(d.is_payment_card, valid))
    invalid = ["4111111111111112", "4111 1111 1111", "41111111111111111111", "abcd"]
    assert not any(flags(d.is_payment_card, invalid))


def test_bank_account_kontonummer_and_iban():
    valid = ["86011117947", "8601.11.17947", "8601 11 17947", "NO9386011117947",
             "NO93 8601 1117 947", "GB82WEST12345698765432"]  # fmt: skip
    assert all(flags(d.is_bank_account, valid))
    invalid = ["86011117948", "8601111794", "NO9386011117948", "GB82WEST12345698765431"]
    assert not any(flags(d.is_bank_account, invalid))


def test_ip_addresses_v4_and_v6():
    assert all(flags(d.is_ip, ["192.168.1.10", "81.167.42.7", "2001:db8::1", "::1", "fe80::1"]))
    assert not any(flags(d.is_ip, ["256.1.1.1", "1.2.3", "12:30", "2001:db8:::1", "ip", ""]))


def test_coordinates_need_three_decimals_and_range():
    assert flags(d.is_latitude, ["59.913868", "-33.8688", "63,4305"]) == [True, True, True]
    assert not any(flags(d.is_latitude, ["59.9", "12", "91.123456", "abc", ""]))
    assert flags(d.is_longitude, ["179.1234", "10.752245", "181.0001"]) == [True, True, False]
    numbers = pd.Series([59.913868, 59.9, 12.0, None, 95.5555], dtype="double[pyarrow]")
    assert d.is_latitude(numbers).tolist() == [True, False, False, False, False]
    assert d.is_longitude(numbers).tolist() == [True, False, False, False, True]


@pytest.mark.parametrize(
    "text",
    ["Jeg har nøtteallergi", "NØTTER", "Allergic to peanuts", "gluten-free please",
     "Laktoseintoleranse", "Vegetar, takk", "Halal mat", "kosher", "cøliaki", "Jeg er gravid",
     "Bruker medisin mot astma", "coeliac", "diabetes type 1", "Vegan.", "religious reasons"],
)  # fmt: skip
def test_health_terms_in_norwegian_and_english(text):
    assert flags(d.health_terms, [text]) == [True]


@pytest.mark.parametrize(
    "text",
    ["Kan dere ringe meg tilbake om kurset i prosjektledelse?", "Ingen spesielle behov",
     "minute", "peanuts2", "vegan@firma.no", "https://example.no/kurs/vegetar", "", None],
)  # fmt: skip
def test_clean_text_has_no_health_terms(text):
    assert flags(d.health_terms, [text]) == [False]


def test_mentions_health_scans_the_whole_column():
    column = pd.Series(["Ingen"] * 600_000 + ["nøtteallergi"], dtype="string[pyarrow]")
    assert d.mentions_health(column)
    assert not d.mentions_health(column.iloc[:-1])


def test_value_category_needs_eighty_percent_of_values():
    fnrs = valid_fnrs(10)
    assert d.value_category(pd.Series(fnrs[:8] + ["x", "y"])) == (
        "user.government_id.national_identification_number"
    )
    assert d.value_category(pd.Series(fnrs[:7] + ["x", "y", "z"])) is None


def test_fodselsnumre_are_not_taken_for_bank_accounts():
    # Every valid fødselsnummer also passes the kontonummer mod-11 check.
    fnrs = valid_fnrs(10)
    assert all(flags(d.is_bank_account, fnrs))
    assert d.value_category(pd.Series(fnrs)) == "user.government_id.national_identification_number"
    assert d.value_category(pd.Series(["86011117947"] * 5)) == "user.financial.bank_account"


def test_shares_between_zero_and_one_are_not_coordinates():
    assert d.value_category(pd.Series([0.125, 0.5555, 0.3333])) is None
    assert d.value_category(pd.Series([59.913868, 59.911491])) == "user.location.precise"


def test_library_checks_run_on_a_bounded_sample(monkeypatch):
    calls: list[str] = []
    real = fodselsnummer.is_valid

    def counting(value: str) -> bool:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(d.fodselsnummer, "is_valid", counting)
    many = pd.Series([f"{i:011d}" for i in range(50_000)], dtype="string[pyarrow]")
    d.value_category(many)
    assert len(calls) <= d.SAMPLE_SIZE


def test_sample_is_the_first_non_empty_values():
    s = pd.Series(["", None, "a", "  ", "b", "c"], dtype="string[pyarrow]")
    assert d.sample(s, 2).tolist() == ["a", "b"]
    assert d.non_empty(s).tolist() == [False, False, True, False, True, True]


def test_detectors_accept_object_and_numeric_columns():
    assert d.is_phone(pd.Series([91234567, None], dtype="Int64")).tolist() == [True, False]
    assert d.is_phone(pd.Series([91234567.0, float("nan")])).tolist() == [True, False]
    assert d.is_email(pd.Series(["ola@firma.no", 3, None], dtype=object)).tolist() == [
        True, False, False,
    ]  # fmt: skip
    assert d.is_email(["ola@firma.no"]).tolist() == [True]


def test_the_match_share_is_data_in_columns_yaml():
    from ropa.mapping.names import column_table

    assert d.MATCH_SHARE == column_table().min_share == 0.8
    # three phone numbers among ten values is a coincidence, not a phone column
    values = ["91234567", "22 22 55 55", "+4791234567"] + [f"kurs-{i}" for i in range(7)]
    assert d.value_category(pd.Series(values)) is None
    assert d.value_category(pd.Series(values[:3] * 3 + ["kurs-1"])) == "user.contact.phone_number"


@pytest.mark.parametrize(
    "model", ["iPhone", "Pixel 7", "SM-G991B", "SM-G781B", "Galaxy S20 FE 5G", "2201117TY",
              "Chrome", "iPad (10th generation)", "moto g(60)"],
)  # fmt: skip
def test_device_model_names_are_not_phone_numbers(model):
    assert flags(d.is_phone, [model]) == [False]
    assert d.value_category(pd.Series([model] * 3)) is None


@pytest.mark.parametrize(
    "values",
    [["12.50", "4.95", "1999.00"], ["4.9495798319328", "5.360478123456789"],
     ["31.0", "0.0", "12.5"], [12.5, 4.95, 199.0], ["-12.500", "129.990", "7.25"]],
)  # fmt: skip
def test_money_is_not_a_coordinate(values):
    assert d.value_category(pd.Series(values)) is None


def test_coordinates_with_up_to_ten_decimals_are_still_coordinates():
    assert d.value_category(pd.Series(["59.9138680", "10.7522450"])) == "user.location.precise"
    assert d.value_category(pd.Series(["59.91386801234"])) is None  # 11 decimals: computed
