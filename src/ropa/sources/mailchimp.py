"""Mailchimp audience export: subscribed, unsubscribed and cleaned members.

One CSV per status, told apart by ``UNSUB_TIME`` / ``CLEAN_TIME`` (see kinds.py).
Times are UTC ``YYYY-MM-DD HH:MM:SS``; ``LATITUDE`` / ``LONGITUDE`` become floats.
"""

from __future__ import annotations

import pandas as pd

from ropa.sources.common import parse_float, parse_times

TIMES = ("optin_time", "confirm_time", "last_changed_time", "unsub_time", "clean_time")


def finish(frame: pd.DataFrame, headers: dict[str, str], problems: list[str]) -> pd.DataFrame:
    parse_times(frame, headers, problems, TIMES, tz="UTC")
    for col in ("latitude", "longitude"):
        parse_float(frame, headers, problems, col)
    return frame
