"""The rights-request log shipped as a template by ropa."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ropa.sources import load_file


def test_request_log_dates_are_midnight_utc_and_labels_normalised(tmp_path: Path) -> None:
    path = tmp_path / "requests.csv"
    path.write_text(
        "request_id,received,type,subject_email,status,completed\n"
        "R-1,2026-08-01,erasure,kari@example.no,completed,2026-08-20\n"
        "R-2,2026-08-15,Access,ola@example.no, In progress ,\n"
        "R-3,2026-09-01,complaint,per@example.no,open,\n",
        encoding="utf-8",
    )
    src = load_file(path, tmp_path)
    assert (src.kind, src.activity) == ("requests", "requests")
    f = src.frame
    assert f["received_time"].tolist() == [
        pd.Timestamp("2026-08-01", tz="UTC"),
        pd.Timestamp("2026-08-15", tz="UTC"),
        pd.Timestamp("2026-09-01", tz="UTC"),
    ]
    assert f.loc[0, "completed_time"] == pd.Timestamp("2026-08-20", tz="UTC")
    assert f["type"].tolist() == ["erasure", "access", "complaint"]
    assert f["status"].tolist() == ["completed", "in_progress", "open"]
    assert f["email"].tolist() == ["kari@example.no", "ola@example.no", "per@example.no"]
    assert src.problems == ["1 row with an unknown type in 'type'"]
