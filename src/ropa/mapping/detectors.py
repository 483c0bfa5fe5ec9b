"""Value detectors: does a value look like an e-mail, a fødselsnummer, a card number ...?

Every ``is_*`` takes a Series (or a list) and returns a boolean Series on the same index;
empty and null values are False and nothing raises. A cheap vectorised regular expression
picks the candidates; library checks (python-stdnum, phonenumbers, ipaddress) then run
once per distinct candidate. The data map calls them on a bounded sample of a column
(``sample``: the first ``SAMPLE_SIZE`` non-empty values), never on millions of values.
Patterns run on pyarrow (RE2), so they avoid look-arounds.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from stdnum import iban, luhn
from stdnum.no import fodselsnummer, kontonr

from ropa.mapping._arrow import Values, as_series, is_text, strings, to_bool, validated
from ropa.mapping.names import column_table

SAMPLE_SIZE = 2_000
MATCH_SHARE = column_table().min_share  # columns.yaml, value_detection.min_share
HEALTH_CHUNK = 250_000

EMAIL_PATTERN = r"^[^\s@<>(),;:\"]+@[^\s@<>(),;:\"]+\.[^\s@<>(),;:\".]{2,}$"
_NO_PHONE = r"^(?:\+47|0047)?[2-9]\d{7}$"
_BARE_DATE = r"^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$"  # 20260131
_INTL_PHONE = r"^(?:\+|00)[1-9]\d{6,14}$"
_PHONE_SEPARATORS = r"[\s\x{a0}\-()]"

# Health, diet and belief words (Art. 9 data), English and Norwegian. Letters around a
# term make it part of another word, except the stems that form Norwegian compounds
# (nøtteallergi, melkeallergi, laktoseintoleranse). A neighbouring @ . / means an e-mail
# address or a URL path ("vegan@firma.no", "/kurs/vegetar"), not a statement about a person.
HEALTH_TERMS = (
    "allergy", "allergies", "allergic", "allergi", "allergier", "allergisk", "allergiske",
    "gluten", "glutenfri", "gluten-free", "glutenfree", "lactose", "laktose", "laktosefri",
    "nut", "nuts", "nøtt", "nøtter", "nøtteallergi", "peanut", "peanuts", "peanøtter",
    "coeliac", "celiac", "cøliaki", "diabetes", "diabetic", "diabetiker", "halal", "kosher",
    "vegan", "veganer", "vegetar", "vegetarianer", "vegetarian", "religious", "religion",
    "religiøs", "pregnant", "pregnancy", "gravid", "medisin", "medisiner", "medication",
    "medicine", "epilepsy", "epilepsi", "asthma", "astma", "intolerance", "intoleranse",
)  # fmt: skip
_LETTER = "0-9A-Za-zÆØÅæøåÄÖÜäöüÉéÈè_"
HEALTH_PATTERN = (
    f"(?:^|[^{_LETTER}@./])"
    f"(?:[{_LETTER}]*(?:allerg|intoleran)[{_LETTER}]*|{'|'.join(HEALTH_TERMS)})"
    f"(?:$|[^{_LETTER}@])"
)


def is_email(values: Values) -> pd.Series:
    s = as_series(values)
    return to_bool(pc.match_substring_regex(strings(s), EMAIL_PATTERN), s.index)


def is_phone(values: Values) -> pd.Series:
    """Norwegian numbers (+47 / 0047 / (+47) or 8 digits starting 2-9) and valid
    international numbers written with + or 00. Bare 8-digit dates (20260131) are not."""
    s = as_series(values)
    arr = pc.replace_substring_regex(strings(s), _PHONE_SEPARATORS, "")
    norwegian = pc.and_(
        pc.match_substring_regex(arr, _NO_PHONE),
        pc.invert(pc.match_substring_regex(arr, _BARE_DATE)),
    )
    foreign = validated(arr, _INTL_PHONE, _valid_phone, candidates=pc.invert(norwegian))
    return to_bool(pc.or_(norwegian, foreign), s.index)


def _valid_phone(value: str) -> bool:
    try:
        number = phonenumbers.parse("+" + value[2:] if value.startswith("00") else value)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def is_fodselsnummer(values: Values) -> pd.Series:
    """Fødselsnummer or D-number with valid mod-11 check digits and birth date."""
    s = as_series(values)
    return to_bool(validated(strings(s), r"^\d{6}[ -]?\d{5}$", fodselsnummer.is_valid), s.index)


def is_bank_account(values: Values) -> pd.Series:
    """Norwegian 11-digit kontonummer (mod 11, ``1234.56.78903``) or a valid IBAN."""
    s = as_series(values)
    arr = strings(s)
    konto = validated(arr, r"^\d{4}[ .]?\d{2}[ .]?\d{5}$", kontonr.is_valid)
    intl = validated(arr, r"^[A-Za-z]{2}\d\d(?: ?[A-Za-z0-9]){11,30}$", iban.is_valid)
    return to_bool(pc.or_(konto, intl), s.index)


def is_payment_card(values: Values) -> pd.Series:
    """13-19 digits (spaces or dashes between them allowed) passing the Luhn check."""
    s = as_series(values)
    check: Callable[[str], bool] = lambda v: luhn.is_valid(v.replace(" ", "").replace("-", ""))  # noqa: E731
    return to_bool(validated(strings(s), r"^\d(?:[ -]?\d){12,18}$", check), s.index)


def is_ip(values: Values) -> pd.Series:
    s = as_series(values)
    pattern = r"^(?:\d{1,3}\.){3}\d{1,3}$|^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$"
    return to_bool(validated(strings(s), pattern, _valid_ip), s.index)


def _valid_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_latitude(values: Values) -> pd.Series:
    return _coordinate(as_series(values), 90.0)


def is_longitude(values: Values) -> pd.Series:
    return _coordinate(as_series(values), 180.0)


def _coordinate(s: pd.Series, limit: float) -> pd.Series:
    """A number within +-limit with 3 to 10 decimals: 12, 59.9 or a price of 12.50 is not a
    coordinate, and neither is a computed amount such as a tax of 4.9495798319328."""
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        x = pd.to_numeric(s, errors="coerce").astype("float64").to_numpy(na_value=np.nan)
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(x) & (np.abs(x) <= limit) & (np.round(x, 2) != x)
        return pd.Series(ok, index=s.index)
    arr = strings(s)
    shape = pc.fill_null(pc.match_substring_regex(arr, r"^[-+]?\d{1,3}[.,]\d{3,10}$"), False)
    text = pc.replace_substring(pc.if_else(shape, arr, None), ",", ".")
    number = pc.cast(pc.replace_substring_regex(text, r"^\+", ""), pa.float64())
    return to_bool(pc.and_(shape, pc.less_equal(pc.abs(number), limit)), s.index)


def health_terms(values: Values) -> pd.Series:
    """Whether each text mentions a health, diet or belief term (any case, both languages)."""
    s = as_series(values)
    return to_bool(pc.match_substring_regex(strings(s), HEALTH_PATTERN, ignore_case=True), s.index)


def mentions_health(series: pd.Series) -> bool:
    """Whether any value of a whole column mentions a health term. Scans distinct values in
    chunks and stops at the first hit, so a long clean column costs one pass."""
    arr = strings(series)
    for start in range(0, len(arr), HEALTH_CHUNK):
        chunk = pc.unique(arr.slice(start, HEALTH_CHUNK))
        hits = pc.match_substring_regex(chunk, HEALTH_PATTERN, ignore_case=True)
        if pc.any(hits).as_py():
            return True
    return False


def non_empty(series: pd.Series) -> pd.Series:
    """Not null and, for text, not blank. Counts every row (used for non_empty_share)."""
    if is_text(series):
        arr = strings(series)
        return to_bool(pc.not_equal(arr, ""), series.index)
    return series.notna().astype(bool)


def sample(series: pd.Series, size: int = SAMPLE_SIZE) -> pd.Series:
    """The first ``size`` non-empty values: deterministic and bounded."""
    positions = np.flatnonzero(non_empty(series).to_numpy())[:size]
    return series.iloc[positions]


# Tried in order; the first a column's sample matches (>= MATCH_SHARE) wins. A valid
# fødselsnummer is also a valid kontonummer (same mod-11 digit), so it comes first.
VALUE_DETECTORS: tuple[tuple[str, Callable[[Values], pd.Series]], ...] = (
    ("user.contact.email", is_email),
    ("user.government_id.national_identification_number", is_fodselsnummer),
    ("user.financial.bank_account", is_bank_account),
    ("user.financial.credit_card", is_payment_card),
    ("user.contact.phone_number", is_phone),
    ("user.device.ip_address", is_ip),
    ("user.location.precise", is_longitude),  # latitudes are within the longitude range
)


def value_category(series: pd.Series, size: int = SAMPLE_SIZE) -> str | None:
    """The category at least ``MATCH_SHARE`` of the sampled non-empty values show, or None."""
    values = sample(series, size)
    if values.empty:
        return None
    for category, detector in VALUE_DETECTORS:
        hits = detector(values)
        if hits.mean() >= MATCH_SHARE:
            if category == "user.location.precise" and _all_fractions(values):
                continue  # 0.125, 0.5: shares and scores, not coordinates
            return category
    return None


def _all_fractions(values: pd.Series) -> bool:
    text = pd.Series(strings(values).to_pylist(), dtype=object).str.replace(",", ".")
    numbers = pd.to_numeric(text, errors="coerce")
    return bool((numbers.abs() <= 1).all())
