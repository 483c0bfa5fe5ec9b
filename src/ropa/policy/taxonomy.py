"""The fideslang taxonomy the policy's data categories and uses come from.

Keys are checked against the taxonomy of the installed fideslang (``VERSION``): a key
it lacks is an error, a key it marks deprecated is reported with the replacement it
names (``replaced_by``), if any.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from typing import Any

VERSION = version("fideslang")
# What a key is called in messages -> the DEFAULT_TAXONOMY list holding such keys.
KINDS = {"data category": "data_category", "data use": "data_use"}


@cache
def _keys(kind: str) -> dict[str, Any]:
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    return {item.fides_key: item for item in getattr(DEFAULT_TAXONOMY, KINDS[kind])}


def category(key: str) -> Any | None:
    """The fideslang data category ``key`` (``None`` when the taxonomy lacks it)."""
    return _keys("data category").get(key)


def category_name(key: str) -> str:
    """A data category as a reader knows it: its taxonomy name and, so it can be looked
    up, its key ("Contact Email (user.contact.email)"); the key alone when unknown."""
    found = category(key)
    name = found.name.removeprefix("User ") if found is not None and found.name else None
    return f"{name} ({key})" if name else key


def check_key(key: str, kind: str) -> str:
    """``key`` if the taxonomy has it as a ``kind`` ("data category", "data use");
    a ValueError naming the key otherwise (pydantic reports it with the field)."""
    if key not in _keys(kind):
        raise ValueError(f"'{key}' is not a {kind} of fideslang {VERSION}")
    return key


def deprecation(key: str, kind: str) -> str | None:
    """Why ``key`` should be replaced, when the taxonomy marks it deprecated."""
    item = _keys(kind).get(key)
    if item is None or not item.version_deprecated:
        return None
    use = f"use '{item.replaced_by}'" if item.replaced_by else "fideslang names no replacement"
    return (
        f"{kind} '{key}' is deprecated since fideslang {item.version_deprecated} "
        f"(installed {VERSION}); {use}"
    )
