"""normalise_email / normalise_phone: the keys rules join on and subject keys hash."""

from __future__ import annotations

import pandas as pd

from ropa.mapping import normalise_email, normalise_phone


def test_email_is_trimmed_and_lower_cased_only():
    s = pd.Series([" Ola.Nordmann@Firma.NO ", "kari+news@x.no", "", "   ", None], dtype="string")
    assert normalise_email(s).tolist() == ["ola.nordmann@firma.no", "kari+news@x.no"] + [pd.NA] * 3


def test_email_keeps_index_and_name():
    s = pd.Series(["A@B.NO"], index=[7], name="email", dtype="string[pyarrow]")
    out = normalise_email(s)
    assert out.index.tolist() == [7] and out.name == "email"
    assert out.dtype == "string[pyarrow]"


def test_norwegian_phone_forms_become_e164():
    forms = ["+47 912 34 567", "+4791234567", "004791234567", "91234567", "(+47) 91234567",
             " 912 34 567 ", "912-34-567", "+47 91 23 45 67", "47 91234567"]  # fmt: skip
    assert normalise_phone(pd.Series(forms)).tolist() == ["+4791234567"] * len(forms)


def test_foreign_phone_numbers_use_phonenumbers():
    out = normalise_phone(pd.Series(["+46 70 123 45 67", "0046701234567", "+44 20 7946 0958"]))
    assert out.tolist() == ["+46701234567", "+46701234567", "+442079460958"]


def test_invalid_phones_are_null():
    s = pd.Series(["12345678", "+47 123", "ring meg", "", None, "+99 12345678"], dtype="string")
    assert normalise_phone(s).isna().all()


def test_phone_keeps_index_and_dtype():
    s = pd.Series(["91234567", None], index=[3, 9], dtype="string[pyarrow]")
    out = normalise_phone(s)
    assert out.index.tolist() == [3, 9]
    assert out.dtype == "string[pyarrow]"
