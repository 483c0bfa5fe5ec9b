"""The findings schema: one row per column of findings.csv / findings.parquet.

Everything that names or shapes a findings column is derived from ``FINDING_FIELDS``:
the column order (``FINDING_COLUMNS``), the pandas dtypes (``DTYPES``), the parquet
schema (``ARROW_SCHEMA``), the columns kept as categories while an audit collects
(``COMPACT``), the columns a rule's own attributes fill (``FROM_RULE``), the widths of
the workbook's Findings sheet (``WIDTHS``) and the table in docs/architecture.md
(``markdown_table``; a test keeps the two equal). A new column is one row here and the
rule that fills it (``make_findings(..., name=values)``); the workbook's header is the
name itself unless ``report/lang/<lang>.yaml`` translates it.

``python -m ropa.findings_schema`` prints the docs table; ``--write`` (run in the
repository) regenerates it and the column list in README.md.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from ropa.dtypes import STRING
from ropa.enums import SEVERITIES

INT = "Int64"  # a nullable integer (``row``)


@dataclass(frozen=True)
class FindingField:
    """One findings column: its name, pandas dtype, arrow type, width in the workbook's
    Findings sheet (Excel units) and what it holds. ``compact``: the values repeat from
    finding to finding (kept as categories while an audit collects a million findings);
    ``from_rule``: the rule attribute that fills the column when the rule gives none."""

    name: str
    dtype: Any
    arrow_type: pa.DataType
    width: float
    description: str
    compact: bool = False
    from_rule: str | None = None


FINDING_FIELDS: tuple[FindingField, ...] = (
    FindingField(
        "rule_id", STRING, pa.string(), 24,
        "the rule that found it (`RET-VISITOR`, ...); `POLICY-GAP` for a gap in the policy",
        compact=True, from_rule="id",
    ),
    FindingField(
        "severity", STRING, pa.string(), 9,
        ", ".join(f"`{s}`" for s in SEVERITIES[:-1]) + f" or `{SEVERITIES[-1]}`",
        compact=True, from_rule="severity",
    ),
    FindingField(
        "activity", STRING, pa.string(), 15,
        "the processing activity (policy key) the rule checks; `all` for the data map",
        compact=True, from_rule="activity",
    ),
    FindingField(
        "policy_ref", STRING, pa.string(), 16,
        "the policy clause or GDPR article the finding is against",
        compact=True, from_rule="policy_ref",
    ),
    FindingField(
        "source", STRING, pa.string(), 32,
        "the file relative to the data folder (for a policy gap: the policy file)",
        compact=True,
    ),
    FindingField(
        "row", INT, pa.int64(), 7,
        "the 1-based data row (the first row after the header is 1; JSONL: the line); "
        "empty for column-level findings and policy gaps",
    ),
    FindingField(
        "column", STRING, pa.string(), 20,
        "the column header, for column-level findings (the data map); else empty",
        compact=True,
    ),
    FindingField(
        "subject_key", STRING, pa.string(), 18,
        "first 16 hex digits of HMAC-SHA256(key, normalised e-mail, else E.164 phone): "
        "the same person has the same key in every source, and the key reveals no value",
    ),
    FindingField(
        "detail", STRING, pa.string(), 56,
        "why the row was flagged, in words, without personal values",
        compact=True,
    ),
    FindingField(
        "finding_id", STRING, pa.string(), 18,
        "keyed hash of rule, source kind and the record's natural key: stable across "
        "renamed or reordered exports",
    ),
    FindingField(
        "exception", STRING, pa.string(), 14,
        "the id of the exception that accepts the finding, else empty",
    ),
)  # fmt: skip

FINDING_COLUMNS = [f.name for f in FINDING_FIELDS]
DTYPES: dict[str, Any] = {f.name: f.dtype for f in FINDING_FIELDS}
ARROW_SCHEMA = pa.schema([(f.name, f.arrow_type) for f in FINDING_FIELDS])
COMPACT = tuple(f.name for f in FINDING_FIELDS if f.compact)
FROM_RULE = {f.name: f.from_rule for f in FINDING_FIELDS if f.from_rule}
WIDTHS = {f.name: f.width for f in FINDING_FIELDS}
# The one order of findings (``findings.sort_findings``).
SORT_COLUMNS = ["rule_id", "source", "row", "column"]


def markdown_table() -> str:
    """The findings columns as the Markdown table docs/architecture.md holds."""
    lines = ["| column | type | what it holds |", "| --- | --- | --- |"]
    lines += [f"| `{f.name}` | {f.arrow_type} | {f.description} |" for f in FINDING_FIELDS]
    return "\n".join(lines) + "\n"


_DOCS_BLOCK = re.compile(
    r"(<!-- findings-schema: start \(generated\) -->\n).*?(<!-- findings-schema: end -->)", re.S
)
_README_LIST = re.compile(r"(one row per finding, columns\s+`)[^`]*(`)")


def write_docs(root: Path) -> list[Path]:
    """Regenerate what the docs say of the columns: the table in docs/architecture.md and
    the list in README.md (``python -m ropa.findings_schema --write``)."""
    docs, readme = root / "docs" / "architecture.md", root / "README.md"
    text = docs.read_text(encoding="utf-8")
    docs.write_text(_DOCS_BLOCK.sub(lambda m: m[1] + markdown_table() + m[2], text), "utf-8")
    text = readme.read_text(encoding="utf-8")
    listed = ", ".join(FINDING_COLUMNS)
    readme.write_text(_README_LIST.sub(lambda m: m[1] + listed + m[2], text), "utf-8")
    return [docs, readme]


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        for path in write_docs(Path.cwd()):
            print(f"wrote {path}")
    else:
        print(markdown_table(), end="")
