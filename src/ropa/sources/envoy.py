"""Envoy visitor log, current headers ("Signed in time (UTC)") or legacy snake_case
("signed_in_time_utc"), CSV or XLSX. Sign-in and sign-out times are UTC already."""

from __future__ import annotations

import pandas as pd

from ropa.sources.common import parse_times

TIMES = ("signed_in_time", "signed_out_time")


def finish(frame: pd.DataFrame, headers: dict[str, str], problems: list[str]) -> pd.DataFrame:
    parse_times(frame, headers, problems, TIMES, tz="UTC")
    return frame
