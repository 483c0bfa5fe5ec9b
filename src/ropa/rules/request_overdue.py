"""REQUEST-OVERDUE: data-subject requests are answered within 30 days (4, Art. 12(3))."""

from __future__ import annotations

from typing import Any

import ibis
import pandas as pd

from ropa.rules import expr as X
from ropa.rules.base import Context, Rule
from ropa.rules.values import counted, folded, iso, present, text, utc_times

REQUEST_TYPES = ("access", "rectification", "erasure", "restriction", "portability", "objection")


def _state(frame: pd.DataFrame, ctx: Context) -> tuple[pd.Series, pd.Series]:
    """(answered on its completed date, still open) per request.

    ``completed`` / ``rejected`` with a completed date are answered; ``open`` /
    ``in_progress`` are open; an answered status without a date, or no status and no
    date, cannot show an answer and counts as open.
    """
    status = folded(text(frame, "status"))
    done = utc_times(frame, "completed_time").notna()
    blank = ~present(text(frame, "status"))
    is_answered = (status.isin(ctx.words("answered_statuses")).fillna(False) | blank) & done
    is_open = status.isin(ctx.words("marketing_open_statuses")).fillna(False) | (
        (status.isin(ctx.words("answered_statuses")).fillna(False) | blank) & ~done
    )
    return is_answered.astype(bool), is_open.astype(bool)


def _state_expr(t: Any, ctx: Context) -> tuple[Any, Any]:
    """``_state`` as expressions (every engine)."""
    status = X.folded(X.text(t, "status"))
    done = X.utc_times(t, "completed_time").notnull()
    blank = ~X.present(X.text(t, "status"))
    answered_status = status.isin(sorted(ctx.words("answered_statuses"))).fill_null(False)
    open_status = status.isin(sorted(ctx.words("marketing_open_statuses"))).fill_null(False)
    is_answered = (answered_status | blank) & done
    is_open = open_status | ((answered_status | blank) & ~done)
    return is_answered, is_open


class RequestOverdue(Rule):
    """Request answered, or still open, more than the response window after receipt."""

    id = "REQUEST-OVERDUE"
    order = 140
    name = "rights.request_overdue"
    policy_ref = "4"
    severity = "high"
    activity = "requests"
    kinds = ("requests",)
    reads = ("received_time", "completed_time", "status", "type")
    windows = ("request_response_days",)

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        received = X.utc_times(t, "received_time")
        is_answered, is_open = _state_expr(t, ctx)
        answered_after = X.days_between(received, X.utc_times(t, "completed_time"))
        open_for = X.days_since(received, ctx)
        days = ibis.cases((is_answered, answered_after), (is_open, open_for), else_=X.null("int64"))
        return {"response_days": days}

    def gaps(self, t: Any, kind: str, ctx: Context) -> list[X.Gap]:
        return X.needs_value(t, kind, ("received_time",), "a received date")

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        limit = policy.windows.request_response_days
        return [
            self.expect_at_most(
                "response_days",
                limit,
                f"a request is answered within {limit} days of receipt, or is open for at "
                f"most {limit} days at the audit date",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        limit = ctx.windows.request_response_days
        kind_ = folded(text(rows, "type"))
        label = (kind_.where(kind_.isin(REQUEST_TYPES).fillna(False), "") + " request").str.strip()
        is_answered, _ = _state(rows, ctx)
        received = iso(utc_times(rows, "received_time"))
        days = counted(rows["response_days"], "day")
        answered_text = (
            label
            + " received "
            + received
            + ", answered "
            + iso(utc_times(rows, "completed_time"))
            + " after "
            + days
        )
        open_text = label + " received " + received + ", still open after " + days
        return answered_text.where(is_answered, open_text) + f", limit {limit}"


rule = RequestOverdue()
