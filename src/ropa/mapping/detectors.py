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
from ropa.sources.common import blank

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


# Each detector's arrow kernel takes trimmed ``large_string`` values and returns a boolean
# array (null: not a match); ``is_*`` wraps it for a Series, ``value_categories`` runs it
# once over the samples of many columns at a time.


def _email(arr: pa.Array) -> pa.Array:
    return pc.match_substring_regex(arr, EMAIL_PATTERN)


def _phone(arr: pa.Array) -> pa.Array:
    arr = pc.replace_substring_regex(arr, _PHONE_SEPARATORS, "")
    norwegian = pc.and_(
        pc.match_substring_regex(arr, _NO_PHONE),
        pc.invert(pc.match_substring_regex(arr, _BARE_DATE)),
    )
    foreign = validated(arr, _INTL_PHONE, _valid_phone, candidates=pc.invert(norwegian))
    return pc.or_(norwegian, foreign)


def _fodselsnummer(arr: pa.Array) -> pa.Array:
    return validated(arr, r"^\d{6}[ -]?\d{5}$", fodselsnummer.is_valid)


def _bank_account(arr: pa.Array) -> pa.Array:
    konto = validated(arr, r"^\d{4}[ .]?\d{2}[ .]?\d{5}$", kontonr.is_valid)
    intl = validated(arr, r"^[A-Za-z]{2}\d\d(?: ?[A-Za-z0-9]){11,30}$", iban.is_valid)
    return pc.or_(konto, intl)


def _payment_card(arr: pa.Array) -> pa.Array:
    check: Callable[[str], bool] = lambda v: luhn.is_valid(v.replace(" ", "").replace("-", ""))  # noqa: E731
    return validated(arr, r"^\d(?:[ -]?\d){12,18}$", check)


def _ip(arr: pa.Array) -> pa.Array:
    pattern = r"^(?:\d{1,3}\.){3}\d{1,3}$|^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$"
    return validated(arr, pattern, _valid_ip)


def _longitude(arr: pa.Array) -> pa.Array:
    return _coordinate_text(arr, 180.0)


def _on_series(kernel: Callable[[pa.Array], pa.Array], values: Values) -> pd.Series:
    s = as_series(values)
    return to_bool(kernel(strings(s)), s.index)


def is_email(values: Values) -> pd.Series:
    return _on_series(_email, values)


def is_phone(values: Values) -> pd.Series:
    """Norwegian numbers (+47 / 0047 / (+47) or 8 digits starting 2-9) and valid
    international numbers written with + or 00. Bare 8-digit dates (20260131) are not."""
    return _on_series(_phone, values)


def _valid_phone(value: str) -> bool:
    try:
        number = phonenumbers.parse("+" + value[2:] if value.startswith("00") else value)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def is_fodselsnummer(values: Values) -> pd.Series:
    """Fødselsnummer or D-number with valid mod-11 check digits and birth date."""
    return _on_series(_fodselsnummer, values)


def is_bank_account(values: Values) -> pd.Series:
    """Norwegian 11-digit kontonummer (mod 11, ``1234.56.78903``) or a valid IBAN."""
    return _on_series(_bank_account, values)


def is_payment_card(values: Values) -> pd.Series:
    """13-19 digits (spaces or dashes between them allowed) passing the Luhn check."""
    return _on_series(_payment_card, values)


def is_ip(values: Values) -> pd.Series:
    return _on_series(_ip, values)


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
    return to_bool(_coordinate_text(strings(s), limit), s.index)


def _coordinate_text(arr: pa.Array, limit: float) -> pa.Array:
    shape = pc.fill_null(pc.match_substring_regex(arr, r"^[-+]?\d{1,3}[.,]\d{3,10}$"), False)
    text = pc.replace_substring(pc.if_else(shape, arr, None), ",", ".")
    number = pc.cast(pc.replace_substring_regex(text, r"^\+", ""), pa.float64())
    return pc.and_(shape, pc.less_equal(pc.abs(number), limit))


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
        return ~blank(series)
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
_KERNELS: dict[str, Callable[[pa.Array], pa.Array]] = {
    "user.contact.email": _email,
    "user.government_id.national_identification_number": _fodselsnummer,
    "user.financial.bank_account": _bank_account,
    "user.financial.credit_card": _payment_card,
    "user.contact.phone_number": _phone,
    "user.device.ip_address": _ip,
    "user.location.precise": _longitude,
}
LOCATION = "user.location.precise"


def value_category(series: pd.Series, size: int = SAMPLE_SIZE) -> str | None:
    """The category at least ``MATCH_SHARE`` of the sampled non-empty values show, or None."""
    values = sample(series, size)
    if values.empty:
        return None
    numeric = pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
        values.dtype
    )
    if not numeric:
        return value_categories(strings(values), np.zeros(len(values), dtype=np.intp), 1)[0]
    for category, detector in VALUE_DETECTORS:
        hits = detector(values)
        if hits.mean() >= MATCH_SHARE:
            if category == LOCATION and _all_fractions(values):
                continue  # 0.125, 0.5: shares and scores, not coordinates
            return category
    return None


def value_categories(values: pa.Array, ids: np.ndarray, columns: int) -> list[str | None]:
    """``value_category`` of many text columns at once: ``values`` are their sampled
    non-empty values, trimmed, one after another (``ids``: the column of each, 0 to
    ``columns - 1``). Each detector runs once over the columns not placed yet, so the
    cost is per value, not per column."""
    values = values.cast(pa.large_string())
    ids = np.asarray(ids, dtype=np.intp)
    sampled = np.bincount(ids, minlength=columns)
    found: list[str | None] = [None] * columns
    open_ = sampled > 0
    for category, _ in VALUE_DETECTORS:
        keep = open_[ids]
        if not keep.any():
            break
        if not keep.all():
            values, ids = values.filter(pa.array(keep)), ids[keep]
        hits = pc.fill_null(_KERNELS[category](values), False).to_numpy(zero_copy_only=False)
        share = np.bincount(ids, weights=hits, minlength=columns) / np.maximum(sampled, 1)
        matched = open_ & (share >= MATCH_SHARE)
        if category == LOCATION and matched.any():
            # 0.125, 0.5: shares and scores, not coordinates
            not_fraction = np.bincount(ids, weights=~_fractions(values), minlength=columns)
            matched &= not_fraction > 0
        for column in np.flatnonzero(matched):
            found[column] = category
        open_ &= ~matched
    return found


def _fractions(arr: pa.Array) -> np.ndarray:
    """Per value: a number within +-1 (a comma read as the decimal point)."""
    text = pd.Series(arr.to_pylist(), dtype=object).str.replace(",", ".")
    numbers = pd.to_numeric(text, errors="coerce")
    return np.asarray(numbers.abs() <= 1, dtype=bool)


def _all_fractions(values: pd.Series) -> bool:
    return bool(_fractions(strings(values)).all())
