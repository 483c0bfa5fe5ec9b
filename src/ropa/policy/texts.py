"""The strict base of every policy model, and the Norwegian variants of its prose.

A policy file may give, beside an item's English prose, ``nb:``: a mapping from field
names to the text in Norwegian. Only prose fields may have one; keys and numbers
(sections, data categories, articles, periods) are the same in every language.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, model_validator


class StrictModel(BaseModel):
    """Unknown fields are errors (a typo must not read as "the policy is silent")."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# Fields that hold keys or numbers, never prose: an `nb:` mapping may not replace them.
_NOT_TEXT = {"section", "data_categories", "data_uses", "category", "condition", "article",
             "basis", "period", "version", "timezone", "rights"}  # fmt: skip
_TEXT_TYPES = (str, str | None, list[str])


class Texts(StrictModel):
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
        if isinstance(value, Texts):
            update.update(value._nb)
        return value.model_copy(update=update)  # keeps private attributes (the path)
    if isinstance(value, list):
        return [localised(v, lang) for v in value]
    if isinstance(value, dict):
        return {k: localised(v, lang) for k, v in value.items()}
    return value
