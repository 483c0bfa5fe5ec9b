"""``sources.yaml``: optional hints in the data folder for files ropa cannot recognise.

Example::

    # data/sources.yaml
    files:
      "crm/kontakter 2026.csv":     # path relative to the data folder, "/" separators
        kind: crm                   # one of: newsletter_subscribed, newsletter_unsubscribed,
                                    #   newsletter_cleaned, crm, registrations, visitors,
                                    #   inquiries, analytics, requests
        columns:                    # header as in the file -> canonical column
          "Epost adresse": email
          "Kundetype": lifecycle_stage
      "skjema/henvendelser.xlsx":
        columns: {"Innsendt": created_time}   # kind still detected from the header
    ignore:                         # shell-style globs on the relative path ("*" crosses "/")
      - "archive/*"
      - "*.bak.csv"

A pinned ``kind`` skips header detection; ``columns`` are applied before the vendor
headers. Paths must stay inside the data folder: absolute paths and ``..`` are
rejected without being read. Ignored files are listed as skipped ("ignored by
sources.yaml"), never silently dropped. A mistake never stops the audit: the entry (or,
for broken YAML, the whole file) is left out and the reason is listed under
``sources.yaml`` among the skipped files; ``load_sources_yaml(..., strict=True)``
raises SourceError instead.
"""

from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any

import yaml

from ropa.errors import SourceError
from ropa.sources.canonical import KINDS
from ropa.sources.eventbrite import QUESTIONS

NAME = "sources.yaml"
_EXTRA = {"registrations": {name for name, _ in QUESTIONS}}


@dataclass(frozen=True)
class FilePin:
    kind: str | None = None
    columns: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SourcesConfig:
    files: dict[str, FilePin] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # value-free; each names the entry that was left out

    def ignored(self, rel: str) -> bool:
        return any(fnmatch.fnmatchcase(rel, pattern) for pattern in self.ignore)


def load_sources_yaml(data_dir: Path, *, strict: bool = False) -> SourcesConfig:
    """The data folder's sources.yaml (empty config when there is none).

    Entries that cannot be used are left out and described in ``problems``; with
    ``strict`` the first one raises SourceError naming sources.yaml.
    """
    path = data_dir / NAME
    if not path.is_file():
        return SourcesConfig()
    problems: list[str] = []

    def fail(message: str) -> None:
        if strict:
            raise SourceError(message, path)
        problems.append(message)

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        fail(f"not valid YAML (line {line}); file ignored")
        return SourcesConfig(problems=tuple(problems))
    except (yaml.YAMLError, UnicodeDecodeError):
        fail("not valid YAML; file ignored")
        return SourcesConfig(problems=tuple(problems))
    if not isinstance(doc, dict) or set(doc) - {"files", "ignore"}:
        fail("top level must be a mapping with 'files' and/or 'ignore'; file ignored")
        return SourcesConfig(problems=tuple(problems))
    files: dict[str, FilePin] = {}
    entries = doc.get("files") or {}
    if not isinstance(entries, dict):
        fail("'files' must be a mapping; entries ignored")
        entries = {}
    for rel, spec in entries.items():
        try:
            clean = safe_rel(rel)
            if not (data_dir / clean).is_file():
                raise SourceError(f"files entry {clean!r} does not exist")
            files[clean] = _pin(rel, spec)
        except SourceError as exc:
            fail(f"{exc.message}; entry ignored")
    ignore = doc.get("ignore") or []
    if not isinstance(ignore, list) or not all(isinstance(g, str) for g in ignore):
        fail("'ignore' must be a list of glob patterns; ignored")
        ignore = []
    return SourcesConfig(files, tuple(ignore), tuple(problems))


def safe_rel(rel: object) -> str:
    """A relative path inside the data folder, with "/" separators; else SourceError."""
    text = str(rel).replace("\\", "/")
    if not text.strip() or posixpath.isabs(text) or PureWindowsPath(str(rel)).drive:
        raise SourceError(f"files entry {str(rel)!r} is not a path relative to the data folder")
    clean = posixpath.normpath(text)
    if clean in {"..", "."} or clean.startswith("../"):
        raise SourceError(f"files entry {str(rel)!r} points outside the data folder")
    return clean


def _pin(rel: object, spec: Any) -> FilePin:
    spec = spec or {}
    if not isinstance(spec, dict) or set(spec) - {"kind", "columns"}:
        raise SourceError(f"files entry {str(rel)!r} may only have 'kind' and 'columns'")
    kind = spec.get("kind")
    if kind is not None and kind not in KINDS:
        raise SourceError(f"files entry {str(rel)!r}: unknown kind {str(kind)!r}")
    allowed = (
        set(KINDS[kind].columns) | _EXTRA.get(kind, set())
        if kind
        else {c for k in KINDS.values() for c in k.columns} | _EXTRA["registrations"]
    )
    columns = spec.get("columns") or {}
    if not isinstance(columns, dict):
        raise SourceError(f"files entry {str(rel)!r}: 'columns' must be a mapping")
    for canon in columns.values():
        if not isinstance(canon, str) or canon not in allowed:
            where = f" of kind {kind}" if kind else ""
            raise SourceError(f"files entry {str(rel)!r}: {str(canon)!r} is not a column{where}")
    return FilePin(kind, {str(h): c for h, c in columns.items()})
