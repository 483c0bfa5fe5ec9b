"""HubSpot contacts export (default or all properties), English or Norwegian UI.

Labels are turned into the internal values the rules compare:
- ``lifecycle_stage``: subscriber, lead, marketingqualifiedlead, salesqualifiedlead,
  opportunity, customer, evangelist, other (English labels, Norwegian labels and the
  internal values all accepted); a custom stage is kept trimmed and lower-cased, and counted.
- ``marketing_contact``: True for "Marketing contact" / "Markedsføringskontakt" and for
  "Set to non-marketing on next update" (still marketing until then); False for
  "Non-marketing contact" / "Ikke-markedsføringskontakt"; null when empty.
- ``unsubscribed_all``: true/false, Yes/No, Ja/Nei.
Zone-less times are Europe/Oslo local time (``YYYY-MM-DD HH:MM``, ``dd.mm.yyyy HH:MM``).
"""

from __future__ import annotations

import pandas as pd

from ropa.sources.canonical import vendor_doc
from ropa.sources.common import (
    STRING,
    blank,
    map_labels,
    normalise_label,
    parse_bool,
    parse_times,
    per_value,
    plural,
)

TIMES = ("create_time", "last_activity_time")

LABELS = vendor_doc("hubspot")["labels"]
STAGES: dict[str, str] = LABELS["lifecycle_stage"]
MARKETING: dict[str, bool] = LABELS["marketing_contact"]
YES_NO: dict[str, bool] = LABELS["unsubscribed_all"]


def finish(frame: pd.DataFrame, headers: dict[str, str], problems: list[str]) -> pd.DataFrame:
    parse_times(frame, headers, problems, TIMES)
    parse_bool(frame, headers, problems, "marketing_contact", MARKETING)
    parse_bool(frame, headers, problems, "unsubscribed_all", YES_NO)
    if "lifecycle_stage" in frame.columns:
        # a handful of distinct labels in a million rows: each is read once
        got = per_value(frame["lifecycle_stage"].astype(STRING), _stages, always=True)
        if n := int(got["custom"].sum()):
            header = headers["lifecycle_stage"]
            problems.append(f"{plural(n, 'row')} with an unrecognised stage in '{header}'")
        frame["lifecycle_stage"] = got["stage"]
    return frame


def _stages(labels: pd.Series) -> pd.DataFrame:
    """Per label: the internal stage (a custom stage trimmed and lower-cased) and whether
    it is custom."""
    stage = map_labels(normalise_label(labels.to_frame("label"), "label"), STAGES, STRING)
    custom = stage.isna() & ~blank(labels)
    stage = stage.where(~custom, labels.str.strip().str.lower())
    return pd.DataFrame({"stage": stage, "custom": custom}, index=labels.index)
