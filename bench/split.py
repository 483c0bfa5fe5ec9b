"""Where an audit's time goes: main-thread CPU seconds per step of one ``ropa audit``.

``python bench/split.py DATA_DIR OUT_DIR`` runs the audit in-process with timers around
the steps that grow with the number of findings (finding ids, subject keys, assembly,
sorting, writing) and prints one JSON line. CPU time of the calling thread
(``time.thread_time``), so other jobs on the machine and the read-ahead thread do not
count; wall seconds of the whole run are printed too. Nested steps are included in their
callers (``to_findings`` holds ``row_finding_ids``, which holds ``hash_ids``).
"""

from __future__ import annotations

import functools
import json
import shutil
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

STEPS = {
    "ropa.findings": ["keyed_hashes", "subject_keys", "make_findings", "combine_findings",
                      "write_findings"],
    "ropa.identity": ["natural_keys", "with_positions", "hash_ids", "row_finding_ids",
                      "add_finding_ids"],
    "ropa.report.excel": ["write_audit_workbook"],
}  # fmt: skip


def main(folder: Path, out: Path) -> dict[str, Any]:
    import importlib

    import ropa.audit as audit
    import ropa.rules.base as base

    cpu: dict[str, float] = defaultdict(float)

    def timed(label: str, f: Any) -> Any:
        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return f(*args, **kwargs)
            finally:
                cpu[label] += time.thread_time() - started

        return wrapper

    for name, functions in STEPS.items():
        module = importlib.import_module(name)
        for function in functions:
            original = getattr(module, function)
            wrapped = timed(function, original)
            for user in list(sys.modules.values()):  # the module and every ropa importer
                if getattr(user, "__name__", "").startswith("ropa") and (
                    getattr(user, function, None) is original
                ):
                    setattr(user, function, wrapped)
    base.Rule.to_findings = timed("to_findings", base.Rule.to_findings)

    shutil.rmtree(out, ignore_errors=True)
    wall, started = time.perf_counter(), time.thread_time()
    result = audit.run_audit(folder, as_of=date(2026, 9, 30))
    cpu["run_audit"] = time.thread_time() - started
    audit_wall = time.perf_counter() - wall
    started = time.thread_time()
    audit.write_outputs(result, out)
    cpu["write_outputs"] = time.thread_time() - started
    return {
        "findings": len(result.findings),
        "wall_run_audit": round(audit_wall, 2),
        "wall_write_outputs": round(time.perf_counter() - wall - audit_wall, 2),
        "thread_cpu": {k: round(v, 2) for k, v in sorted(cpu.items(), key=lambda kv: -kv[1])},
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]))))
