"""``write_samples``: generate every export, evaluate the ground truth, write files and
``manifest.json``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ropa_samples import (
    envoy,
    eventbrite,
    forms,
    ga4,
    ga4_files,
    gen,
    hubspot,
    mailchimp,
    rights,
    truth,
    undeclared,
)
from ropa_samples.gen import ANALYTICS_FORMATS, Plan, SampleFile
from ropa_samples.people import PERSONS, Extras

# Order matters: each generator gets its own child stream, and planted one-off people are
# handed out in this order.
GENERATORS = (mailchimp, hubspot, eventbrite, envoy, forms, ga4, rights)
MANIFEST = "manifest.json"


def write_samples(
    out_dir: Path,
    *,
    seed: int = 7,
    as_of: date = date(2026, 9, 30),
    scale: float = 1.0,
    rows: Mapping[str, int] | None = None,
    analytics_formats: Sequence[str] = ("parquet",),
) -> dict[str, Any]:
    """Write deterministic sample exports of every supported format with planted
    violations and near misses, and ``manifest.json`` (returned) listing exactly what the
    rules must flag. Same arguments -> byte-identical files.

    ``rows`` sets, per source kind, the exact row count of that kind's main export
    (planted rows included; ``make bench`` asks for millions); kinds not named follow
    ``scale``. ``analytics_formats`` are the formats ("parquet", "csv", "jsonl") the
    flattened GA4 export is written in, the same events in each. With neither given the
    files are exactly those of ``scale`` alone (data/samples stays byte-identical).
    """
    out_dir = Path(out_dir)
    plan = Plan(scale, dict(rows or {}), tuple(analytics_formats))
    _check_plan(plan)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = generate(seed=seed, as_of=as_of, plan=plan)
    planted, near_misses = truth.record_flags(files, as_of)
    planted += undeclared.entries(files) + undeclared.unmapped_entries(files)
    near_misses += undeclared.near_misses(files) + undeclared.unmapped_near_misses(files)
    _remove_previous(out_dir)
    for sf in files:
        write_file(sf, out_dir, as_of)
    manifest = {
        "as_of": as_of.isoformat(),
        "seed": seed,
        "scale": float(scale),
        "files": {
            sf.rel: {
                "kind": sf.kind,
                "rows": len(sf.frame),
                "format": sf.fmt,
                "encoding": sf.encoding if sf.fmt == "csv" else None,
                "delimiter": sf.delimiter if sf.fmt == "csv" else None,
            }
            for sf in sorted(files, key=lambda f: f.rel)
        },
        "planted": _sorted(planted),
        "near_misses": _sorted(near_misses),
        "persons": persons(files),
    }
    if plan.rows:
        manifest["rows"] = dict(sorted(plan.rows.items()))
    if plan.analytics_formats != Plan().analytics_formats:
        manifest["analytics_formats"] = list(plan.analytics_formats)
    text = json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    (out_dir / MANIFEST).write_text(text, encoding="utf-8")
    return json.loads(text)


def generate(*, seed: int, as_of: date, plan: Plan) -> list[SampleFile]:
    extras = Extras()
    files: list[SampleFile] = []
    for k, module in enumerate(GENERATORS):
        files += module.build(np.random.default_rng([seed, k]), as_of, plan, extras)
    return files


KINDS = (
    "newsletter_subscribed", "newsletter_unsubscribed", "newsletter_cleaned", "crm",
    "registrations", "visitors", "inquiries", "analytics", "requests",
)  # fmt: skip


def _check_plan(plan: Plan) -> None:
    unknown = sorted(set(plan.rows) - set(KINDS))
    if unknown:
        raise ValueError(f"rows: unknown kind(s) {', '.join(unknown)} (known: {', '.join(KINDS)})")
    if any(int(n) < 0 for n in plan.rows.values()):
        raise ValueError("rows: counts must not be negative")
    formats = plan.analytics_formats
    if not formats or len(set(formats)) != len(formats) or set(formats) - set(ANALYTICS_FORMATS):
        raise ValueError(
            f"analytics_formats: one or more of {', '.join(ANALYTICS_FORMATS)}, each once"
        )


def write_file(sf: SampleFile, out_dir: Path, as_of: date) -> None:
    path = out_dir / sf.rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if sf.fmt == "csv":
        path.write_bytes(csv_bytes(sf))
    elif sf.fmt == "xlsx":
        envoy.write_xlsx(sf.data, path, datetime(as_of.year, as_of.month, as_of.day, 6, 0))
    elif sf.fmt == "jsonl":
        ga4_files.write_jsonl(sf.data, path)
    elif sf.fmt == "parquet":
        ga4_files.write_parquet(sf.data, path)
    else:
        raise ValueError(sf.fmt)


def csv_bytes(sf: SampleFile) -> bytes:
    """The file as csv.QUOTE_MINIMAL writes it (a field is quoted when it holds the
    delimiter, a quote or a line break), built column-wise with arrow kernels."""
    special = f'[{sf.delimiter}"\r\n]'
    needles = [sf.delimiter.encode(), b'"', b"\r", b"\n"]

    def field(values: pa.Array) -> pa.Array:
        values = pc.fill_null(values.cast(gen.TEXT), "")
        data = gen.joined_bytes(values)
        if not any(needle in data for needle in needles):  # most columns: nothing to quote
            return values
        quoted = gen.cat('"', pc.replace_substring(values, '"', '""'), '"')
        return pc.if_else(pc.match_substring_regex(values, special), quoted, values)

    header = field(pa.array(sf.headers)).to_pylist()
    rows = pc.binary_join_element_wise(
        *[field(pa.array(sf.frame[h])) for h in sf.headers], pa.scalar(sf.delimiter, gen.TEXT)
    )
    body = gen.joined_bytes(gen.cat(rows, sf.lineterminator))
    raw = (sf.delimiter.join(header) + sf.lineterminator).encode("utf-8") + body
    if sf.encoding == "utf-8":
        return raw
    return raw.decode("utf-8").encode(sf.encoding)  # utf-8-sig adds the BOM; cp1252 is strict


def _remove_previous(out_dir: Path) -> None:
    """Delete the files an earlier run listed (other as_of dates name files differently),
    and nothing else."""
    old = out_dir / MANIFEST
    if not old.is_file():
        return
    try:
        listed = json.loads(old.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError):
        return
    for rel in listed:
        target = (out_dir / rel).resolve()
        if out_dir.resolve() in target.parents and target.is_file():
            target.unlink()


def _sorted(items: list[dict]) -> list[dict]:
    return sorted(
        items,
        key=lambda e: (e["rule_id"], e["source"], e["row"] or 0, e["column"] or "", e["note"]),
    )


def persons(files: list[SampleFile]) -> list[dict]:
    """Where each planted person appears (normalised e-mail), for those in 2+ files."""
    found: dict[str, dict[str, list[int]]] = {k: {} for k in PERSONS}
    wanted = {p.email: k for k, p in PERSONS.items()}
    for sf in files:
        if sf.email_col is None:
            continue
        emails = truth.norm_email(truth.col(sf, sf.email_col))
        hit = emails.isin(wanted)
        for i in np.flatnonzero(hit.to_numpy()):
            found[wanted[emails.iloc[i]]].setdefault(sf.rel, []).append(int(i) + 1)
    return [
        {
            "email": PERSONS[k].email,
            "name": PERSONS[k].full,
            "note": PERSONS[k].note,
            "sources": dict(sorted(srcs.items())),
        }
        for k, srcs in found.items()
        if len(srcs) >= 2
    ]
