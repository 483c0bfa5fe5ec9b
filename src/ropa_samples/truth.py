"""The ground truth: DESIGN.md's rule table evaluated on the rows as written.

This is a second, independent reading of the rule semantics (it shares no code with
``ropa.rules``), applied to the generated frames, so the manifest lists exactly what the
rules must flag at any seed and scale. Every flagged row must be a planted row (one
with a ``_note``) and every near miss must stay unflagged; ``record_flags`` raises
otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from ropa.sources.canonical import KEEP_ON_ERASURE
from ropa_samples.gen import SampleFile, minus_months
from ropa_samples.truth_basics import (
    B2B_ENDED,
    MARKETING,
    NONE_WORDS,
    PROSPECT_STAGES,
    STAGES,
    WINDOWS,
    YES,
    Context,
    Flags,
    among,
    col,
    days_before,
    entry,
    filled,
    norm_email,
    over,
    utc_days,
)
from ropa_samples.truth_web import analytics, requests


def _erasure(sf: SampleFile, ctx: Context) -> Flags:
    if sf.kind in KEEP_ON_ERASURE or sf.email_col is None:
        return {}
    hit = among(norm_email(col(sf, sf.email_col)), ctx.erased)
    return {"ERASURE-NOT-DONE": (hit, lambda i: "subject of a completed erasure request")}


def newsletter(sf: SampleFile, ctx: Context) -> Flags:
    if sf.kind == "newsletter_subscribed":
        no_consent = ~filled(col(sf, "OPTIN_TIME")) & ~filled(col(sf, "CONFIRM_TIME"))
        return {"CONSENT-MISSING": (no_consent, lambda i: "OPTIN_TIME and CONFIRM_TIME empty")}
    if sf.kind == "newsletter_unsubscribed":
        held = [
            "First Name",
            "Last Name",
            "Phone Number",
            "Address",
            "OPTIN_IP",
            "CONFIRM_IP",
            "LATITUDE",
            "LONGITUDE",
        ]
        kept = np.column_stack([filled(col(sf, h)) for h in held])
        return {
            "UNSUB-RESIDUE": (
                np.asarray(kept.any(axis=1)),
                lambda i: (
                    "unsubscribed record holds "
                    + ", ".join(h for h, k in zip(held, kept[i], strict=True) if k)
                ),
            )
        }
    days = days_before(ctx, utc_days(col(sf, "CLEAN_TIME"), local=False))
    return {"CLEANED-KEPT": over(days > WINDOWS["cleaned"], days, "cleaned", WINDOWS["cleaned"])}


def crm(sf: SampleFile, ctx: Context) -> Flags:
    last_text = col(sf, "Last Activity Date", "Dato for siste aktivitet")
    created = col(sf, "Create Date", "Opprettelsesdato")
    last = utc_days(last_text.where(last_text.str.strip() != "", created), local=True)
    stage_text = col(sf, "Lifecycle Stage", "Livssyklusfase").str.strip().str.lower()
    stage = stage_text.map(STAGES)
    marketing = (
        col(sf, "Marketing contact status", "Status for markedsføringskontakt")
        .str.strip()
        .str.lower()
        .isin(MARKETING)
        .to_numpy()
    )
    basis = filled(
        col(
            sf,
            "Legal basis for processing contact's data",
            "Juridisk grunnlag for behandling av kontaktens data",
        )
    )
    unsub_all = (
        col(sf, "Unsubscribed from all email", "Avmeldt fra all e-post")
        .str.strip()
        .str.lower()
        .isin(YES)
        .to_numpy()
    )
    in_unsub = among(norm_email(col(sf, sf.email_col or "")), ctx.unsubscribed)
    years = WINDOWS["customer_years"]
    fy = last.dt.year.to_numpy(dtype=float)
    # The period ends on 31 Dec of (fy + years); that is before as_of exactly when
    # fy + years < as_of.year, because 31 Dec of as_of's own year is never before as_of.
    customer = np.asarray((stage == "customer").to_numpy() & (fy + years < ctx.as_of.year))
    cut = pd.Timestamp(minus_months(ctx.as_of, WINDOWS["prospect_months"]))
    prospect = stage.isin(PROSPECT_STAGES).to_numpy() & (last < cut).to_numpy()

    def iso(i: int) -> str:
        return str(last.iloc[i].date())

    ended = _b2b_ended(sf, stage_text)
    days = days_before(ctx, last)
    b2b = WINDOWS["b2b"]
    return {
        "RET-B2B": over(ended & (days > b2b), days, "relationship ended, last activity", b2b),
        "RET-CUSTOMER": (
            customer,
            lambda i: (
                f"customer, last activity {iso(i)} (UTC): "
                f"financial year {int(fy[i])} closed for {years} years"
            ),
        ),
        "RET-PROSPECT": (
            prospect,
            lambda i: f"prospect, last activity {iso(i)} (UTC), before {cut.date()}",
        ),
        "CONSENT-MISSING": (marketing & ~basis, lambda i: "marketing contact, legal basis empty"),
        "CRM-MARKETING-AFTER-OPTOUT": (
            marketing & (in_unsub | unsub_all),
            lambda i: (
                "marketing contact, "
                + ("unsubscribed in Mailchimp" if in_unsub[i] else "unsubscribed from all e-mail")
            ),
        ),
    }


def _b2b_ended(sf: SampleFile, stage: pd.Series) -> np.ndarray:
    """RET-B2B's markers: the Lead Status, or the stage without separators."""
    keys = {re.sub(r"[\s_-]", "", w) for w in B2B_ENDED}
    ended = stage.str.replace(r"[\s_-]", "", regex=True).isin(keys).to_numpy().copy()
    if "Lead Status" in sf.frame.columns:
        ended |= col(sf, "Lead Status").str.strip().str.lower().isin(B2B_ENDED).to_numpy()
    return ended


def registrations(sf: SampleFile, ctx: Context) -> Flags:
    event = utc_days(col(sf, "Event Date"), local=False)
    days = days_before(ctx, event)
    fy = event.dt.year.to_numpy(dtype=float)

    def present(h: str) -> np.ndarray:
        s = col(sf, h).str.strip().str.lower()
        return ((s != "") & ~s.isin(NONE_WORDS)).to_numpy()

    special = present("Dietary requirements") | present("Allergies")
    consent = col(sf, [c for c in sf.headers if "consent" in c.lower()][0]).str.strip().str.lower()
    no_consent = special & ~consent.isin(YES).to_numpy()
    years, limit = WINDOWS["customer_years"], WINDOWS["special_days"]
    return {
        "RET-CUSTOMER": (
            fy + years < ctx.as_of.year,
            lambda i: f"event in financial year {int(fy[i])}, closed for {years} years",
        ),
        "SPECIAL-NO-CONSENT": (no_consent, lambda i: "dietary/allergy answer, consent not yes"),
        "SPECIAL-KEPT": over(
            special & (days > limit), days, "dietary/allergy answer, event", limit
        ),
    }


def visitors(sf: SampleFile, ctx: Context) -> Flags:
    days = days_before(
        ctx,
        utc_days(
            sf.frame[next(h for h in sf.headers if "signed_in" in h.lower().replace(" ", "_"))],
            local=False,
        ),
    )
    return {"RET-VISITOR": over(days > WINDOWS["visitor"], days, "signed in", WINDOWS["visitor"])}


def inquiries(sf: SampleFile, ctx: Context) -> Flags:
    upd = col(sf, "Last Updated")
    last = utc_days(upd.where(upd.str.strip() != "", col(sf, "Date Created")), local=True)
    days = days_before(ctx, last)
    limit = WINDOWS["inquiry"]
    return {"RET-INQUIRY": over(days > limit, days, "last update (UTC)", limit)}


BY_KIND: dict[str, Callable[[SampleFile, Context], Flags]] = {
    "newsletter_subscribed": newsletter,
    "newsletter_unsubscribed": newsletter,
    "newsletter_cleaned": newsletter,
    "crm": crm,
    "registrations": registrations,
    "visitors": visitors,
    "inquiries": inquiries,
    "analytics": analytics,
    "requests": requests,
}


def context(files: list[SampleFile], as_of: date) -> Context:
    """The cross-source inputs: unsubscribed e-mails and completed erasure subjects."""
    ctx = Context(as_of)
    for sf in files:
        if sf.kind == "newsletter_unsubscribed":
            ctx.unsubscribed |= set(norm_email(col(sf, "Email Address")))
        if sf.kind == "requests":
            done = utc_days(col(sf, "completed"), local=False)
            erased = (
                col(sf, "type").str.strip().str.lower().eq("erasure")
                & col(sf, "status").str.strip().str.lower().eq("completed")
                & (done < ctx.ts)
            )
            ctx.erased |= set(norm_email(col(sf, "subject_email"))[erased])
    ctx.unsubscribed.discard("")
    return ctx


def record_flags(files: list[SampleFile], as_of: date) -> tuple[list[dict], list[dict]]:
    """(planted, near_misses) entries for every record rule, checked for consistency."""
    ctx = context(files, as_of)
    planted, near_misses = [], []
    for sf in files:
        flags = {**BY_KIND[sf.kind](sf, ctx), **_erasure(sf, ctx)}
        notes = sf.frame["_note"].fillna("").astype(str).to_numpy()
        for rule, (mask, detail) in flags.items():
            for i in map(int, np.flatnonzero(mask)):
                if not notes[i]:
                    raise AssertionError(f"{sf.rel} row {i + 1}: unplanted {rule} ({detail(i)})")
                planted.append(entry(rule, sf.rel, i + 1, None, f"{notes[i]}; {detail(i)}"))
        nears = sf.frame["_near"].fillna("").astype(str).to_numpy()
        for i in map(int, np.flatnonzero(nears != "")):
            for item in nears[i].split("|"):
                rule, why = item.split(": ", 1)
                if rule in flags and flags[rule][0][i]:
                    raise AssertionError(f"{sf.rel} row {i + 1}: near miss flagged by {rule}")
                near_misses.append(entry(rule, sf.rel, i + 1, None, why))
    return planted, near_misses
