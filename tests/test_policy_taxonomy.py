"""Data categories and uses are keys of the installed fideslang taxonomy: an unknown key
is a policy error naming the file and the key, a deprecated one a warning line that
names fideslang's replacement. The shipped policy and columns.yaml use only current keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.test_cli import ropa
from tests.test_policy_model import write_variant

from ropa.errors import PolicyError
from ropa.mapping.detectors import VALUE_DETECTORS
from ropa.mapping.names import COLUMNS_FILE, column_table
from ropa.policy import load_policy, policy_warnings, taxonomy
from ropa.policy.taxonomy import VERSION, check_key, deprecation

CASES = Path(__file__).resolve().parent.parent / "src" / "ropa" / "rules" / "cases"


def error_of(path: Path) -> str:
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    return str(info.value)


def test_fideslang_knows_imprecise_location_and_no_coarse_one() -> None:
    # The issue expected user.location.imprecise to be deprecated for user.location.coarse;
    # the installed fideslang has no such key and keeps imprecise current.
    assert check_key("user.location.imprecise", "data category")
    assert deprecation("user.location.imprecise", "data category") is None
    with pytest.raises(ValueError, match="'user.location.coarse' is not a data category"):
        check_key("user.location.coarse", "data category")


def test_a_deprecated_use_names_the_replacement_fideslang_gives() -> None:
    assert deprecation("personalize.profiling", "data use") == (
        "data use 'personalize.profiling' is deprecated since fideslang 2.1.1 "
        f"(installed {VERSION}); use 'personalize.content.profiling'"
    )


def test_a_deprecated_key_without_replacement_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = dict(taxonomy._keys("data category"))
    keys["user.name"] = keys["user.name"].model_copy(update={"version_deprecated": "3.0.0"})
    monkeypatch.setattr(taxonomy, "_keys", lambda kind: keys)
    assert deprecation("user.name", "data category") == (
        "data category 'user.name' is deprecated since fideslang 3.0.0 "
        f"(installed {VERSION}); fideslang names no replacement"
    )


@pytest.mark.parametrize(
    ("field", "key", "kind"),
    [
        ("data_categories", "user.location.coarse", "data category"),
        ("data_uses", "marketing.newsletter", "data use"),
    ],
)
def test_an_unknown_key_names_the_file_the_field_and_the_key(
    tmp_path: Path, field: str, key: str, kind: str
) -> None:
    path = write_variant(tmp_path, lambda d: d["activities"]["web"][field].append(key))
    assert error_of(path) == (
        f"{path}: activities.web.{field}: '{key}' is not a {kind} of fideslang {VERSION}"
    )


def test_an_unknown_special_category_names_the_key(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["activities"]["customers"]["special_categories"][0]["category"] = "user.genetic"

    assert error_of(write_variant(tmp_path, change)).endswith(
        "activities.customers.special_categories.0.category: "
        f"'user.genetic' is not a data category of fideslang {VERSION}"
    )


def test_a_deprecated_use_is_a_warning_not_an_error(tmp_path: Path) -> None:
    path = write_variant(
        tmp_path, lambda d: d["activities"]["web"]["data_uses"].append("personalize.profiling")
    )
    assert policy_warnings(load_policy(path)) == [
        f"{path}: activities.web.data_uses: "
        + str(deprecation("personalize.profiling", "data use"))
    ]


def test_the_command_line_prints_the_deprecation_as_a_warning_line(tmp_path: Path) -> None:
    path = write_variant(
        tmp_path, lambda d: d["activities"]["web"]["data_uses"].append("personalize.profiling")
    )
    proc = ropa("policy", "--policy", str(path), "--out", str(tmp_path / "ropa.xlsx"))
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"warning: {path}: activities.web.data_uses: data use ")
    assert line.endswith("use 'personalize.content.profiling'")
    assert (tmp_path / "ropa.xlsx").exists()


def test_the_shipped_policy_uses_no_deprecated_key() -> None:
    assert policy_warnings(load_policy()) == []


def _categories(node: Any) -> Iterator[str]:
    """Every value of a ``category`` key anywhere in a YAML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "category" and isinstance(value, str):
                yield value
            else:
                yield from _categories(value)
    elif isinstance(node, list):
        for item in node:
            yield from _categories(item)


def _mapping_categories() -> dict[str, set[str]]:
    table = column_table(COLUMNS_FILE)
    found = {
        "columns.yaml": {c for c in table.canonical.values() if c}
        | {c for cols in table.by_kind.values() for c in cols.values() if c}
        | {s.category for s in table.synonyms},
        "mapping/detectors.py": {category for category, _ in VALUE_DETECTORS},
    }
    for case in sorted(CASES.glob("*.yaml")):
        found[f"rules/cases/{case.name}"] = set(_categories(yaml.safe_load(case.read_text())))
    return found


@pytest.mark.parametrize("where", list(_mapping_categories()))
def test_the_data_map_gives_only_current_fideslang_categories(where: str) -> None:
    categories = _mapping_categories()[where]
    for key in sorted(categories):
        assert check_key(key, "data category") == key, where
        assert deprecation(key, "data category") is None, (where, key)


def test_columns_yaml_names_the_categories_the_data_map_relies_on() -> None:
    found = _mapping_categories()["columns.yaml"]
    assert {"user.contact.email", "user.location.imprecise", "user.health_and_medical"} <= found
