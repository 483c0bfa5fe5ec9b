"""E-mail matching keys: Unicode NFC and IDNA for the domain (README, matching)."""

from __future__ import annotations

import contextlib
import unicodedata

from hypothesis import given, settings, strategies as st

from ropa.mapping.normalise import normalise_email

_LOCAL = st.text(alphabet="abcdeéøåüñ._-", min_size=1, max_size=12)
_LABEL = st.text(alphabet="abcdefghøåæéüñ", min_size=1, max_size=12)


def test_idn_domain_equals_its_punycode_form():
    keys = normalise_email(["Ola@Bøker.no", "ola@xn--bker-gra.no", "ola@boker.no"]).tolist()
    assert keys[0] == keys[1] == "ola@xn--bker-gra.no"
    assert keys[2] != keys[0]


def test_nfd_and_nfc_are_one_address():
    nfc = "rené@café.fr"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert normalise_email([nfc]).tolist() == normalise_email([nfd]).tolist()


def test_invalid_idn_is_kept_and_blank_is_null():
    long_label = "x@" + "é" * 70 + ".no"  # label over 63 octets: not encodable
    assert normalise_email([long_label, "  ", None]).tolist()[0] == long_label
    assert normalise_email(["  "]).isna().all()


@settings(max_examples=60, deadline=None)
@given(_LOCAL, st.lists(_LABEL, min_size=1, max_size=3), st.sampled_from(["no", "com", "fr"]))
def test_forms_of_one_address_share_a_key(local, labels, tld):
    domain = ".".join([*labels, tld])
    address = f"{local}@{domain}"
    forms = [
        address,
        address.upper(),
        unicodedata.normalize("NFD", address),
        f"  {unicodedata.normalize('NFC', address)} ",
    ]
    with contextlib.suppress(UnicodeError):
        forms.append(f"{local}@{domain.encode('idna').decode('ascii')}")
    keys = normalise_email(forms).tolist()
    assert len(set(keys)) == 1
    assert (
        keys[0].split("@")[1].isascii() or keys[0] == unicodedata.normalize("NFC", address).lower()
    )
