"""The canonical columns every loader returns, in one place.

Loaders rename the vendor headers they recognise to these snake_case names; columns
they do not recognise are kept under their original header so the data map still sees
them. Every frame also carries ``_source`` (path relative to the data folder, forward
slashes) and ``_row`` (1-based data row: the first record after the header is 1; JSONL:
the line number; XLSX: the row below the header on the first sheet).

Types (what ``ropa.sources.common`` exports as STRING, TIME, BOOL, FLOAT, INT):
- ``*_time`` columns: ``datetime64[us, UTC]`` (``pd.DatetimeTZDtype("us", "UTC")``; chosen
  over ArrowDtype timestamps because every ``.dt`` accessor, ``DateOffset`` arithmetic
  and ``to_period`` work on it in pandas 3). Zone-less HubSpot, contact-form and
  Eventbrite date-times are local time in the policy's zone (Europe/Oslo) and converted
  to UTC (autumn's repeated hour: the first, summer-time reading; spring's missing hour:
  shifted forward; never NaT). Mailchimp, Envoy ``(UTC)`` columns, GA4 and the request
  log are UTC already. A value with no time of day (``2026-06-12``, ``12.06.2026``) is a
  calendar date and becomes midnight UTC, so its UTC date is the date exported.
  ``ropa.sources.common.to_utc(series, tz)`` is the one parser; it returns the times and
  the number of unreadable values.
- booleans (``marketing_contact``, ``unsubscribed_all``): ``bool[pyarrow]`` with nulls
  (the dtype ``string[pyarrow]`` comparisons return, so masks combine without casts).
- everything else: ``string[pyarrow]`` (``pd.StringDtype("pyarrow")``, missing = ``pd.NA``;
  text kept as exported, not trimmed, empty cells null), except ``latitude``/``longitude``
  (``double[pyarrow]``) and GA4 ``event_timestamp`` (``int64[pyarrow]``, µs).
- ``_source``: ``string[pyarrow]``; ``_row``: numpy ``int64``.
Unreadable values become null and are counted in ``LoadedSource.problems`` ("2 rows with
unreadable dates in 'Create Date'"), never quoted.

Each entry of ``KINDS`` gives the activity (policy.yaml id) and the canonical columns
with the vendor headers that map to them. Headers are compared by ``common.norm``: case,
spacing and punctuation ignored ("Create Date", "createdate" and "CREATE_DATE" are one
header); the canonical name itself also matches. When two headers map to the same
canonical column the first wins and the other keeps its header; a repeated header keeps
its data as ``Name.1`` (noted in problems).

The vocabulary is data: one YAML file per vendor in ``ropa/sources/vendors/`` (shipped
as package data), read once at import into the ``Kind`` objects below. A file has a
``vendor`` name, optional ``columns`` shared by all its kinds, and ``kinds``: per kind
its ``activity``, ``description``, ``optional_activities``, ``columns`` (canonical ->
list of vendor headers) and one ``fingerprint`` or a list of ``fingerprints`` (several
vendors' exports of one kind). Two files may add to the same kind: the first gives its
activity and description, later ones add columns and fingerprints.

A ``Fingerprint`` says how a vendor's export is recognised (see kinds.py):
``required`` canonical columns that must all be present, ``distinctive`` headers with a
weight (an entry naming a canonical column of the kind counts when one of its listed
vendor headers is present; any other entry is a header that counts as it is, without
being renamed; one ending in ``*`` counts for every header starting with the rest),
and the ``min_score`` their weights must reach. Headers many vendors
share (Email, First Name, Phone, Company, status, created_at) are never distinctive.
``Kind.required`` is what every fingerprint of the kind requires; a file pinned to the
kind by sources.yaml without them gets a note in problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ropa.paths import VENDORS_DIR, read_yaml


@dataclass(frozen=True)
class Fingerprint:
    """How one vendor's export of a kind is recognised (see kinds.py)."""

    vendor: str
    required: tuple[str, ...]  # canonical columns
    distinctive: dict[str, int]  # entry (canonical column or header) -> weight
    headers: dict[str, tuple[str, ...]]  # entry -> the headers that count for it
    min_score: int


@dataclass(frozen=True)
class Kind:
    name: str
    activity: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    description: str = ""
    optional_activities: tuple[str, ...] = field(default_factory=tuple)
    fingerprints: tuple[Fingerprint, ...] = field(default_factory=tuple)
    # the time columns that date a record, first one present with values
    main_time: tuple[str, ...] = ()


# The kinds in report order (a kind not listed comes after these, by name).
KIND_ORDER = (
    "newsletter_subscribed", "newsletter_unsubscribed", "newsletter_cleaned", "crm",
    "registrations", "visitors", "inquiries", "analytics", "requests",
)  # fmt: skip


def vendor_files() -> list[Path]:
    """Every vendor file in ``sources/vendors/``: a new vendor is one YAML file there."""
    return sorted(VENDORS_DIR.glob("*.yaml"), key=lambda path: path.name)


def vendor_doc(name: str) -> dict[str, Any]:
    """One vendor file as data (``labels:`` holds the value vocabularies its loader maps)."""
    return _read_vendor(VENDORS_DIR / f"{name}.yaml")


@cache
def _read_vendor(path: Path) -> dict[str, Any]:
    return read_yaml(path)


def _kind_entries() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(kind, spec, vendor doc) for every kind of every vendor file: kinds in report
    order; for a kind several files describe, those that declare its ``activity`` (they
    define the kind) first, then the others, each group by file name."""
    entries = [
        (kind, spec, doc)
        for doc in map(_read_vendor, vendor_files())
        for kind, spec in doc["kinds"].items()
    ]

    def order(entry: tuple[str, dict[str, Any], dict[str, Any]]) -> tuple[int, str, bool]:
        kind, spec, _ = entry
        rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
        return rank, kind, "activity" not in spec

    return sorted(entries, key=order)  # stable: file names order each group


def _fingerprint(vendor: str, spec: dict[str, Any], columns: dict[str, list[str]]) -> Fingerprint:
    """A canonical column among the distinctive entries stands for the headers this
    vendor file lists for it (not those other vendors of the kind use)."""
    distinctive = spec.get("distinctive") or {}
    if isinstance(distinctive, list):
        distinctive = dict.fromkeys(distinctive, 1)
    weights = {str(k): int(v) for k, v in distinctive.items()}
    return Fingerprint(
        spec.get("vendor", vendor),
        tuple(spec.get("required") or ()),
        weights,
        {k: tuple(columns.get(k) or (k,)) for k in weights},
        int(spec.get("min_score", 1)),
    )


def _load_kinds() -> dict[str, Kind]:
    specs: dict[str, dict[str, Any]] = {}
    for kind, spec, doc in _kind_entries():
        shared = doc.get("columns") or {}
        if kind not in specs:
            specs[kind] = {
                **{k: v for k, v in spec.items() if k not in ("columns", "fingerprint")},
                "columns": {},
                "fingerprints": [],
            }
        got = specs[kind]
        columns = {**shared, **(spec.get("columns") or {})}
        for canon, headers in columns.items():
            known = got["columns"].setdefault(canon, [])
            known += [h for h in headers if h not in known]
        prints = spec.get("fingerprints") or [spec["fingerprint"]]
        got["fingerprints"] += [_fingerprint(doc["vendor"], fp, columns) for fp in prints]
    kinds: dict[str, Kind] = {}
    for kind, spec in specs.items():
        prints = tuple(spec["fingerprints"])
        required = [c for c in prints[0].required if all(c in fp.required for fp in prints)]
        kinds[kind] = Kind(
            kind,
            spec["activity"],
            {c: tuple(v) for c, v in spec["columns"].items()},
            required=tuple(required),
            description=spec.get("description", ""),
            optional_activities=tuple(spec.get("optional_activities") or ()),
            fingerprints=prints,
            main_time=tuple(spec.get("main_time") or ()),
        )
    return kinds


KINDS: dict[str, Kind] = _load_kinds()

# The kinds the policy lets the controller keep after an erasure, with the reason. The one
# list: ``ropa subject`` puts them under "keep", ERASURE-NOT-DONE checks every other kind,
# and the samples' oracle (ropa_samples.truth) flags no row of them.
KEEP_ON_ERASURE: dict[str, str] = {
    "requests": "documents the request itself (Art. 5(2) accountability)",
    "newsletter_unsubscribed": "suppression record, so no more newsletters are sent (policy 1.2)",
}

# Loaders also add, for analytics, ``event_time`` (UTC, from event_timestamp µs).
# subject_key and the rule columns are derived later, never by loaders.
