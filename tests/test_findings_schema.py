"""The findings schema is the one contract: the docs, dtypes, parquet and workbook follow it."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from ropa.enums import SEVERITIES, Coverage, GapReason, NotChecked, Severity
from ropa.findings import empty_findings, make_findings
from ropa.findings_schema import (
    ARROW_SCHEMA,
    DTYPES,
    FINDING_COLUMNS,
    FINDING_FIELDS,
    WIDTHS,
    markdown_table,
    write_docs,
)
from ropa.report.columns import _WIDTHS
from ropa.rules import ALL_RULES
from ropa.rules.base import Rule

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "architecture.md"
BLOCK = re.compile(
    r"<!-- findings-schema: start \(generated\) -->\n(.*?)<!-- findings-schema: end -->", re.S
)


def test_the_docs_table_is_the_schema() -> None:
    """docs/architecture.md holds the table ``python -m ropa.findings_schema`` prints."""
    found = BLOCK.findall(DOCS.read_text(encoding="utf-8"))
    assert found == [markdown_table()], "regenerate it: python -m ropa.findings_schema"
    documented = re.findall(r"^\| `([a-z_]+)` \|", found[0], re.M)
    assert documented == FINDING_COLUMNS


def test_the_readme_lists_the_columns_in_order() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"columns `{', '.join(FINDING_COLUMNS)}`" in readme


def test_write_docs_regenerates_the_table_and_the_readme_list(tmp_path: Path) -> None:
    """A new column is the schema row and the rule: the docs follow by one command."""
    (tmp_path / "docs").mkdir()
    stale_docs = BLOCK.sub(
        "<!-- findings-schema: start (generated) -->\n| old |\n<!-- findings-schema: end -->",
        DOCS.read_text(encoding="utf-8"),
    )
    (tmp_path / "docs" / "architecture.md").write_text(stale_docs, encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stale_readme = readme.replace(", ".join(FINDING_COLUMNS), "rule_id, severity")
    assert stale_readme != readme
    (tmp_path / "README.md").write_text(stale_readme, encoding="utf-8")
    write_docs(tmp_path)
    assert (tmp_path / "docs" / "architecture.md").read_text(encoding="utf-8") == (
        DOCS.read_text(encoding="utf-8")
    )
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == readme


def test_columns_dtypes_and_parquet_schema_come_from_the_fields() -> None:
    assert [f.name for f in FINDING_FIELDS] == FINDING_COLUMNS
    assert list(DTYPES) == FINDING_COLUMNS
    assert ARROW_SCHEMA.names == FINDING_COLUMNS
    assert ARROW_SCHEMA.field("row").type == pa.int64()
    frame = empty_findings()
    assert list(frame.columns) == FINDING_COLUMNS
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        f.name: ("Int64" if f.name == "row" else "string") for f in FINDING_FIELDS
    }
    assert all(f.description and f.width > 0 for f in FINDING_FIELDS)


def test_the_findings_sheet_widths_are_the_schemas() -> None:
    assert {name: _WIDTHS[name] for name in FINDING_COLUMNS} == WIDTHS


def test_make_findings_takes_any_schema_column_and_refuses_others() -> None:
    class Rule:
        id, severity, activity, policy_ref = "R-1", "low", "all", "1.1"

    frame = make_findings(Rule(), source=pd.Series(["a.csv"]), detail="d")
    assert frame.iloc[0][["rule_id", "severity", "activity", "policy_ref"]].tolist() == [
        "R-1", "low", "all", "1.1",
    ]  # fmt: skip
    assert frame[["row", "subject_key", "exception"]].isna().all().all()
    with pytest.raises(TypeError, match="no findings column colour"):
        make_findings(Rule(), source=pd.Series(["a.csv"]), colour="red")


def test_severities_are_one_enum_and_a_misspelt_one_fails_at_import() -> None:
    assert [str(s) for s in Severity] == list(SEVERITIES) == ["critical", "high", "medium", "low"]
    assert all(isinstance(rule.severity, Severity) for rule in ALL_RULES)
    assert f"{Severity.HIGH}" == "high" and {"high": 1}[Severity.HIGH] == 1
    with pytest.raises(ValueError, match="'hgh' is not a valid Severity"):

        class Misspelt(Rule):
            severity = "hgh"


def test_reasons_keep_their_words() -> None:
    assert [str(c) for c in Coverage] == ["full", "partial", "not evaluable", "not checked"]
    assert NotChecked.NO_EXPORT.format(kinds="crm or web") == "not checked: no crm or web export"
    assert GapReason.NO_COLUMN.format(header="Lifecycle Stage") == "no 'Lifecycle Stage' column"
    assert GapReason.WITHOUT.format(what="an e-mail address") == "without an e-mail address"
