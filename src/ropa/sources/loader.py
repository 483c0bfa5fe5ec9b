"""Load one file or a whole data folder into LoadedSources; describe what was loaded."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ropa.errors import SourceError
from ropa.progress import ProgressLike, step
from ropa.sources import (
    envoy,
    eventbrite,
    ga4,
    hubspot,
    inquiries,
    mailchimp,
    requests_log,
)
from ropa.sources.base import Inventory, LoadedSource, SkippedFile
from ropa.sources.canonical import KINDS
from ropa.sources.common import STRING, canonicalise
from ropa.sources.detect import detect_kind, sniff
from ropa.sources.readers import read
from ropa.sources.sources_yaml import NAME as SOURCES_YAML
from ropa.sources.sources_yaml import SourcesConfig, load_sources_yaml

FINISH = {
    "newsletter_subscribed": mailchimp.finish,
    "newsletter_unsubscribed": mailchimp.finish,
    "newsletter_cleaned": mailchimp.finish,
    "crm": hubspot.finish,
    "registrations": eventbrite.finish,
    "visitors": envoy.finish,
    "inquiries": inquiries.finish,
    "analytics": ga4.finish,
    "requests": requests_log.finish,
}

# The time column that dates a record, per kind (first one present with values).
MAIN_TIME = {
    "newsletter_subscribed": ("optin_time", "confirm_time", "last_changed_time"),
    "newsletter_unsubscribed": ("unsub_time", "last_changed_time"),
    "newsletter_cleaned": ("clean_time", "last_changed_time"),
    "crm": ("create_time", "last_activity_time"),
    "registrations": ("event_time", "order_time"),
    "visitors": ("signed_in_time",),
    "inquiries": ("created_time", "updated_time"),
    "analytics": ("event_time",),
    "requests": ("received_time",),
}

_NOT_EXPORTS = {"manifest.json", SOURCES_YAML}


def _rel(path: Path, data_dir: Path) -> str:
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(data_dir))
    if rel == ".." or rel.startswith(".." + os.sep) or os.path.isabs(rel):
        raise SourceError("file is outside the data folder", path)
    return rel.replace(os.sep, "/")


def load_file(
    path: Path,
    data_dir: Path,
    kind: str | None = None,
    *,
    config: SourcesConfig | None = None,
) -> LoadedSource:
    """Read one export; SourceError (value-free reason) when it is not a known export."""
    path, data_dir = Path(path), Path(data_dir)
    rel = _rel(path, data_dir)
    if config is None:
        config = load_sources_yaml(data_dir) if data_dir.is_dir() else SourcesConfig()
    pin = config.files.get(rel)
    kind = kind or (pin.kind if pin else None)
    columns = pin.columns if pin else {}
    if kind is not None and kind not in KINDS:
        raise SourceError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})", rel)
    try:
        sn = sniff(path)
        kind = kind or detect_kind(sn.header, columns)
        raw = read(path, sn)
        spec = KINDS[kind]
        frame, headers = canonicalise(raw.frame, raw.raw, spec, columns)
        problems = list(raw.problems)
        frame = FINISH[kind](frame, headers, problems)
    except SourceError as exc:
        raise SourceError(exc.message, rel) from None
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror or type(exc).__name__})", rel) from None
    except (pa.ArrowException, ValueError, TypeError, KeyError, IndexError) as exc:
        # a file no reader path expected; the message could quote cell values, so only
        # the error type is reported
        raise SourceError(f"could not be read ({type(exc).__name__})", rel) from None
    missing = [spec.columns[c][0] for c in spec.required if c not in frame.columns]
    if missing:
        problems.append("required columns not found: " + ", ".join(f"'{m}'" for m in missing))
    frame["_source"] = pd.array(np.full(len(frame), rel, dtype=object), dtype=STRING)
    frame["_row"] = raw.rows.astype(np.int64)
    return LoadedSource(
        path=path,
        rel=rel,
        kind=kind,
        activity=spec.activity,
        frame=frame.reset_index(drop=True),
        headers=headers,
        file_format=sn.file_format,
        encoding=raw.encoding if sn.file_format == "csv" else sn.encoding,
        delimiter=sn.delimiter,
        problems=problems,
    )


def _walk(data_dir: Path) -> list[str]:
    found: list[str] = []
    for root, dirs, files in os.walk(data_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith((".", "~$")):  # hidden, Office lock files
                continue
            found.append(_rel(Path(root) / name, data_dir))
    return sorted(found)


def load_folder(data_dir: Path, *, progress: ProgressLike | None = None) -> Inventory:
    """Every file under ``data_dir`` (recursive, sorted): loaded, or listed with why not."""
    data_dir = Path(data_dir)
    if not data_dir.exists():
        raise SourceError("data folder does not exist", data_dir)
    if not data_dir.is_dir():
        raise SourceError("data folder is not a folder", data_dir)
    config = load_sources_yaml(data_dir)
    inventory = Inventory(data_dir=data_dir)
    inventory.skipped += [SkippedFile(SOURCES_YAML, p) for p in config.problems]
    root = data_dir.resolve()
    for rel in _walk(data_dir):
        if rel.rsplit("/", 1)[-1] in _NOT_EXPORTS:
            continue
        if config.ignored(rel):
            inventory.skipped.append(SkippedFile(rel, "ignored by sources.yaml"))
            continue
        path = data_dir / rel
        if not path.resolve().is_relative_to(root):
            inventory.skipped.append(SkippedFile(rel, "link points outside the data folder"))
            continue
        with step(progress, rel):
            try:
                inventory.sources.append(load_file(path, data_dir, config=config))
            except SourceError as exc:
                inventory.skipped.append(SkippedFile(rel, exc.message))
    return inventory


def describe(src: LoadedSource) -> dict[str, Any]:
    """One line of the ``ropa sources`` table: how the file was read and its date range."""
    info: dict[str, Any] = {
        "file": src.rel,
        "kind": src.kind,
        "activity": src.activity,
        "format": src.file_format,
        "encoding": src.encoding,
        "delimiter": src.delimiter,
        "rows": src.rows,
        "columns": sum(not c.startswith("_") for c in src.frame.columns),
        "time_column": None,
        "date_min": None,
        "date_max": None,
        "problems": list(src.problems),
    }
    for col in MAIN_TIME.get(src.kind, ()):
        if col in src.frame.columns and src.frame[col].notna().any():
            times = src.frame[col]
            info.update(time_column=col, date_min=times.min().date(), date_max=times.max().date())
            break
    return info
