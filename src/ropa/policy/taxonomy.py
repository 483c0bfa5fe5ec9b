"""The fideslang taxonomy the policy's data categories and uses come from."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _categories() -> dict[str, Any]:
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    return {c.fides_key: c for c in DEFAULT_TAXONOMY.data_category}


def category(key: str) -> Any | None:
    """The fideslang data category ``key`` (``None`` when the taxonomy lacks it)."""
    return _categories().get(key)


def category_name(key: str) -> str:
    """A data category as a reader knows it: its taxonomy name and, so it can be looked
    up, its key ("Contact Email (user.contact.email)"); the key alone when unknown."""
    found = category(key)
    name = found.name.removeprefix("User ") if found is not None and found.name else None
    return f"{name} ({key})" if name else key
