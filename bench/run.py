"""`make bench`: ropa at millions of rows, measured on this machine; writes bench/results.md.

Generates (not committed) the benchmark set with ``ropa.samples`` under bench/data/,
then measures, each in a fresh process (wall time and peak RSS of that process):
  1. the floor: every file read once with pandas (pyarrow engine and dtypes);
  2. ``ropa audit`` end to end, default (pandas) engine;
  3. the same with ``--engine gx``, and that both engines give identical findings;
  4. analytics alone at 2.5M, 5M and 10M events;
  5. writing 100,000 findings into the workbook.
Set BENCH_QUICK=1 for a tenth of the sizes (a smoke run of the script itself).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results.md"
AS_OF = "2026-09-30"
QUICK = os.environ.get("BENCH_QUICK") == "1"
F = 0.1 if QUICK else 1.0

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
EVENT_STEPS = [int(n * F) for n in (2_500_000, 5_000_000, 10_000_000)]


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run cmd in a child of a fresh measuring process; return wall seconds and peak RSS MiB."""
    probe = (
        "import resource,subprocess,sys,time,json;t=time.perf_counter();"
        "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
        "w=time.perf_counter()-t;"
        "m=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024;"
        "sys.stderr.write(r.stderr.decode()[-2000:]) if r.returncode else None;"
        "print(json.dumps({'seconds':w,'rss_mib':m,'rc':r.returncode}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if out.returncode != 0 or not out.stdout.strip():
        raise SystemExit(f"bench: {' '.join(cmd[:3])} failed: {out.stderr[-500:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} exited {result['rc']}: {out.stderr[-800:]}")
    return result


def generate(folder: Path, sizes: dict[str, int], analytics_formats: tuple[str, ...]) -> None:
    from ropa.samples import write_samples

    if (folder / "manifest.json").exists():
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest.get("bench_sizes") == sizes:
            return
    shutil.rmtree(folder, ignore_errors=True)
    t = time.perf_counter()
    write_samples(
        folder,
        seed=11,
        as_of=date.fromisoformat(AS_OF),
        rows=sizes,
        analytics_formats=analytics_formats,
    )
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["bench_sizes"] = sizes
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    print(f"generated {folder.name} in {time.perf_counter() - t:.1f} s", flush=True)


FLOOR = """
import sys, pathlib, pandas as pd
for p in sorted(pathlib.Path(sys.argv[1]).rglob('*')):
    if p.suffix == '.csv':
        sep = ';' if p.read_bytes()[:4000].count(b';') > p.read_bytes()[:4000].count(b',') else None
        if p.read_bytes()[:4000].count(b'\\t') > 20: sep = '\\t'
        enc = 'cp1252' if 'kontakter' in p.name else 'utf-8'
        if enc == 'cp1252' or sep is not None:
            pd.read_csv(p, sep=sep or ',', encoding=enc, dtype_backend='pyarrow')
        else:
            pd.read_csv(p, engine='pyarrow', dtype_backend='pyarrow')
    elif p.suffix == '.parquet':
        pd.read_parquet(p, dtype_backend='pyarrow')
    elif p.suffix == '.xlsx':
        pd.read_excel(p)
    elif p.suffix == '.jsonl':
        pd.read_json(p, lines=True, dtype_backend='pyarrow')
"""


def ropa(*args: str) -> list[str]:
    return [sys.executable, "-m", "ropa", *args]


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str, str, str]] = []

    full_csv = DATA / "full-csv"
    generate(full_csv, SIZES, ("csv",))
    full_parquet = DATA / "full-parquet"
    generate(full_parquet, SIZES, ("parquet",))

    for label, folder in (("GA4 as flattened CSV", full_csv), ("GA4 as Parquet", full_parquet)):
        floor = measure([sys.executable, "-c", FLOOR, str(folder)])
        out = DATA / f"out-{folder.name}"
        audit = measure(ropa("audit", str(folder), "--as-of", AS_OF, "--out", str(out)))
        ratio = audit["seconds"] / floor["seconds"]
        rows.append((f"floor: read every file once ({label})", *_fmt(floor), ""))
        rows.append(
            (
                f"ropa audit, pandas engine ({label})",
                *_fmt(audit),
                f"{ratio:.2f}x floor time, RSS {audit['rss_mib'] / floor['rss_mib']:.2f}x floor",
            )
        )
        print(rows[-2], rows[-1], sep="\n", flush=True)

    gx_out = DATA / "out-gx"
    gx = measure(ropa("audit", str(full_parquet), "--as-of", AS_OF, "--out", str(gx_out),
                      "--engine", "gx"))
    same = (gx_out / "findings.csv").read_bytes() == (
        DATA / f"out-{full_parquet.name}" / "findings.csv"
    ).read_bytes()
    rows.append(("ropa audit --engine gx (GA4 as Parquet)", *_fmt(gx),
                 "findings identical to pandas engine" if same else "FINDINGS DIFFER"))
    print(rows[-1], flush=True)

    for n in EVENT_STEPS:
        folder = DATA / f"events-{n}"
        generate(folder, {"analytics": n}, ("parquet",))
        r = measure(ropa("audit", str(folder), "--as-of", AS_OF, "--out", str(DATA / "out-ev")))
        rows.append((f"analytics only, {n:,} events (Parquet)", *_fmt(r), ""))
        print(rows[-1], flush=True)

    wb = measure([sys.executable, str(ROOT / "bench" / "workbook.py"), str(DATA / "wb"), "100000"])
    rows.append(("write 100,000 findings into the workbook", *_fmt(wb), ""))
    print(rows[-1], flush=True)

    write_results(rows, same)
    if not same:
        raise SystemExit("bench: the engines gave different findings")


def _fmt(r: dict[str, float]) -> tuple[str, str]:
    return f"{r['seconds']:.1f}", f"{r['rss_mib']:,.0f}"


def write_results(rows: list[tuple[str, str, str, str]], same: bool) -> None:
    sizes = ", ".join(f"{k} {v:,}" for k, v in SIZES.items())
    lines = [
        "# ropa benchmark",
        "",
        f"Measured by `make bench` on {date.today().isoformat()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {'QUICK (1/10 sizes)' if QUICK else 'full sizes'}.",
        "",
        f"Rows: {sizes}.",
        "",
        "| run | wall s | peak RSS MiB | note |",
        "|---|---:|---:|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        "Peak RSS is the maximum resident set of the measured process (getrusage).",
        "",
    ]
    RESULTS.write_text("\n".join(lines))
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
