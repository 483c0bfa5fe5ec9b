"""The Art. 30 record the policy yields, and the gaps where the policy is silent.

Both come from one table of ROPA columns so they cannot drift apart: every cell that
reads "not stated in policy" on the ROPA sheet names the gap that reports it. Gaps are
computed from the model where a field can show them; what only a reader of the text can
see comes from ``textual_gaps`` in the YAML.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pandas as pd

from ropa.catalogue import Catalogue, catalogue
from ropa.paths import GAPS_FILE, read_yaml
from ropa.policy.model import SEVERITIES, Activity, Basis, LegalBasis, Policy
from ropa.policy.texts import localised

NOT_STATED = "not stated in policy"  # ropa.not_stated in report/lang/en.yaml
GAP_COLUMNS = ["gap_id", "severity", "reference", "activity", "missing", "suggested_fix", "source"]


class Spec(NamedTuple):
    severity: str
    reference: str
    missing: str  # {activities}: names of the activities concerned; {note}: a policy note
    suggested_fix: str


# The gap texts are data (policy/gaps.yaml): id -> severity, reference, missing, fix.
_GAPS = read_yaml(GAPS_FILE)
SPECS: dict[str, Spec] = {
    gap_id: Spec(g["severity"], g["reference"], g["missing"], g["suggested_fix"])
    for gap_id, g in _GAPS.items()
}
# Gaps reported once per activity (id ends in the activity id); the others once per policy.
PER_ACTIVITY = tuple(gap_id for gap_id, g in _GAPS.items() if g.get("per_activity"))


def _join(items: list[str], sep: str = "\n") -> str | None:
    return sep.join(items) or None


def _if(condition: bool, value: str | None, otherwise: str) -> str | None:
    """``value`` where the field applies (None = silent), else why it does not apply."""
    return value if condition else otherwise


def _categories(a: Activity, t: Catalogue) -> str | None:
    special = {s.category for s in a.special_categories}
    mark = t("ropa.values.special_category")
    from ropa.policy.taxonomy import category_name

    return _join([category_name(c) + (mark if c in special else "") for c in a.data_categories])


def _basis(b: LegalBasis, t: Catalogue) -> str:
    return t("ropa.values.article", article=b.article, basis=t.word("ropa.bases", b.basis.value))


def _bases(a: Activity, t: Catalogue) -> str | None:
    return _join([
        _basis(b, t)
        + (f" ({b.applies_to})" if b.applies_to else "") + (f": {b.note}" if b.note else "")
        for b in a.legal_basis
    ])  # fmt: skip


def _article9(a: Activity, t: Catalogue) -> str | None:
    if any(s.condition is None for s in a.special_categories):
        return None
    return _join([f"{s.category}: {t('ropa.values.condition', condition=s.condition)}"
                  + (f" ({s.note})" if s.note else "") for s in a.special_categories])  # fmt: skip


def _countries(a: Activity, t: Catalogue) -> str | None:
    if a.transfers is None:
        return None
    return _join([f"{t.country} ({t.recipient})" for t in a.transfers]) or t("ropa.values.eea_only")


def _safeguards(a: Activity, t: Catalogue) -> str | None:
    if a.transfers is None or any(x.safeguard is None for x in a.transfers):
        return None
    return _join([f"{x.recipient}: {x.safeguard}" for x in a.transfers]) or t(
        "ropa.values.not_applicable"
    )


def _retention(a: Activity, t: Catalogue) -> str | None:
    r = a.retention
    if r.text is None:
        return None
    start = r.counted_from or t("ropa.values.collection")
    period = t("ropa.values.period", period=r.period, start=start) if r.period else ""
    return " ".join(r.text.split()) + period


def _rights(p: Policy, a: Activity, t: Catalogue) -> str | None:
    """Portability needs consent or contract (Art. 20); objection needs 6(1)(e)/(f) (Art. 21)."""
    conditional = {"portability": {Basis.consent, Basis.contract},
                   "objection": {Basis.legitimate_interests, Basis.public_task}}  # fmt: skip
    return _join([t.word("ropa.rights", r) for r in p.rights
                  if r not in conditional or conditional[r] & a.bases], ", ")  # fmt: skip


def _relies_on_consent(a: Activity) -> bool:
    return Basis.consent in a.bases or any(s.condition == "9(2)(a)" for s in a.special_categories)


def _only(p: Policy, t: Catalogue) -> str:
    return t("ropa.controller.only_controller", name=p.controller.name)


Getter = Callable[[Policy, str, Activity, Catalogue], str | None]
Gap = Callable[[str, Activity], str] | str | None
LI = Basis.legitimate_interests
# (column key, value, gap id when the value is None). The headers are ``ropa.columns.<key>``
# in the catalogue (report/lang). Order: the UK ICO controller template.
# fmt: off
COLUMNS: list[tuple[str, Getter, Gap]] = [
    ("activity", lambda p, i, a, t: i, None),
    ("business_function", lambda p, i, a, t: a.business_function or a.name, None),
    ("name", lambda p, i, a, t: a.name, None),
    ("purposes", lambda p, i, a, t: _join(a.purposes), None),
    ("data_uses", lambda p, i, a, t: _join(a.data_uses) or t("ropa.values.none_declared"), None),
    ("joint_controller", lambda p, i, a, t: _join(p.controller.joint_controllers)
     or _only(p, t), None),
    ("data_subjects", lambda p, i, a, t: _join(a.data_subjects), None),
    ("data_categories", lambda p, i, a, t: _categories(a, t), None),
    ("recipients", lambda p, i, a, t: _join(a.recipients), "GAP-RECIPIENTS"),
    ("processor_contracts", lambda p, i, a, t: p.processor_contracts,
     "GAP-PROCESSOR-CONTRACTS"),
    ("countries", lambda p, i, a, t: _countries(a, t), "GAP-TRANSFER-COUNTRIES"),
    ("safeguards", lambda p, i, a, t: _safeguards(a, t), lambda i, a:
     "GAP-TRANSFER-COUNTRIES" if a.transfers is None else f"GAP-TRANSFER-SAFEGUARD-{i}"),
    ("retention", lambda p, i, a, t: _retention(a, t), lambda i, a: f"GAP-RETENTION-{i}"),
    ("security", lambda p, i, a, t: p.security_measures, "GAP-SECURITY-MEASURES"),
    ("article6", lambda p, i, a, t: _bases(a, t), lambda i, a: f"GAP-LEGAL-BASIS-{i}"),
    ("article9", lambda p, i, a, t: _if(bool(a.special_categories), _article9(a, t),
     t("ropa.values.no_special")), lambda i, a: f"GAP-SPECIAL-CONDITION-{i}"),
    ("legitimate_interests", lambda p, i, a, t: _if(LI in a.bases, a.legitimate_interests,
     t("ropa.values.no_li")), lambda i, a: f"GAP-LEGITIMATE-INTERESTS-{i}"),
    ("lia", lambda p, i, a, t: _if(LI in a.bases, a.lia, t("ropa.values.not_applicable")),
     "GAP-LIA-RECORD"),
    ("rights", lambda p, i, a, t: _rights(p, a, t), "GAP-RIGHTS"),
    ("automated", lambda p, i, a, t: p.automated_decisions, "GAP-AUTOMATED-DECISIONS"),
    ("sources", lambda p, i, a, t: _join(a.sources), "GAP-DATA-SOURCE"),
    ("consent_record", lambda p, i, a, t: _if(_relies_on_consent(a), a.consent_record,
     t("ropa.values.no_consent")), "GAP-CONSENT-RECORD"),
    ("location", lambda p, i, a, t: a.location, "GAP-DATA-LOCATION"),
    ("dpia", lambda p, i, a, t: a.dpia, "GAP-DPIA"),
    ("section", lambda p, i, a, t: f"§ {a.section}", None),
]
# fmt: on


def _gap_id(gap: Gap, activity_id: str, activity: Activity) -> str:
    return gap(activity_id, activity) if callable(gap) else str(gap)


def ropa_rows(
    policy: Policy, lang: str = "en"
) -> tuple[list[str], list[dict[str, str]], dict[tuple[str, str], str]]:
    """Headers, one row per activity, and the gap id behind each "not stated" cell.

    ``lang`` picks the headers and words (report/lang/<lang>.yaml) and the policy's texts
    in that language where it gives them (``nb:`` variants).
    """
    t = catalogue(lang)
    policy = localised(policy, lang)
    not_stated = t("ropa.not_stated")
    headers = [t(f"ropa.columns.{key}") for key, _, _ in COLUMNS]
    rows, cell_gaps = [], {}
    for activity_id, activity in policy.activities.items():
        row = {}
        for header, (_, value, gap) in zip(headers, COLUMNS, strict=True):
            text = value(policy, activity_id, activity, t)
            if text is None:
                cell_gaps[(activity_id, header)] = _gap_id(gap, activity_id, activity)
            row[header] = not_stated if text is None else text
        rows.append(row)
    return headers, rows, cell_gaps


def controller_rows(policy: Policy, lang: str = "en") -> list[tuple[str, str]]:
    """The controller block of the ROPA (Art. 30(1)(a)) as label/value pairs."""
    t = catalogue(lang)
    policy = localised(policy, lang)
    c = policy.controller
    contact = "\n".join(v for v in (c.address, c.email, c.phone) if v)
    not_stated = t("ropa.not_stated")
    return [
        (t("ropa.controller.controller"), f"{c.name} ({c.country})"),
        (t("ropa.controller.contact"), contact or not_stated),
        (t("ropa.controller.dpo"), c.dpo or not_stated),
        (t("ropa.controller.representative"), c.representative or not_stated),
        (t("ropa.controller.joint"), "\n".join(c.joint_controllers) or _only(policy, t)),
        (t("ropa.controller.authority"), c.supervisory_authority),
        (
            t("ropa.controller.policy"),
            t(
                "ropa.controller.policy_value",
                version=policy.version,
                effective=policy.effective.isoformat(),
                file=policy.file_name,
            ),
        ),
    ]


def policy_gaps(policy: Policy) -> pd.DataFrame:
    """Every Art. 30 field the policy leaves empty, plus the gaps only a reader sees.

    Ids are stable across quarters (findings and reports refer to them): per-activity
    gaps end in the activity id, the others name one field for the whole policy.
    ``activity`` is one activity id, or "" when the gap concerns the policy as a whole or
    several activities (``missing`` then names them). Worst first, then by id.
    """
    c = policy.controller
    found: dict[str, tuple[str, list[str]]] = {}  # gap id -> (spec key, activity ids)
    if not (c.address or c.email or c.phone):
        found["GAP-CONTROLLER-CONTACT"] = ("GAP-CONTROLLER-CONTACT", [])
    for field, gap_id in (("dpo", "GAP-DPO"), ("representative", "GAP-REPRESENTATIVE")):
        if getattr(c, field) is None:
            found[gap_id] = (gap_id, [])
    for (activity_id, _header), gap_id in ropa_rows(policy)[2].items():
        key = next((k for k in PER_ACTIVITY if gap_id.startswith(k + "-")), gap_id)
        found.setdefault(gap_id, (key, []))[1].append(activity_id)
    for activity_id, a in policy.activities.items():
        cookies = a.cookies
        optional = cookies and (cookies.tags or any(not k.essential for k in cookies.categories))
        if optional and Basis.consent not in a.bases:
            found.setdefault("GAP-COOKIE-CONSENT", ("GAP-COOKIE-CONSENT", []))[1].append(
                activity_id
            )
    rows = [_computed(policy, gap_id, key, list(dict.fromkeys(acts)))
            for gap_id, (key, acts) in found.items()]  # fmt: skip
    rows += [
        {"gap_id": g.id, "severity": g.severity, "reference": g.reference,
         "activity": g.activity or "", "missing": " ".join(g.missing.split()),
         "suggested_fix": " ".join(g.suggested_fix.split()), "source": policy.file_name}
        for g in policy.textual_gaps
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=GAP_COLUMNS)
    rank = frame["severity"].map(SEVERITIES.index)
    frame = frame.assign(_rank=rank).sort_values(["_rank", "gap_id"], kind="stable")
    return frame.drop(columns="_rank").reset_index(drop=True)


# Fields of the policy as a whole: their gap concerns no single activity.
POLICY_WIDE = {"GAP-PROCESSOR-CONTRACTS", "GAP-SECURITY-MEASURES", "GAP-RIGHTS",
               "GAP-AUTOMATED-DECISIONS"}  # fmt: skip


def _computed(policy: Policy, gap_id: str, key: str, acts: list[str]) -> dict[str, str]:
    spec = SPECS[key]
    sections = [policy.activities[i].section for i in acts]
    reference = spec.reference + (
        f"; policy § {', '.join(sections)}" if len(acts) in (1, 2) else ""
    )
    missing = spec.missing.format(activities=", ".join(acts), note=_note(policy, key, acts))
    return {"gap_id": gap_id, "severity": spec.severity, "reference": reference,
            "activity": acts[0] if len(acts) == 1 and key not in POLICY_WIDE else "",
            "missing": missing.strip(),
            "suggested_fix": spec.suggested_fix, "source": policy.file_name}  # fmt: skip


def _note(policy: Policy, key: str, activity_ids: list[str]) -> str:
    """The policy's own words where they explain the gap (retention note, basis, recipient)."""
    acts = [policy.activities[i] for i in activity_ids]
    if key == "GAP-RETENTION":
        return " ".join(" ".join(a.retention.note.split()) for a in acts if a.retention.note)
    if key == "GAP-TRANSFER-SAFEGUARD":
        return "; ".join(f"{t.recipient} ({t.country})" for a in acts for t in a.transfers or []
                         if t.safeguard is None)  # fmt: skip
    if key == "GAP-COOKIE-CONSENT":
        bases = {f"Art. {b.article} {b.basis.value.replace('_', ' ')}"
                 for a in acts for b in a.legal_basis}  # fmt: skip
        return " and ".join(sorted(bases)) or "no basis"
    return ""
