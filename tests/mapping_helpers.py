"""Test data for the mapping tests: valid fødselsnumre built with stdnum's check digits."""

from __future__ import annotations

from stdnum.no import fodselsnummer


def make_fnr(first9: str) -> str | None:
    """A fødselsnummer with correct check digits for the first nine digits, if one exists."""
    k1 = fodselsnummer.calc_check_digit1(first9)
    if k1 == "10":
        return None
    k2 = fodselsnummer.calc_check_digit2(first9 + k1)
    return None if k2 == "10" else first9 + k1 + k2


def valid_fnrs(n: int, day_offset: int = 0) -> list[str]:
    out: list[str] = []
    serial = 100
    while len(out) < n:
        day = 1 + len(out) % 28 + day_offset
        number = make_fnr(f"{day:02d}0385{serial:03d}")
        serial += 1
        if number and fodselsnummer.is_valid(number):
            out.append(number)
    return out
