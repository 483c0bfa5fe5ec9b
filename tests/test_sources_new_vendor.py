"""A new vendor is one YAML file in sources/vendors: no list in code to extend.

The test copies the shipped vendor files, adds one for a form tool ropa does not know
(Ninja Forms' "Download all submissions" CSV: Seq Num, Date Submitted, then the form's
fields) and runs the CLI with that folder. Without the file the export is refused as
unknown; with it the export is recognised as an inquiries export and RET-INQUIRY flags
the entry 366 days old, not the one 365 days old.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ropa.paths import VENDORS_DIR

NINJA_FORMS = """\
# Ninja Forms, Submissions > Download all submissions: Seq Num, Date Submitted, then one
# column per form field (labels as in the form).
vendor: Ninja Forms
kinds:
  inquiries:
    columns:
      inquiry_id: [Seq Num]
      created_time: [Date Submitted]
    fingerprint:
      distinctive: {Seq Num: 1, Date Submitted: 1}
      min_score: 2
"""
RUN = (
    "import sys; from pathlib import Path; import ropa.paths as paths; "
    "paths.VENDORS_DIR = Path(sys.argv[1]); sys.argv = ['ropa', *sys.argv[2:]]; "
    "from ropa.cli import main; main()"
)


def _audit(vendors: Path, data: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ROPA_KEY": "new-vendor-test", "GX_ANALYTICS_ENABLED": "false"}
    args = ["audit", str(data), "--as-of", "2026-09-30", "--out", str(out)]
    return subprocess.run(
        [sys.executable, "-c", RUN, str(vendors), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _export(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "ninja-forms-submissions.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Seq Num", "Date Submitted", "Name", "Email", "Message"])
        writer.writerow(["2", "2025-09-29 10:00:00", "Kari Nordmann", "kari@example.no", "Hei"])
        writer.writerow(["1", "2025-09-30 10:00:00", "Ola Nordmann", "ola@example.no", "Hei"])
    return path


def test_a_new_vendor_is_one_yaml_file(tmp_path: Path) -> None:
    vendors = tmp_path / "vendors"
    shutil.copytree(VENDORS_DIR, vendors)
    data = tmp_path / "data"
    _export(data)

    unknown = _audit(vendors, data, tmp_path / "before")
    assert unknown.returncode == 2, unknown.stderr
    assert "header matches no known export" in unknown.stderr

    (vendors / "ninja-forms.yaml").write_text(NINJA_FORMS, encoding="utf-8")
    known = _audit(vendors, data, tmp_path / "after")
    assert known.returncode == 0, known.stderr
    with (tmp_path / "after" / "findings.csv").open(encoding="utf-8") as fh:
        findings = list(csv.DictReader(fh))
    inquiry = [f for f in findings if f["rule_id"] == "RET-INQUIRY"]
    assert [(f["source"], f["row"]) for f in inquiry] == [("ninja-forms-submissions.csv", "1")]
    assert "366 days" in inquiry[0]["detail"]
    assert "Kari" not in (tmp_path / "after" / "findings.csv").read_text(encoding="utf-8")
