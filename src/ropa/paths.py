"""Where ropa's package data lives, in one place.

Everything ropa reads besides the user's exports ships inside the package (``ropa`` in
the wheel, ``src/ropa`` in the repository), so an installed wheel audits with the same
reviewed suites, policy and vocabularies as a checkout. Nothing here climbs out of the
package: the repository's ``expectations/`` is a link to ``EXPECTATIONS_DIR``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PACKAGE = Path(__file__).resolve().parent
POLICY_FILE = PACKAGE / "policy" / "policy.yaml"
GAPS_FILE = PACKAGE / "policy" / "gaps.yaml"
COLUMNS_FILE = PACKAGE / "mapping" / "columns.yaml"
VENDORS_DIR = PACKAGE / "sources" / "vendors"
REMEDIATION_FILE = PACKAGE / "remediation.yaml"
LANG_DIR = PACKAGE / "report" / "lang"
EXPECTATIONS_DIR = PACKAGE / "expectations"
DATADOCS_STATIC = PACKAGE / "suites" / "datadocs_static"

# libyaml's parser where PyYAML was built with it: every YAML file ropa ships parsed in
# 14 ms instead of 150 ms at each start; the same values (it only parses faster).
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """A YAML file of package data (a vendor vocabulary, the gap texts, the column table,
    a language, the remediation plan), parsed as ``yaml.safe_load`` would."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506


__all__ = [
    "COLUMNS_FILE",
    "DATADOCS_STATIC",
    "EXPECTATIONS_DIR",
    "GAPS_FILE",
    "LANG_DIR",
    "PACKAGE",
    "POLICY_FILE",
    "REMEDIATION_FILE",
    "VENDORS_DIR",
    "read_yaml",
]
