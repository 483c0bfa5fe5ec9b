"""The words of the workbook per language, from ``report/lang/<lang>.yaml``.

English is the default and reproduces the workbook as it always was; ``nb`` (Norwegian
bokmål) writes the ROPA as a "protokoll over behandlingsaktiviteter" for Datatilsynet.
Only headings, labels and sheet names are translated: machine values (rule ids,
fideslang keys, findings.csv) stay as they are.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ropa.errors import UsageError
from ropa.paths import LANG_DIR, read_yaml

LANGS = ("en", "nb")


class Catalogue:
    """``t("summary.title")`` is the text under that dotted key; ``t(key, **values)``
    fills its ``{placeholders}``."""

    def __init__(self, lang: str, data: dict[str, Any]) -> None:
        self.lang = lang
        self.data = data

    def __call__(self, key: str, **values: Any) -> str:
        node: Any = self.data
        for part in key.split("."):
            node = node[part]
        return node.format(**values) if values else node

    def column(self, name: object) -> str:
        """The header shown for a machine column name (the name itself when not listed)."""
        return self.data["columns"].get(str(name), str(name))

    def word(self, group: str, key: str) -> str:
        """A word of a group (``ropa.bases``, ``ropa.rights``); the key itself if unknown."""
        node: Any = self.data
        for part in group.split("."):
            node = node[part]
        return node.get(key, key)


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UsageError(f"--lang must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


@cache
def catalogue(lang: str = "en") -> Catalogue:
    check_lang(lang)
    return Catalogue(lang, read_yaml(LANG_DIR / f"{lang}.yaml"))
