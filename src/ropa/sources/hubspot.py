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

from ropa.sources.common import (
    STRING,
    blank,
    map_labels,
    normalise_label,
    parse_bool,
    parse_times,
    plural,
)

TIMES = ("create_time", "last_activity_time")

STAGES = {
    "subscriber": "subscriber",
    "abonnent": "subscriber",
    "lead": "lead",
    "marketingqualifiedlead": "marketingqualifiedlead",
    "markedsføringskvalifisertlead": "marketingqualifiedlead",
    "salesqualifiedlead": "salesqualifiedlead",
    "salgskvalifisertlead": "salesqualifiedlead",
    "opportunity": "opportunity",
    "salgsmulighet": "opportunity",
    "customer": "customer",
    "kunde": "customer",
    "evangelist": "evangelist",
    "other": "other",
    "annet": "other",
}

MARKETING = {
    "marketing contact": True,
    "markedsføringskontakt": True,
    "set to non-marketing on next update": True,
    "settes til ikke-markedsføring ved neste oppdatering": True,
    "angi som ikke-markedsføringskontakt ved neste oppdatering": True,
    "non-marketing contact": False,
    "ikke-markedsføringskontakt": False,
    "true": True,
    "false": False,
}

YES_NO = {"true": True, "yes": True, "ja": True, "false": False, "no": False, "nei": False}


def finish(frame: pd.DataFrame, headers: dict[str, str], problems: list[str]) -> pd.DataFrame:
    parse_times(frame, headers, problems, TIMES)
    parse_bool(frame, headers, problems, "marketing_contact", MARKETING)
    parse_bool(frame, headers, problems, "unsubscribed_all", YES_NO)
    if "lifecycle_stage" in frame.columns:
        key = normalise_label(frame, "lifecycle_stage")
        stage = map_labels(key, STAGES, STRING)
        custom = stage.isna() & ~blank(frame["lifecycle_stage"])
        if n := int(custom.sum()):
            header = headers["lifecycle_stage"]
            problems.append(f"{plural(n, 'row')} with an unrecognised stage in '{header}'")
            stage = stage.where(~custom, frame["lifecycle_stage"].str.strip().str.lower())
        frame["lifecycle_stage"] = stage
    return frame
