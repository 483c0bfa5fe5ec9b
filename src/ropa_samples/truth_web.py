"""The ground truth of the web and rights-request exports: GA4 events (consent,
identifiable URLs, retention) and the rights-request log (overdue answers), read as
``ropa_samples.truth`` reads the others.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

import numpy as np
import pandas as pd

from ropa_samples.gen import SampleFile, minus_months
from ropa_samples.truth_basics import (
    EMAIL,
    PHONE,
    WINDOWS,
    Context,
    Flags,
    col,
    days_before,
    utc_days,
)


def _identifiable(values: pd.Series) -> np.ndarray:
    """E-mail or phone in the URL-decoded text; each distinct value is decoded once."""
    s = values.fillna("").astype(str)
    hits = [u for u in pd.unique(s) if EMAIL.search(unquote(u)) or PHONE.search(unquote(u))]
    return s.isin(hits).to_numpy()


def _url_gclid(values: pd.Series) -> np.ndarray:
    """A ``gclid`` query parameter with a value in the URL; each distinct URL parsed once."""
    s = values.fillna("").astype(str)

    def has(url: str) -> bool:
        pairs = parse_qsl(urlsplit(url).query, keep_blank_values=True)
        return any(k.lower() == "gclid" and v for k, v in pairs)

    return s.isin([u for u in pd.unique(s) if has(u)]).to_numpy()


def analytics(sf: SampleFile, ctx: Context) -> Flags:
    f = sf.frame
    has = {
        c: f[c].fillna("").astype(str).str.strip().ne("").to_numpy()
        for c in ("user_pseudo_id", "collected_traffic_source.gclid", "event_params.gclid")
    }
    gclid = (
        has["collected_traffic_source.gclid"]
        | has["event_params.gclid"]
        | _url_gclid(f["event_params.page_location"])
    )
    analytics_yes = (f["privacy_info.analytics_storage"] == "Yes").to_numpy()
    ads_yes = (f["privacy_info.ads_storage"] == "Yes").to_numpy()
    cookie = (~analytics_yes & has["user_pseudo_id"]) | (~ads_yes & gclid)
    where = ["event_params.page_location", "event_params.page_referrer", "user_id"]
    ident = np.column_stack([_identifiable(f[c]) for c in where])
    when = pd.to_datetime(f["event_timestamp"].astype(np.int64), unit="us").dt.normalize()
    cut = pd.Timestamp(minus_months(ctx.as_of, WINDOWS["analytics_months"]))
    old = (when < cut).to_numpy()
    return {
        "COOKIE-NO-CONSENT": (
            cookie,
            lambda i: (
                "user_pseudo_id without analytics consent"
                if ~analytics_yes[i] and has["user_pseudo_id"][i]
                else "gclid without ads consent"
            ),
        ),
        "ANALYTICS-IDENTIFIABLE": (
            ident.any(axis=1),
            lambda i: (
                "e-mail or phone in "
                + ", ".join(c for c, k in zip(where, ident[i], strict=True) if k)
            ),
        ),
        "RET-ANALYTICS": (old, lambda i: f"event {when.iloc[i].date()} (UTC), before {cut.date()}"),
    }


def requests(sf: SampleFile, ctx: Context) -> Flags:
    received = utc_days(col(sf, "received"), local=False)
    done = utc_days(col(sf, "completed"), local=False)
    status = col(sf, "status").str.strip().str.lower()
    answered = status.isin({"completed", "rejected"}).to_numpy()
    open_ = status.isin({"open", "in_progress"}).to_numpy()
    took = (done - received).dt.days.to_numpy(dtype=float)
    waiting = days_before(ctx, received)
    limit = WINDOWS["request"]
    late = (answered & (took > limit)) | (open_ & (waiting > limit))
    return {
        "REQUEST-OVERDUE": (
            late,
            lambda i: (
                f"answered after {int(took[i])} days, limit {limit}"
                if answered[i]
                else f"open for {int(waiting[i])} days, limit {limit}"
            ),
        )
    }
