"""Suites: the rules' expectations gathered per source kind, as GX suite JSON.

``expectations/<kind>.json`` is the reviewable statement of what the audit checks. Each
suite records in ``meta.ropa.windows`` the policy windows its expectations were built
from. The audit uses a suite file when those windows equal the policy's; when the file is
missing, unreadable as a suite, or built from other windows, the suite is built from the
policy in memory instead and a value-free note says so (the policy is the source of the
numbers; a stale file must never silently win). Hand edits that keep the windows (a
removed expectation, a reworded ``explains``) are honoured.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

from ropa.atomic import atomic_write
from ropa.errors import RopaError
from ropa.paths import EXPECTATIONS_DIR
from ropa.rules import KINDS, RULES_BY_ID, rules_for


def suite_windows(policy: Any, kind: str) -> dict[str, int]:
    names = sorted({w for rule in rules_for(kind) for w in rule.windows})
    return {name: int(getattr(policy.windows, name)) for name in names}


def build_suite(policy: Any, kind: str) -> dict[str, Any]:
    """One kind's suite: every rule's expectations, in ALL_RULES order."""
    expectations = [e for rule in rules_for(kind) for e in rule.expectations(policy)]
    return {
        "name": kind,
        "expectations": expectations,
        "meta": {
            "ropa": {
                "kind": kind,
                "rules": [rule.id for rule in rules_for(kind)],
                "windows": suite_windows(policy, kind),
                "generated_by": "ropa suites; numbers from the policy windows below",
            }
        },
    }


def build_suites(policy: Any) -> dict[str, dict[str, Any]]:
    """One suite per source kind (including ``data_map``)."""
    return {kind: build_suite(policy, kind) for kind in KINDS}


def suite_json(suite: dict[str, Any]) -> str:
    """Stable text: sorted keys, indent 2, trailing newline."""
    return json.dumps(suite, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_suites(policy: Any, out_dir: Path | str) -> list[Path]:
    """Write ``<kind>.json`` for every kind; returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, suite in build_suites(policy).items():
        path = out / f"{kind}.json"
        atomic_write(path, partial(Path.write_bytes, data=suite_json(suite).encode("utf-8")))
        written.append(path)
    return written


def load_suite(kind: str, directory: Path | str | None = None) -> dict[str, Any]:
    """Read one suite file (raises RopaError naming the file when it is not a suite)."""
    path = Path(directory or EXPECTATIONS_DIR) / f"{kind}.json"
    try:
        suite = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RopaError("suite file not found; run `ropa suites`", path) from exc
    except (OSError, json.JSONDecodeError) as exc:
        raise RopaError(f"not a readable suite file ({type(exc).__name__})", path) from exc
    _check_suite(suite, path)
    return suite


def _check_suite(suite: Any, path: Path | str) -> None:
    if not isinstance(suite, dict) or not isinstance(suite.get("expectations"), list):
        raise RopaError("not a GX suite (no 'expectations' list)", path)
    for number, expectation in enumerate(suite["expectations"], start=1):
        rule_id = (expectation.get("meta") or {}).get("rule_id")
        if rule_id not in RULES_BY_ID:
            raise RopaError(
                f"expectation {number} has no known meta.rule_id; every expectation must "
                "name the rule it checks",
                path,
            )


def load_suites(
    directory: Path | str | None = None, policy: Any = None
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Suites for an audit: the files in ``directory`` where valid for ``policy``.

    Returns the suites by kind and notes for every kind built in memory instead.
    Without ``policy`` the files are returned as they are (missing kinds are skipped).
    """
    folder = Path(directory or EXPECTATIONS_DIR)
    suites: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    for kind in KINDS:
        path = folder / f"{kind}.json"
        try:
            suite = load_suite(kind, folder)
        except RopaError as exc:
            if policy is None:
                if path.exists():
                    raise
                continue
            reason = "missing" if not path.exists() else exc.message
            notes.append(f"{path.name}: {reason}; built from the policy")
            suites[kind] = build_suite(policy, kind)
            continue
        if policy is not None:
            recorded = ((suite.get("meta") or {}).get("ropa") or {}).get("windows")
            if recorded != suite_windows(policy, kind):
                notes.append(f"{path.name}: built from other policy windows; built from the policy")
                suite = build_suite(policy, kind)
        suites[kind] = suite
    return suites, notes


__all__ = [
    "EXPECTATIONS_DIR",
    "build_suite",
    "build_suites",
    "load_suite",
    "load_suites",
    "suite_json",
    "write_suites",
]
