"""Write N synthetic findings into the audit workbook (bench step 5).

Prints one JSON line with ``write_seconds``: the time of ``write_audit_workbook`` alone
(building the synthetic findings and importing ropa are not part of it).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ropa.findings import FINDING_COLUMNS, sort_findings
from ropa.mapping import build_data_map
from ropa.policy import load_policy
from ropa.policy.gaps import policy_gaps
from ropa.report.excel import write_audit_workbook
from ropa.result import AuditResult
from ropa.sources.base import Inventory


def main(out: Path, n: int) -> None:
    rng = np.random.default_rng(3)
    policy = load_policy()
    rules = np.array(["RET-VISITOR", "RET-ANALYTICS", "CONSENT-MISSING", "ERASURE-NOT-DONE"])
    days = rng.integers(400, 900, n)
    findings = pd.DataFrame(
        {
            "rule_id": rules[rng.integers(0, len(rules), n)],
            "severity": "high",
            "activity": "web",
            "policy_ref": "1.6",
            "source": "ga4/events.parquet",
            "row": pd.array(np.arange(1, n + 1), dtype="Int64"),
            "column": None,
            "subject_key": [f"{x:016x}" for x in rng.integers(0, 2**62, n)],
            "detail": [
                f"event on 2025-01-03, {d} days before audit date, limit 14 months" for d in days
            ],  # fmt: skip
        },
        columns=FINDING_COLUMNS,
    )
    inv = Inventory(data_dir=out)
    result = AuditResult(
        data_dir=out,
        as_of=date(2026, 9, 30),
        policy=policy,
        policy_path="policy.yaml",
        engine="pandas",
        inventory=inv,
        data_map=build_data_map(inv, policy),
        findings=sort_findings(findings),
        gaps=policy_gaps(policy),
    )
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    write_audit_workbook(result, out / "ropa-bench.xlsx")
    print(json.dumps({"write_seconds": time.perf_counter() - started, "findings": n}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
