"""The privacy policy as a typed model, loaded from YAML.

The policy is data so that another company can audit itself with its own file, and so
that every number a rule uses (90 days, 5 years, ...) has one home that a reviewer can
compare with the policy text. Validation is strict (unknown keys are errors) because a
typo in a policy file must not silently turn into "the policy is silent here".
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ropa.errors import PolicyError

DEFAULT_POLICY = Path(__file__).with_name("policy.yaml")
# Loaders, rules and the data map refer to activities by these ids (sources/canonical.py).
ACTIVITY_IDS = (
    "customers",
    "newsletter",
    "business_contacts",
    "inquiries",
    "visitors",
    "web",
    "requests",
)
SEVERITIES = ("critical", "high", "medium", "low")

_DURATION = re.compile(r"P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?")
_KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")


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


def _check_key(value: str) -> str:
    if not _KEY.fullmatch(value):
        raise ValueError(f"'{value}' is not a dotted lower-case key like user.contact.email")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Fields that hold keys or numbers, never prose: an `nb:` mapping may not replace them.
_NOT_TEXT = {"section", "data_categories", "data_uses", "category", "condition", "article",
             "basis", "period", "version", "timezone", "rights"}  # fmt: skip
_TEXT_TYPES = (str, str | None, list[str])


class _Texts(_Model):
    """A model whose prose fields may have a Norwegian variant: ``nb:`` maps field names
    to the text in Norwegian (same type as the field). Nested models carry their own."""

    nb: dict[str, Any] | None = None
    _nb: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _nb_fields(self) -> Any:
        if not self.nb:
            return self
        fields = type(self).model_fields
        for name in self.nb:
            if name not in fields or name == "nb":
                raise ValueError(f"nb: unknown field '{name}'")
            if name in _NOT_TEXT or fields[name].annotation not in _TEXT_TYPES:
                raise ValueError(f"nb: '{name}' is not a text field")
        # validate the Norwegian values with the field types (a list stays a list)
        merged = type(self).model_validate({**self.model_dump(exclude={"nb"}), **self.nb})
        self._nb = {name: getattr(merged, name) for name in self.nb}
        return self


def localised(value: Any, lang: str) -> Any:
    """``value`` with every ``nb:`` variant applied (``lang="nb"``); as is for English."""
    if lang == "en":
        return value
    if isinstance(value, BaseModel):
        update = {name: localised(getattr(value, name), lang) for name in type(value).model_fields}
        if isinstance(value, _Texts):
            update.update(value._nb)
        return value.model_copy(update=update)  # keeps private attributes (the path)
    if isinstance(value, list):
        return [localised(v, lang) for v in value]
    if isinstance(value, dict):
        return {k: localised(v, lang) for k, v in value.items()}
    return value


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

    _key = field_validator("category")(_check_key)


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
    def _keys(cls, values: list[str]) -> list[str]:
        return [_check_key(v) for v in values]

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


class Windows(_Model):
    """Every limit a rule applies; see DESIGN.md "Rules and their defaults"."""

    visitor_retention_days: PositiveInt
    inquiry_retention_days: PositiveInt
    customer_accounting_years: PositiveInt
    prospect_inactive_months: PositiveInt
    special_category_days_after_event: PositiveInt
    cleaned_retention_days: PositiveInt
    analytics_retention_months: PositiveInt
    request_response_days: PositiveInt
    b2b_grace_days: PositiveInt = 90


class Vocabulary(_Model):
    """Words the rules match; stored trimmed and case-folded so rules compare directly."""

    yes_words: list[str]
    none_words: list[str]
    prospect_stages: list[str]
    customer_stages: list[str]
    marketing_open_statuses: list[str]
    answered_statuses: list[str]
    b2b_ended_words: list[str]

    @field_validator("*")
    @classmethod
    def _fold(cls, values: list[str]) -> list[str]:
        return [str(v).strip().casefold() for v in values]


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

    @field_validator("activities", mode="before")
    @classmethod
    def _known_activities(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key in value:
                if key not in ACTIVITY_IDS:
                    raise PydanticCustomError(
                        "activity_key",
                        "unknown activity; expected one of " + ", ".join(ACTIVITY_IDS),
                        {"key": key},
                    )
            for key in ACTIVITY_IDS:
                if key not in value:
                    raise PydanticCustomError("activity_key", "activity missing", {"key": key})
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


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys: the second one would silently win."""


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key '{key}'", problem_mark=key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def _one_line(error: ValidationError) -> str:
    """The first problem as ``field.path: message``, plus how many more there are."""
    errors = error.errors(include_url=False)
    first = errors[0]
    loc = [str(part) for part in first["loc"]]
    if first["type"] == "activity_key":
        loc.append(str((first.get("ctx") or {})["key"]))
    message = {"missing": "required field missing", "extra_forbidden": "unknown field"}.get(
        first["type"], first["msg"].removeprefix("Value error, ")
    )
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{'.'.join(loc) or '(top level)'}: {message}{more}".replace("\n", " ")


def load_policy(path: Path | str | None = None) -> Policy:
    """Load and validate a policy file (default: the packaged Metier OEC policy).

    Every failure is a PolicyError with one line naming the file and the field, so the
    CLI can print it and exit 2.
    """
    file = Path(path) if path is not None else DEFAULT_POLICY
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506
    except (FileNotFoundError, IsADirectoryError):
        raise PolicyError("policy file not found", file) from None
    except UnicodeDecodeError:
        raise PolicyError("not UTF-8 text", file) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise PolicyError(f"YAML syntax error at {where}{exc.problem}", file) from None
    except yaml.YAMLError as exc:
        raise PolicyError(f"YAML error: {exc}".replace("\n", " "), file) from None
    if not isinstance(data, dict):
        raise PolicyError(
            "the file must hold a mapping (version, controller, activities, ...)", file
        )
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(_one_line(exc), file) from None
    policy._path = file
    return policy
