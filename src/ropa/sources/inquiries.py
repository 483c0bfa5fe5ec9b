"""Contact-form (Gravity Forms style) or ticket (Zendesk style) export.

``Date Created`` / ``Last Updated`` without a zone are Europe/Oslo local time; ticket
exports with ISO times (``2026-01-05T10:00:00Z``) keep their zone.
"""

from __future__ import annotations

import pandas as pd

from ropa.sources.common import parse_times

TIMES = ("created_time", "updated_time")


def finish(frame: pd.DataFrame, headers: dict[str, str], problems: list[str]) -> pd.DataFrame:
    parse_times(frame, headers, problems, TIMES)
    return frame
