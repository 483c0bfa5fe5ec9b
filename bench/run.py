"""`make bench`: ropa at millions of rows, measured on this machine; writes bench/results.md.

Generates (not committed) the benchmark set with ``ropa_samples`` under bench/data/,
then measures, each in a fresh process (wall time and peak RSS of that process):
  1. the floor: every file read once with pandas (pyarrow engine and dtypes, arguments
     from the manifest: bench/floor.py);
  2. ``ropa audit`` end to end, default (duckdb) engine;
  3. the same with ``--engine gx``, and that both engines give identical findings;
  4. analytics alone at 5M, 20M and 50M events (Parquet);
  5. writing 100,000 findings into the workbook (the write itself is timed in-process);
  6. (no target) the 5M-event analytics export with analytics consent refused on every
     event: millions of findings, to show they do not blow up time or memory.
Steps 1-2 run in turn ``BENCH_PAIRS`` times (default 3) and their medians are compared,
on two copies of the set: GA4 as flattened CSV and as Parquet, and once
more on the Parquet set with 35% of the GA4 events moved past the retention window
(about 1.75M findings): the audit's time against its own floor.
Set BENCH_QUICK=1 for a tenth of the sizes (a smoke run of the script itself).
Exits non-zero when the engines disagree or a run fails; targets missed are reported in
results.md, not as a failure.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
AS_OF = "2026-09-30"
QUICK = os.environ.get("BENCH_QUICK") == "1"
DATA = ROOT / "bench" / "data" / ("quick" if QUICK else "full")
F = 0.1 if QUICK else 1.0
GX_TIMEOUT = float(os.environ.get("BENCH_GX_TIMEOUT", 900))  # seconds, then a subset

SIZES = {
    "crm": int(1_000_000 * F),
    "newsletter_subscribed": int(1_000_000 * F),
    "newsletter_unsubscribed": int(100_000 * F),
    "newsletter_cleaned": int(50_000 * F),
    "registrations": int(100_000 * F),
    "visitors": int(200_000 * F),
    "inquiries": int(100_000 * F),
    "requests": int(10_000 * F),
    "analytics": int(5_000_000 * F),
}
EVENT_STEPS = [int(n * F) for n in (5_000_000, 20_000_000, 50_000_000)]
WORKBOOK_FINDINGS = 100_000
OLD_SHARE = 0.35  # of GA4 events moved past the retention window (the many-findings set)
OLD_DAYS = 730
# floor and audit are run in turn this many times and the medians compared: one pair on
# this VM moves by 20% from run to run
PAIRS = int(os.environ.get("BENCH_PAIRS", 1 if QUICK else 3))
NOTES = "## Where the time goes"
SEED = 11

# The probe runs the command as its only child, so RUSAGE_CHILDREN's maxrss is the peak
# resident set of that one process (the probe itself is not counted).
PROBE = (
    "import resource,subprocess,sys,time,json\n"
    "t=time.perf_counter()\n"
    "r=subprocess.run(sys.argv[2:],stdout=subprocess.PIPE,stderr=subprocess.PIPE,"
    "timeout=float(sys.argv[1]) or None)\n"
    "w=time.perf_counter()-t\n"
    "m=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024\n"
    "sys.stderr.write(r.stderr.decode()[-3000:])\n"
    "print(json.dumps({'seconds':w,'rss_mib':m,'rc':r.returncode,"
    "'stdout':r.stdout.decode()[-3000:]}))\n"
)


class Failed(Exception):
    pass


def measure(cmd: list[str], timeout: float = 0) -> dict:
    """Run ``cmd`` in a fresh process; wall seconds, peak RSS (MiB), its stdout."""
    try:
        out = subprocess.run(
            [sys.executable, "-c", PROBE, str(timeout), *cmd],
            capture_output=True,
            text=True,
            env={**os.environ, "ROPA_KEY": "bench-key-not-secret"},
            check=False,
            timeout=timeout + 60 if timeout else None,
        )
    except subprocess.TimeoutExpired as exc:
        raise TimeoutError(" ".join(cmd[:4])) from exc
    if out.returncode != 0 and "TimeoutExpired" in out.stderr:
        raise TimeoutError(" ".join(cmd[:4]))
    if out.returncode != 0 or not out.stdout.strip():
        raise Failed(f"{' '.join(cmd[:4])} failed: {out.stderr[-800:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise Failed(f"{' '.join(cmd)} exited {result['rc']}: {out.stderr[-800:]}")
    return result


def paired(folder: Path, out: Path) -> tuple[dict, dict]:
    """The floor and ``ropa audit`` of ``folder``, run in turn ``PAIRS`` times: the median
    wall time and the median peak RSS of each (a run's noise falls on both sides)."""
    floors, audits = [], []
    for _ in range(PAIRS):
        floors.append(measure([sys.executable, str(ROOT / "bench" / "floor.py"), str(folder)]))
        audits.append(audit(folder, out))

    def median(runs: list[dict]) -> dict:
        return {
            "seconds": statistics.median(r["seconds"] for r in runs),
            "rss_mib": statistics.median(r["rss_mib"] for r in runs),
            "runs": [round(r["seconds"], 1) for r in runs],
        }

    return median(floors), median(audits)


def generate(folder: Path, rows: dict[str, int], analytics_formats: tuple[str, ...]) -> None:
    """The sample exports at benchmark size (kept between runs when the sizes match)."""
    from ropa_samples import write_samples

    wanted = {"rows": rows, "analytics_formats": list(analytics_formats), "seed": SEED}
    manifest = folder / "manifest.json"  # the audit skips it; a stamp file would be listed
    if manifest.exists() and json.loads(manifest.read_text()).get("bench") == wanted:
        return
    shutil.rmtree(folder, ignore_errors=True)
    t = time.perf_counter()
    write_samples(
        folder,
        seed=SEED,
        as_of=date.fromisoformat(AS_OF),
        rows=rows,
        analytics_formats=analytics_formats,
    )
    written = json.loads(manifest.read_text(encoding="utf-8"))
    written["bench"] = wanted
    manifest.write_text(json.dumps(written, indent=2, sort_keys=True), encoding="utf-8")
    print(f"generated {folder.name} in {time.perf_counter() - t:.0f} s", flush=True)


def ropa(*args: str) -> list[str]:
    return [sys.executable, "-m", "ropa", *args]


def audit(folder: Path, out: Path, *extra: str, timeout: float = 0) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    return measure(ropa("audit", str(folder), "--as-of", AS_OF, "--out", str(out), *extra), timeout)


def findings_count(out: Path) -> int:
    with (out / "findings.csv").open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def main() -> int:
    DATA.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str, str, str]] = []
    verdicts: list[tuple[str, bool, str]] = []
    started = time.perf_counter()

    folders = {"csv": DATA / "full-csv", "parquet": DATA / "full-parquet"}
    for fmt, folder in folders.items():
        generate(folder, SIZES, (fmt,))

    for fmt, folder in folders.items():
        label = {"csv": "GA4 as flattened CSV", "parquet": "GA4 as Parquet"}[fmt]
        out = DATA / f"out-{fmt}"
        floor, result = paired(folder, out)
        rows.append(
            (f"1. floor: every file read once, pandas + pyarrow ({label})", *_fmt(floor),
             _runs(floor))
        )  # fmt: skip
        print(rows[-1], flush=True)
        ratio = result["seconds"] / floor["seconds"]
        rss = result["rss_mib"] / floor["rss_mib"]
        note = (
            f"{ratio:.2f}x floor time, {rss:.2f}x floor RSS; {findings_count(out):,} findings"
            f"; {_runs(result)}"
        )
        rows.append((f"2. ropa audit, duckdb engine ({label})", *_fmt(result), note))
        print(rows[-1], flush=True)
        verdicts.append(
            (
                f"audit time <= 1.0x floor, few findings ({label})",  # issue 12
                ratio <= 1.0,
                f"{result['seconds']:.1f} s vs floor {floor['seconds']:.1f} s = {ratio:.2f}x",
            )
        )
        verdicts.append(
            (
                f"audit peak RSS <= floor ({label})",
                rss <= 1.0,
                f"{result['rss_mib']:,.0f} MiB vs floor {floor['rss_mib']:,.0f} MiB",
            )
        )

    many_findings_step(rows, verdicts, folders["parquet"])
    same = gx_step(rows, verdicts, folders["parquet"])

    events: list[tuple[int, dict]] = []
    for n in EVENT_STEPS:
        folder = DATA / f"events-{n}"
        if n == EVENT_STEPS[0]:
            generate(folder, {"analytics": n}, ("parquet",))
        else:  # the generator holds a set in memory: larger sets are copies of the first
            replicate_events(DATA / f"events-{EVENT_STEPS[0]}", folder, n)
        # the GA4 folder alone: the flattened Parquet export (n events) and the daily
        # JSONL sample (510 events)
        result = audit(folder / "ga4", DATA / "out-events")
        events.append((n, result))
        rows.append((f"4. analytics only, {n:,} events (Parquet)", *_fmt(result), ""))
        print(rows[-1], flush=True)
    (n0, r0), (n1, r1) = events[0], events[-1]
    time_ratio = r1["seconds"] / r0["seconds"]
    rss_growth = r1["rss_mib"] / r0["rss_mib"] - 1
    rows[-1] = (
        *rows[-1][:3],
        f"{time_ratio:.2f}x the time of {n0:,} events for {n1 / n0:.0f}x the events; "
        f"peak RSS {rss_growth:+.0%}",
    )
    verdicts.append(
        (
            "analytics time grows about linearly",
            time_ratio <= (n1 / n0) * 1.25,
            f"{n0:,} -> {n1:,} events: {r0['seconds']:.1f} s -> {r1['seconds']:.1f} s "
            f"({time_ratio:.2f}x for {n1 / n0:.0f}x)",
        )
    )
    verdicts.append(
        (
            "analytics peak RSS grows <= 20%",
            rss_growth <= 0.20,
            f"{r0['rss_mib']:,.0f} MiB -> {r1['rss_mib']:,.0f} MiB ({rss_growth:+.0%})",
        )
    )

    wb = measure(
        [
            sys.executable,
            str(ROOT / "bench" / "workbook.py"),
            str(DATA / "wb"),
            str(WORKBOOK_FINDINGS),
        ]
    )
    write_s = float(json.loads(wb["stdout"].strip().splitlines()[-1])["write_seconds"])
    rows.append(
        (
            f"5. write {WORKBOOK_FINDINGS:,} findings into the workbook",
            f"{write_s:.1f}",
            f"{wb['rss_mib']:,.0f}",
            f"write alone; the process took {wb['seconds']:.1f} s",
        )
    )
    print(rows[-1], flush=True)
    verdicts.append(
        (f"workbook with {WORKBOOK_FINDINGS:,} findings <= 15 s", write_s <= 15, f"{write_s:.1f} s")
    )
    verdicts.append(("both engines give identical findings", same, "findings.csv compared"))

    flagged = DATA / "flagged"
    refuse_consent(DATA / f"events-{EVENT_STEPS[0]}" / "ga4" / "events_flat.parquet", flagged)
    result = audit(flagged, DATA / "out-flagged")
    rows.append(
        (
            f"6. analytics only, {EVENT_STEPS[0]:,} events, consent refused on every event",
            *_fmt(result),
            f"{findings_count(DATA / 'out-flagged'):,} findings (csv, parquet, workbook written)",
        )
    )
    print(rows[-1], flush=True)

    write_results(rows, verdicts, time.perf_counter() - started)
    return 0 if same else 1


def replicate_events(source: Path, folder: Path, n: int) -> None:
    """``source``'s GA4 folder with its flattened export repeated up to ``n`` events, each
    copy a microsecond later (distinct events), written one row group at a time."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    target = folder / "ga4" / "events_flat.parquet"
    stamp = folder / "ga4" / f".events-{n}"
    if stamp.exists():
        return
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "ga4").mkdir(parents=True)
    shutil.copy(source / "ga4" / "events_20260901.jsonl", folder / "ga4")
    t = time.perf_counter()
    events = pq.read_table(source / "ga4" / "events_flat.parquet")
    written = 0
    with pq.ParquetWriter(target, events.schema) as writer:
        copy = 0
        while written < n:
            part = events.slice(0, min(events.num_rows, n - written))
            stamp_us = pc.add(part["event_timestamp"], pa.scalar(copy, pa.int64()))
            part = part.set_column(part.schema.get_field_index("event_timestamp"),
                                   "event_timestamp", stamp_us)  # fmt: skip
            writer.write_table(part, row_group_size=1_000_000)
            written += part.num_rows
            copy += 1
    # a dot file: the audit skips hidden files, so the stamp is not listed as skipped
    stamp.write_text(str(n), encoding="utf-8")
    print(f"replicated {n:,} events in {time.perf_counter() - t:.0f} s", flush=True)


def refuse_consent(source: Path, folder: Path) -> None:
    """A copy of a GA4 Parquet export with ``analytics_storage`` "No" on every event:
    every event with a cookie id becomes a COOKIE-NO-CONSENT finding."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = folder / "ga4" / "events_flat.parquet"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    parquet = pq.ParquetFile(source)
    with pq.ParquetWriter(target, parquet.schema_arrow) as writer:
        for group in range(parquet.metadata.num_row_groups):
            table = parquet.read_row_group(group)
            at = table.schema.get_field_index("privacy_info.analytics_storage")
            refused = pa.array(["No"] * table.num_rows, type=table.schema.field(at).type)
            writer.write_table(table.set_column(at, table.schema.field(at), refused))


def many_findings_step(rows: list, verdicts: list, folder: Path) -> None:
    """The Parquet set with 35% of the GA4 events past retention (over a million
    findings): its floor, and ``ropa audit`` against it, as ratios within this run."""
    aged = DATA / "old-parquet"
    age_events(folder, aged)
    label = f"GA4 as Parquet, {OLD_SHARE:.0%} of events past retention"
    out = DATA / "out-old"
    floor, result = paired(aged, out)
    rows.append(
        (f"1. floor: every file read once, pandas + pyarrow ({label})", *_fmt(floor),
         _runs(floor))
    )  # fmt: skip
    print(rows[-1], flush=True)
    ratio = result["seconds"] / floor["seconds"]
    note = f"{ratio:.2f}x floor time; {findings_count(out):,} findings; {_runs(result)}"
    rows.append((f"2. ropa audit, duckdb engine ({label})", *_fmt(result), note))
    print(rows[-1], flush=True)
    verdicts.append(
        (
            f"audit time <= 1.25x floor ({label})",
            ratio <= 1.25,
            f"{result['seconds']:.1f} s vs floor {floor['seconds']:.1f} s = {ratio:.2f}x",
        )
    )
    verdicts.append(
        (
            f"audit peak RSS <= 1.0 GB ({label})",
            result["rss_mib"] <= 1000 / 1.048576,
            f"{result['rss_mib']:,.0f} MiB (floor {floor['rss_mib']:,.0f} MiB)",
        )
    )


def age_events(source: Path, folder: Path, share: float = OLD_SHARE) -> None:
    """A copy of the generated set ``source`` (hard links) whose GA4 Parquet export has
    ``share`` of its events (every event whose position modulo 20 is below 20 * share)
    moved back by OLD_DAYS days: older than the 14-month retention window whatever their
    date, so RET-ANALYTICS flags well over a million events."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    rel = Path("ga4") / "events_flat.parquet"
    target = folder / rel
    if target.exists() and target.stat().st_mtime >= (source / rel).stat().st_mtime:
        return
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, folder, copy_function=os.link, ignore=lambda d, n: [
        x for x in n if Path(d, x) == source / rel
    ])  # fmt: skip
    parquet = pq.ParquetFile(source / rel)
    days = pa.scalar(OLD_DAYS * 86_400, pa.duration("s"))
    start = 0
    with pq.ParquetWriter(target, parquet.schema_arrow, compression="zstd") as writer:
        for group in range(parquet.metadata.num_row_groups):
            table = parquet.read_row_group(group)
            old = pa.array((np.arange(start, start + table.num_rows) % 20) < round(20 * share))
            start += table.num_rows
            micros = table.column("event_timestamp")
            moved = pc.subtract(micros, OLD_DAYS * 86_400 * 1_000_000)
            day = pc.strptime(table.column("event_date"), format="%Y%m%d", unit="s")
            earlier = pc.strftime(pc.subtract(day, days), format="%Y%m%d")
            for name, value in (("event_timestamp", moved), ("event_date", earlier)):
                at = table.schema.get_field_index(name)
                field = table.schema.field(at)
                changed = pc.if_else(old, value, table.column(at)).cast(field.type)
                table = table.set_column(at, field, changed)
            writer.write_table(table)


def gx_step(rows: list, verdicts: list, folder: Path) -> bool:
    """``--engine gx`` on the full Parquet set within GX_TIMEOUT, else on a tenth of it;
    findings.csv must equal the default (duckdb) engine's on the same set."""
    out = DATA / "out-gx"
    try:
        result = audit(folder, out, "--engine", "gx", timeout=GX_TIMEOUT)
        label, reference = "full set", DATA / "out-parquet" / "findings.csv"
    except TimeoutError:
        print(f"gx engine: no result within {GX_TIMEOUT:.0f} s on the full set", flush=True)
        subset = DATA / "subset-parquet"
        generate(subset, {k: v // 10 for k, v in SIZES.items()}, ("parquet",))
        audit(subset, DATA / "out-subset")
        result = audit(subset, out, "--engine", "gx")
        label = f"a tenth of the set (the full set took over {GX_TIMEOUT / 60:.0f} min)"
        reference = DATA / "out-subset" / "findings.csv"
    same = (out / "findings.csv").read_bytes() == reference.read_bytes()
    note = ("findings identical to the duckdb engine" if same else "FINDINGS DIFFER") + (
        f"; {label}"
    )
    rows.append(("3. ropa audit --engine gx (GA4 as Parquet)", *_fmt(result), note))
    print(rows[-1], flush=True)
    return same


def _runs(r: dict) -> str:
    """The wall seconds of each run behind a median (none for a single run)."""
    runs = r.get("runs") or []
    return f"median of {', '.join(f'{x:.1f}' for x in runs)} s" if len(runs) > 1 else ""


def _fmt(r: dict) -> tuple[str, str]:
    return f"{r['seconds']:.1f}", f"{r['rss_mib']:,.0f}"


def write_results(
    rows: list[tuple[str, str, str, str]], verdicts: list[tuple[str, bool, str]], total: float
) -> None:
    sizes = ", ".join(f"{k} {v:,}" for k, v in SIZES.items())
    lines = [
        "# ropa benchmark",
        "",
        f"Measured by `make bench` on {date.today().isoformat()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{'QUICK (1/10 sizes)' if QUICK else 'full sizes'}; the whole run took "
        f"{total / 60:.0f} min.",
        "",
        f"Rows per kind: {sizes}. Seed {SEED}, audit date {AS_OF}.",
        "",
        "| run | wall s | peak RSS MiB | note |",
        "|---|---:|---:|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        "Every run is a fresh process; peak RSS is that process's maximum resident set "
        "(getrusage). The floor reads CSV with `pandas.read_csv(engine='pyarrow', "
        "dtype_backend='pyarrow')` (a file with quoted line breaks with pyarrow's reader "
        "directly, see bench/floor.py) and Parquet with `pandas.read_parquet`, and keeps "
        "every frame. Analytics-only runs audit the `ga4/` folder of a generated set: the "
        "flattened Parquet export plus the daily JSONL sample (510 events). Run 6 has no "
        "target: the 5M-event export with analytics consent refused on every event, so "
        "that millions of findings are collected, sorted and written (findings.csv, "
        "findings.parquet, the workbook's first 100,000). Wall times on this 2-core VM "
        "vary by about 20% from run to run (and more when anything else runs), so each "
        f"floor and its audit (runs 1 and 2) are run in turn {PAIRS} times and their "
        "medians compared (the note lists every run); compare the ratios within one run.",
        "",
        "## Targets",
        "",
        "| target | met | measured |",
        "|---|---|---|",
        *[f"| {name} | {'yes' if ok else '**no**'} | {detail} |" for name, ok, detail in verdicts],
        "",
    ]
    # A hand-written section from "## Where the time goes" on (bench/split.py's
    # figures, before and after a change) is kept: it is not measured by this script.
    kept = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    notes = kept[kept.find(NOTES) :] if NOTES in kept else ""
    RESULTS.write_text("\n".join(lines) + ("\n" + notes if notes else ""), encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        sys.exit(main())
    except Failed as exc:
        sys.exit(f"bench: {exc}")
