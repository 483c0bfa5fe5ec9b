"""The rights-request log: ``request_id,received,type,subject_email,status,completed``.

``received`` / ``completed`` are dates (``YYYY-MM-DD``) and become midnight UTC.
``type`` and ``status`` are trimmed and lower-cased; values outside the template's lists
are kept and counted.
"""

from __future__ import annotations

import pandas as pd

from ropa.sources.common import STRING, blank, parse_times, plural

TYPES = ("access", "rectification", "erasure", "restriction", "portability", "objection")
STATUSES = ("open", "in_progress", "completed", "rejected")


def finish(frame: pd.DataFrame, headers: dict[str, str], problems: list[str]) -> pd.DataFrame:
    parse_times(frame, headers, problems, ("received_time", "completed_time"), tz="UTC")
    for col, allowed in (("type", TYPES), ("status", STATUSES)):
        if col not in frame.columns:
            continue
        value = frame[col].astype(STRING).str.strip().str.lower()
        value = value.str.replace(r"[\s-]+", "_", regex=True)
        odd = ~value.isin(allowed).fillna(False).astype(bool) & ~blank(frame[col])
        if n := int(odd.sum()):
            problems.append(f"{plural(n, 'row')} with an unknown {col} in '{headers[col]}'")
        frame[col] = value.where(~blank(frame[col]))
    return frame
