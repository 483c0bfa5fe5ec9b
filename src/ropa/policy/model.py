"""The privacy policy as a typed model, loaded from YAML.

The policy is data so that another company can audit itself with its own file, and so
that every number a rule uses (90 days, 5 years, ...) has one home that a reviewer can
compare with the policy text. Validation is strict (unknown keys are errors) because a
typo in a policy file must not silently turn into "the policy is silent here".
The activities are the file's: their ids are the keys under ``activities``. Data
categories and uses are keys of the fideslang taxonomy (policy/taxonomy.py). Reading a
file, and checking that every rule's activity is in it, is policy/load.py.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ropa.enums import SEVERITIES
from ropa.errors import PolicyError
from ropa.paths import POLICY_FILE
from ropa.policy.taxonomy import check_key
from ropa.policy.texts import StrictModel as _Model, Texts as _Texts
from ropa.policy.windows import Vocabulary, Windows

DEFAULT_POLICY = POLICY_FILE

_DURATION = re.compile(r"P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?")
_KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
_ACTIVITY_ID = re.compile(r"[a-z][a-z0-9_]*")


class Basis(StrEnum):
    """Art. 6(1) lawful bases; the value is the YAML spelling."""

    consent = "consent"
    contract = "contract"
    legal_obligation = "legal_obligation"
    vital_interests = "vital_interests"
    public_task = "public_task"
    legitimate_interests = "legitimate_interests"


ARTICLE_OF = {
    Basis.consent: "6(1)(a)",
    Basis.contract: "6(1)(b)",
    Basis.legal_obligation: "6(1)(c)",
    Basis.vital_interests: "6(1)(d)",
    Basis.public_task: "6(1)(e)",
    Basis.legitimate_interests: "6(1)(f)",
}


def _check_key(value: str, kind: str = "data category") -> str:
    """A fideslang ``kind`` key ("data category", "data use"): dotted, lower-case, known."""
    if not _KEY.fullmatch(value):
        raise ValueError(f"'{value}' is not a dotted lower-case key like user.contact.email")
    return check_key(value, kind)


class LegalBasis(_Texts):
    basis: Basis
    article: str
    applies_to: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _article_matches_basis(self) -> LegalBasis:
        if self.article != ARTICLE_OF[self.basis]:
            raise ValueError(
                f"article '{self.article}' does not match basis '{self.basis}' "
                f"({ARTICLE_OF[self.basis]})"
            )
        return self


class SpecialCategory(_Texts):
    category: str
    condition: str | None = Field(None, pattern=r"^9\(2\)\([a-j]\)$")
    note: str | None = None

    @field_validator("category")
    @classmethod
    def _key(cls, value: str) -> str:
        return _check_key(value)


class Transfer(_Texts):
    recipient: str
    country: str
    safeguard: str | None = None
    note: str | None = None


class Retention(_Texts):
    """How long the policy keeps data: the words, and a number where it gives one."""

    text: str | None = None
    period: str | None = None
    counted_from: str | None = None
    note: str | None = None

    @field_validator("period")
    @classmethod
    def _iso_duration(cls, value: str | None) -> str | None:
        if value is not None and not _DURATION.fullmatch(value):
            raise ValueError(f"invalid ISO 8601 duration '{value}'")
        return value


class CookieCategory(_Texts):
    name: str
    purpose: str
    essential: bool


class Cookies(_Model):
    section: str
    categories_announced: int | None = None
    categories: list[CookieCategory] = []
    tags: list[str] = []


class Activity(_Texts):
    """One processing activity: one row of the Art. 30 record."""

    name: str
    section: str
    business_function: str | None = None
    purposes: list[str] = Field(min_length=1)
    data_subjects: list[str] = Field(min_length=1)
    data_categories: list[str] = Field(min_length=1)
    data_uses: list[str] = []
    legal_basis: list[LegalBasis]
    special_categories: list[SpecialCategory] = []
    recipients: list[str] = []
    transfers: list[Transfer] | None = None  # None: silent; []: "no transfers"
    retention: Retention
    sources: list[str] = []
    legitimate_interests: str | None = None
    lia: str | None = None
    consent_record: str | None = None
    location: str | None = None
    dpia: str | None = None
    cookies: Cookies | None = None

    @field_validator("data_categories", "data_uses")
    @classmethod
    def _keys(cls, values: list[str], info: ValidationInfo) -> list[str]:
        kind = "data use" if info.field_name == "data_uses" else "data category"
        return [_check_key(v, kind) for v in values]

    @model_validator(mode="after")
    def _special_categories_are_declared(self) -> Activity:
        for special in self.special_categories:
            if not self.declares(special.category):
                raise ValueError(f"special category '{special.category}' is not in data_categories")
        return self

    def declares(self, category: str) -> bool:
        """True when the activity declares ``category`` or one of its parents.

        ``user.contact`` declares ``user.contact.email``; the reverse does not hold,
        because a policy that names only the e-mail has not announced a postal address.
        """
        return any(category == d or category.startswith(d + ".") for d in self.data_categories)

    @property
    def bases(self) -> set[Basis]:
        return {b.basis for b in self.legal_basis}


class Controller(_Texts):
    name: str
    country: str
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    dpo: str | None = None
    representative: str | None = None
    supervisory_authority: str
    joint_controllers: list[str] = []


class TextualGap(_Model):
    """A gap a reader sees in the text that no field of the model can show."""

    id: str = Field(pattern=r"^GAP-[A-Z0-9-]+(-[a-z_]+)?$")
    severity: str = Field(pattern="^(" + "|".join(SEVERITIES) + ")$")
    activity: str | None = None
    reference: str
    missing: str
    suggested_fix: str


class Policy(_Texts):
    version: str
    effective: date
    timezone: str
    controller: Controller
    security_measures: str | None = None
    processor_contracts: str | None = None
    automated_decisions: str | None = None
    rights: list[str] = []
    activities: dict[str, Activity]
    windows: Windows
    vocabulary: Vocabulary
    textual_gaps: list[TextualGap] = []
    _path: Path | None = PrivateAttr(default=None)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, date | int | float) else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}'") from None
        return value

    @field_validator("activities")
    @classmethod
    def _activity_ids(cls, value: dict[str, Activity]) -> dict[str, Activity]:
        """Any id the file gives (rules and sources name theirs: policy/load.py)."""
        if not value:
            raise ValueError("the policy lists no activity")
        for key in value:
            if not _ACTIVITY_ID.fullmatch(key):
                raise ValueError(f"activity id '{key}' is not a lower-case key like web_shop")
        return value

    @model_validator(mode="after")
    def _gaps_refer_to_activities(self) -> Policy:
        ids = [g.id for g in self.textual_gaps]
        for gap in self.textual_gaps:
            if gap.activity is not None and gap.activity not in self.activities:
                raise ValueError(f"textual gap {gap.id}: unknown activity '{gap.activity}'")
            if ids.count(gap.id) > 1:
                raise ValueError(f"textual gap id {gap.id} appears twice")
        return self

    def activity(self, activity_id: str) -> Activity:
        """The activity with this id; a PolicyError (not KeyError) so the CLI can report it."""
        try:
            return self.activities[activity_id]
        except KeyError:
            raise PolicyError(f"no activity '{activity_id}'", self._path) from None

    @property
    def path(self) -> Path | None:
        """The file this policy was loaded from (None when built in code)."""
        return self._path

    @property
    def file_name(self) -> str:
        """What findings and gaps show as their ``source``."""
        return self._path.name if self._path else "policy.yaml"
