"""Where ropa's package data lives, in one place.

Everything ropa reads besides the user's exports ships inside the package (``ropa`` in
the wheel, ``src/ropa`` in the repository), so an installed wheel audits with the same
reviewed suites, policy and vocabularies as a checkout. Nothing here climbs out of the
package: the repository's ``expectations/`` is a link to ``EXPECTATIONS_DIR``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
POLICY_FILE = PACKAGE / "policy" / "policy.yaml"
GAPS_FILE = PACKAGE / "policy" / "gaps.yaml"
COLUMNS_FILE = PACKAGE / "mapping" / "columns.yaml"
VENDORS_DIR = PACKAGE / "sources" / "vendors"
REMEDIATION_FILE = PACKAGE / "remediation.yaml"
LANG_DIR = PACKAGE / "report" / "lang"
EXPECTATIONS_DIR = PACKAGE / "expectations"
DATADOCS_STATIC = PACKAGE / "suites" / "datadocs_static"

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
]
