"""Reading a policy file: YAML without surprises, the model's validation, and the checks
that need more than the file (every rule's and source's activity is in it).

Every failure is a PolicyError with one line naming the file and the field, so the CLI
can print it and exit 2. What is valid but worth a look (a deprecated fideslang key) is
returned by ``policy_warnings`` for the CLI to print as warning lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ropa.errors import PolicyError
from ropa.policy.model import DEFAULT_POLICY, Policy
from ropa.policy.taxonomy import deprecation


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
    message = {"missing": "required field missing", "extra_forbidden": "unknown field"}.get(
        first["type"], first["msg"].removeprefix("Value error, ")
    )
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{'.'.join(loc) or '(top level)'}: {message}{more}".replace("\n", " ")


def activity_users() -> dict[str, list[str]]:
    """Per activity id, what in ropa checks or reads it: the rules (``Rule.activity``;
    "all" is every activity) and the source kinds (``activity`` in sources/vendors)."""
    from ropa.rules import ALL_RULES
    from ropa.sources.canonical import KINDS

    users: dict[str, list[str]] = {}
    for rule in ALL_RULES:
        if rule.activity != "all":
            users.setdefault(rule.activity, []).append(f"rule {rule.id}")
    for kind in KINDS.values():
        users.setdefault(kind.activity, []).append(f"source kind {kind.name}")
    return users


def _check_activities(policy: Policy, file: Path) -> None:
    """Every activity a rule or a source kind names is one of the file's."""
    for activity, users in activity_users().items():
        if activity not in policy.activities:
            raise PolicyError(
                f"activities.{activity}: activity missing; {', '.join(users)} refer to it",
                file,
            )


def _check_windows(policy: Policy, file: Path) -> None:
    """Every window a rule declares (``Rule.windows``) is set in the file."""
    from ropa.rules import ALL_RULES

    for rule in ALL_RULES:
        for name in rule.windows:
            if getattr(policy.windows, name, None) is None:
                raise PolicyError(f"windows.{name}: window missing; rule {rule.id} reads it", file)


def policy_warnings(policy: Policy) -> list[str]:
    """One line per deprecated fideslang key the policy uses, naming the file, where
    the key is and the replacement fideslang gives (value-free: keys only)."""
    lines = []
    for activity_id, activity in policy.activities.items():
        where = f"activities.{activity_id}"
        keys = [("data_categories", k, "data category") for k in activity.data_categories]
        keys += [("data_uses", k, "data use") for k in activity.data_uses]
        keys += [("special_categories", s.category, "data category")
                 for s in activity.special_categories]  # fmt: skip
        for field, key, kind in keys:
            why = deprecation(key, kind)
            if why is not None:
                lines.append(f"{policy.path or policy.file_name}: {where}.{field}: {why}")
    return lines


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
    _check_activities(policy, file)
    _check_windows(policy, file)
    policy._path = file
    return policy
