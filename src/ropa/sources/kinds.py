"""Which export a header is: its kind, by the vendors' fingerprints.

The kind comes from the header alone, never from the file name, by fingerprint (see
canonical.py and the vendor YAML files): a vendor's fingerprint matches when the file
has all of its ``required`` canonical columns and its *distinctive* headers found weigh
at least ``min_score``. Among matches the highest score wins, then the one recognising
most columns (so a Mailchimp export with ``UNSUB_TIME`` is ``newsletter_unsubscribed``,
not ``newsletter_subscribed``). Headers many vendors share (Email, First Name, status,
created_at) are distinctive for no kind, so they neither identify a kind nor make one
the "closest" named in the reason for an unknown file. Headers are compared by
``common.norm`` (case, spacing and punctuation ignored); sources.yaml column maps count
as the canonical columns they name. Reasons for not reading a file name headers, never
cell values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from ropa.errors import SourceError
from ropa.sources.canonical import KINDS
from ropa.sources.common import alias_map, norm

# A header cell that looks like a value (an e-mail, a long number, a phone number).
_VALUE_LIKE = re.compile(r"@|\d{4,}|^\s*[+\d][\d\s().-]{5,}$")


@cache
def _known_headers() -> frozenset[str]:
    """Every header some vendor vocabulary names (normalised), and the canonical names."""
    return frozenset(
        norm(alias)
        for kind in KINDS.values()
        for canonical, aliases in kind.columns.items()
        for alias in (canonical, *aliases)
    )


def _describe_header(header: list[str]) -> str:
    """The header by its shape; only headers ropa knows from a vendor vocabulary are
    quoted, so a first line holding a person's name (a headerless file, a cover sheet)
    never reaches a message."""
    shown = [h.strip() for h in header if h.strip()]
    if not shown:
        return "no column names"
    if any(_VALUE_LIKE.search(h) or len(h) > 60 for h in shown):
        return "the first line looks like data, not a header"
    if len(shown) == 1 and len(shown[0].split()) > 3:
        return "the first line is not a table header"
    known_names = _known_headers()
    known = [h for h in shown if norm(h) in known_names]
    columns = f"{len(header)} column" + ("" if len(header) == 1 else "s")
    if not known:
        return f"{columns}, none of them a known header"
    more = ", …" if len(known) > 6 else ""
    quoted = ", ".join(f"'{n}'" for n in known[:6]) + more
    others = len(shown) - len(known)
    return f"{columns}; known: {quoted}" + (f"; {others} not known" if others else "")


@dataclass(frozen=True)
class Match:
    """How well a header fits one vendor's fingerprint of a kind."""

    kind: str
    vendor: str
    score: int  # weight of the distinctive headers found
    found: int  # canonical columns of the kind recognised
    missing: tuple[str, ...]  # required canonical columns absent (as their first header)
    ok: bool


def fingerprint_matches(
    header: list[str], column_map: Mapping[str, str] | None = None
) -> list[Match]:
    """Every fingerprint of every kind scored against ``header``, best first."""
    normed = {norm(h) for h in header}
    folded = [str(h).replace("\ufeff", "").strip().casefold() for h in header]
    by_hand = {c for h, c in (column_map or {}).items() if norm(h) in normed}

    def present(entry: str, headers: tuple[str, ...]) -> bool:
        if entry.endswith("*"):
            return any(h.startswith(entry[:-1].casefold()) for h in folded)
        return any(norm(h) in normed for h in headers)

    matches: list[Match] = []
    for name, kind in KINDS.items():
        aliases = alias_map(kind)
        found = {aliases[h] for h in normed if h in aliases} | by_hand
        for fp in kind.fingerprints:
            score = sum(
                weight
                for entry, weight in fp.distinctive.items()
                if entry in by_hand or present(entry, fp.headers[entry])
            )
            missing = tuple(kind.columns[c][0] for c in fp.required if c not in found)
            ok = not missing and score >= fp.min_score
            matches.append(Match(name, fp.vendor, score, len(found), missing, ok))
    order = {name: i for i, name in enumerate(KINDS)}
    return sorted(matches, key=lambda m: (not m.ok, -m.score, -m.found, order[m.kind]))


def detect_kind(header: list[str], column_map: Mapping[str, str] | None = None) -> str:
    """The kind whose fingerprint fits the header best; SourceError(reason) if none does.

    The reason names the closest kind only when some of its distinctive headers are there.
    """
    matches = fingerprint_matches(header, column_map)
    if matches and matches[0].ok:
        return matches[0].kind
    reason = f"header matches no known export ({_describe_header(header)})"
    closest = next((m for m in matches if m.score > 0), None)
    if closest:
        reason += f"; closest: {closest.kind} ({closest.vendor}), "
        if closest.missing:
            reason += "missing " + ", ".join(f"'{m}'" for m in closest.missing)
        else:
            reason += "too few of its distinctive columns"
    raise SourceError(reason)
