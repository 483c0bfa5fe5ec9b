"""Property tests: detectors and normalisers never raise on arbitrary text."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from stdnum.no import fodselsnummer

from ropa.mapping import detectors as d, normalise_email, normalise_phone

DETECTORS = [d.is_email, d.is_phone, d.is_fodselsnummer, d.is_ip, d.is_latitude,
             d.is_longitude, d.is_payment_card, d.is_bank_account, d.health_terms]  # fmt: skip
texts = st.lists(st.one_of(st.none(), st.text(), st.from_regex(r"[+0-9 .:()-]{0,20}")), max_size=20)


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda f: f.__name__)
@given(values=texts)
@settings(max_examples=60, deadline=None)
def test_detectors_return_one_boolean_per_value(detector, values):
    series = pd.Series(values, dtype=object, index=range(10, 10 + len(values)))
    out = detector(series)
    assert out.dtype == bool
    assert out.index.equals(series.index)


@given(values=texts)
@settings(max_examples=100, deadline=None)
def test_value_category_never_raises(values):
    assert d.value_category(pd.Series(values, dtype=object)) in {None} | {
        c for c, _ in d.VALUE_DETECTORS
    }


@given(values=texts)
@settings(max_examples=100, deadline=None)
def test_normalised_phones_are_e164_or_null(values):
    out = normalise_phone(pd.Series(values, dtype=object))
    assert len(out) == len(values)
    assert out.dropna().str.fullmatch(r"\+[1-9]\d{6,14}").all()


@given(values=texts)
@settings(max_examples=100, deadline=None)
def test_normalise_email_is_idempotent(values):
    once = normalise_email(pd.Series(values, dtype=object))
    pd.testing.assert_series_equal(normalise_email(once), once)


@given(number=st.from_regex(r"\d{11}", fullmatch=True))
@settings(max_examples=300, deadline=None)
def test_fodselsnummer_agrees_with_stdnum(number):
    assert d.is_fodselsnummer([number]).iloc[0] == fodselsnummer.is_valid(number)
