"""The planted people: persons who appear in several exports, and one-off planted rows.

Cross-source persons are what the cross-source rules (CRM x newsletter, erasure log x
every source) and ``ropa subject`` need. Their e-mails carry no digits, so they never
collide with bulk addresses (which all carry a unique number).
"""

from __future__ import annotations

from dataclasses import dataclass

from ropa_samples.vocab import FIRST_NAMES, LAST_NAMES, MAIL_DOMAINS, PLACES, mail_local


@dataclass(frozen=True)
class Who:
    first: str
    last: str
    email: str
    phone: str  # 8 digits, bare
    company: str = ""
    title: str = ""
    place: int = 0  # index into vocab.PLACES
    note: str = ""

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    def phone_intl(self, spaced: bool = True) -> str:
        p = self.phone
        return f"+47 {p[:3]} {p[3:5]} {p[5:]}" if spaced else f"+47{p}"

    def address(self, number: int = 12) -> str:
        """Mailchimp address: street, city, region, zip, country, two spaces between."""
        city, region, zip0, _, _ = PLACES[self.place]
        return f"Storgata {number}  {city}  {region}  {zip0:04d}  NO"

    @property
    def latlong(self) -> tuple[str, str]:
        _, _, _, lat, lon = PLACES[self.place]
        return f"{lat:.4f}", f"{lon:.4f}"


PERSONS: dict[str, Who] = {
    "kari": Who(
        "Kari",
        "Nordmann",
        "kari.nordmann@example.no",
        "48215937",
        "Equinor ASA",
        "Prosjektleder",
        3,
        "clean in every source; written '  Kari.Nordmann@Example.no ' in the contact form",
    ),
    "ola": Who(
        "Ola",
        "Hansen",
        "ola.hansen@eksempel.no",
        "92847361",
        "Statkraft AS",
        "Seniorrådgiver",
        0,
        "erasure completed; still in CRM (NO, as "
        "'Ola.Hansen@Eksempel.no '), newsletter, registrations, visitors, forms",
    ),
    "ingrid": Who(
        "Ingrid",
        "Berg",
        "ingrid.berg@firma.example",
        "47392815",
        "DNB ASA",
        "Controller",
        0,
        "unsubscribed in Mailchimp, still a marketing contact in "
        "HubSpot (as 'Ingrid.Berg@firma.example')",
    ),
    "lars": Who(
        "Lars",
        "Johansen",
        "lars.johansen@example.com",
        "93518274",
        "Kongsberg Gruppen ASA",
        "Teknisk sjef",
        4,
        "erasure request still in progress (and overdue): rows are not ERASURE-NOT-DONE",
    ),
    "nora": Who(
        "Nora",
        "Solberg",
        "nora.solberg@example.no",
        "45829163",
        "Posten Norge AS",
        "Prosjektkoordinator",
        0,
        "erasure completed on the audit date itself: not before as_of, not flagged",
    ),
    "magnus": Who(
        "Magnus",
        "Lie",
        "magnus.lie@eksempel.no",
        "98173645",
        "Oslo kommune",
        "Avdelingsleder",
        0,
        "erasure request rejected: not flagged",
    ),
    "sigrid": Who(
        "Sigrid",
        "Dahl",
        "sigrid.dahl@example.com",
        "46719258",
        "Telenor ASA",
        "HR-sjef",
        8,
        "erasure completed (request log has ' Sigrid.Dahl@Example.com'); "
        "still in cleaned export, legacy visitor log and CRM",
    ),
    "jonas": Who(
        "Jonas",
        "Bakken",
        "jonas.bakken@firma.example",
        "94561827",
        "Equinor ASA",
        "Rådgiver",
        2,
        "unsubscribed in Mailchimp, non-marketing contact in HubSpot (NO): not flagged",
    ),
    "emma": Who(
        "Emma",
        "Haugen",
        "emma.haugen@example.org",
        "41937582",
        "Avinor AS",
        "Innkjøpsleder",
        1,
        "cleaned (bounced) in Mailchimp, marketing contact in "
        "HubSpot: cleaned is not unsubscribed, not flagged",
    ),
    "henrik": Who(
        "Henrik",
        "Lund",
        "henrik.lund@bedrift.example",
        "97284613",
        "Orkla ASA",
        "Økonomisjef",
        0,
        "unsubscribed in Mailchimp, still a Markedsføringskontakt in HubSpot (NO)",
    ),
}


# Erasure requests about the persons: (person, status, received days before as_of,
# completed days before as_of or None, subject_email as written in the log).
ERASURES: list[tuple[str, str, int, int | None, str]] = [
    ("ola", "completed", 64, 46, "ola.hansen@eksempel.no"),
    ("sigrid", "completed", 170, 151, " Sigrid.Dahl@Example.com"),
    ("nora", "completed", 6, 0, "nora.solberg@example.no"),
    ("lars", "in_progress", 31, None, "lars.johansen@example.com"),
    ("magnus", "rejected", 60, 40, "magnus.lie@eksempel.no"),
]


class Extras:
    """Hands out one-off people for planted rows: distinct names, digit-free e-mails that
    no bulk row and no cross-source person uses."""

    _TAKEN = {(p.first, p.last) for p in PERSONS.values()}

    def __init__(self) -> None:
        self._i = 0

    def next(self, place: int = 0) -> Who:
        size = len(FIRST_NAMES) * len(LAST_NAMES)
        while True:
            idx = (self._i * 37 + 11) % size
            self._i += 1
            first = FIRST_NAMES[idx % len(FIRST_NAMES)]
            last = LAST_NAMES[idx // len(FIRST_NAMES)]
            if (first, last) not in self._TAKEN:
                break
        domain = MAIL_DOMAINS[self._i % len(MAIL_DOMAINS)]
        email = f"{mail_local(first)}.{mail_local(last)}@{domain}"
        phone = ("4" if self._i % 2 else "9") + f"{(self._i * 7919 + 1234567) % 10**7:07d}"
        return Who(first, last, email, phone, place=place % len(PLACES))

    def take(self, n: int) -> list[Who]:
        return [self.next(place=i) for i in range(n)]
