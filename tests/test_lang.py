"""The Norwegian ROPA (``--lang nb``): every heading, label and sheet name from the nb
catalogue, the policy's own texts in Norwegian, and English output unchanged."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from tests.test_report_excel import ropa_records

from ropa.audit import run_audit
from ropa.catalogue import LANG_DIR, catalogue
from ropa.errors import PolicyError
from ropa.policy import load_policy
from ropa.policy.model import DEFAULT_POLICY, SEVERITIES
from ropa.policy.texts import localised
from ropa.report.excel import write_audit_workbook, write_policy_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
AS_OF = "2026-09-30"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The ROPA as it always read in English (the ICO template's columns), pinned.
EN_ROPA_HEADERS = [
    "Activity", "Business function", "Processing activity", "Purpose of processing",
    "Data uses (fideslang)", "Joint controller", "Categories of individuals",
    "Categories of personal data", "Categories of recipients",
    "Link to contract with processor", "Third countries", "Safeguards for transfers",
    "Retention schedule", "General description of security measures",
    "Article 6 lawful basis", "Article 9 condition", "Legitimate interests",
    "Link to record of legitimate interests assessment", "Rights available to individuals",
    "Automated decision-making, including profiling", "Source of the personal data",
    "Link to record of consent", "Location of personal data", "DPIA required?",
    "Policy section",
]  # fmt: skip


def ropa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ropa", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "ROPA_KEY": "lang-test", "COLUMNS": "200"},
        timeout=600,
        check=False,
    )


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    return [node] if isinstance(node, str) else []


def _keys(node: Any, prefix: str = "") -> set[str]:
    if not isinstance(node, dict):
        return {prefix}
    return {k for key, v in node.items() for k in _keys(v, f"{prefix}.{key}")}


def _pattern(template: str) -> re.Pattern[str]:
    """A catalogue text with its {placeholders} as wildcards."""
    return re.compile(re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(template)), re.DOTALL)


def patterns(lang: str) -> list[re.Pattern[str]]:
    return [_pattern(s) for s in _strings(catalogue(lang).data)]


def label_cells(ws: Worksheet) -> list[str]:
    """Every heading and label: the bold (titles, headers, labels) and italic (notes)
    text cells; severities and audit dates in header rows are data, not words."""
    return [
        c.value
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
        and (c.font.b or c.font.i)
        and c.value not in SEVERITIES
        and not _DATE.fullmatch(c.value)
    ]


def assert_norwegian(path: Path) -> None:
    """Sheet names and every heading/label cell are nb catalogue texts, none English."""
    nb, en = patterns("nb"), patterns("en")
    nb_texts = set(_strings(catalogue("nb").data))
    en_only = [
        p for p, s in zip(en, _strings(catalogue("en").data), strict=True) if s not in nb_texts
    ]
    book = load_workbook(path)
    sheets = catalogue("nb").data["sheets"]
    assert set(book.sheetnames) <= set(sheets.values()), book.sheetnames
    checked = 0
    for ws in book:
        for text in label_cells(ws):
            assert any(p.fullmatch(text) for p in nb), (ws.title, text)
            assert not any(p.fullmatch(text) for p in en_only), (ws.title, text)
            checked += 1
        # frame sheets: the header row is the machine column names, shown in Norwegian
        header = [c.value for c in ws[1] if c.value is not None]
        if ws.title not in (sheets["summary"], sheets["ropa"], sheets["trend"]):
            assert all(h in nb_texts for h in header), (ws.title, header)
    assert checked >= 40  # title, controller labels, note, 25 ROPA headers, gap headers


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    en, nb = catalogue("en").data, catalogue("nb").data
    assert _keys({k: v for k, v in en.items() if k != "columns"}) == _keys(
        {k: v for k, v in nb.items() if k != "columns"}
    )
    assert en["columns"] == {}  # English shows the machine column names themselves
    for key in _keys(en) - {".columns"}:
        path = key.strip(".").split(".")
        en_text = catalogue("en")(".".join(path))
        nb_text = catalogue("nb")(".".join(path))
        fields = re.compile(r"\{(\w+)")
        assert set(fields.findall(en_text)) == set(fields.findall(nb_text)), key
    assert all(len(name) <= 31 for name in nb["sheets"].values())  # Excel's limit
    assert sorted(p.name for p in LANG_DIR.glob("*.yaml")) == ["en.yaml", "nb.yaml"]


def test_policy_lang_nb_writes_a_norwegian_ropa(tmp_path: Path) -> None:
    out = tmp_path / "protokoll.xlsx"
    proc = ropa("policy", "--lang", "nb", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert_norwegian(out)
    book = load_workbook(out)
    assert book.sheetnames == ["Protokoll", "Mangler i erklæringen"]
    ws = book["Protokoll"]
    labels = [ws.cell(r, 1).value for r in range(2, 9)]
    assert labels[:3] == ["Behandlingsansvarlig", "Kontaktopplysninger", "Personvernombud"]
    assert ws.cell(2, 2).value == "Metier OEC (Norge)"
    assert ws.cell(3, 2).value == "ikke oppgitt i personvernerklæringen"
    first = catalogue("nb")("ropa.columns.activity")
    records = ropa_records(ws, first)
    header, data = list(records[0]), {r[first]: r for r in records}
    for name in (
        "Formål med behandlingen",
        "Kategorier av registrerte",
        "Kategorier av personopplysninger",
        "Kategorier av mottakere",
        "Overføring til tredjeland",
        "Sletting (frister)",
        "Behandlingsgrunnlag (art. 6)",
        "Vilkår for behandling av særlige kategorier (art. 9)",
    ):
        assert name in header, name
    policy = load_policy()
    for activity_id, activity in policy.activities.items():
        row = data[activity_id]
        assert row["Behandlingsaktivitet"] == activity.nb["name"] != activity.name
        assert row["Formål med behandlingen"] == "\n".join(activity.nb["purposes"])
        assert row["Kategorier av registrerte"] == "\n".join(activity.nb["data_subjects"])
        # fideslang keys are machine keys: unchanged
        first = row["Kategorier av personopplysninger"].split("\n")[0]
        assert first.endswith(f"({activity.data_categories[0]})")  # taxonomy name (key)
    assert data["visitors"]["Sletting (frister)"] == (
        "Inntil 90 dager etter at opplysningene ble registrert."
        " [P90D fra registrering (innsjekking)]"
    )
    assert data["customers"]["Behandlingsgrunnlag (art. 6)"].startswith(
        "art. 6(1)(b) avtale: oppfyllelse av avtalen"
    )
    assert data["web"]["Overføring til tredjeland"] == "USA (Google Analytics)"
    assert "innsyn, retting, sletting" in data["newsletter"]["De registrertes rettigheter"]


@pytest.fixture(scope="module")
def audit_result():
    os.environ.setdefault("ROPA_KEY", "lang-test")
    return run_audit(SAMPLES, as_of=date.fromisoformat(AS_OF), policy=load_policy())


def test_audit_lang_nb_writes_a_norwegian_workbook(tmp_path: Path) -> None:
    first = tmp_path / "q2"
    proc = ropa("audit", str(SAMPLES), "--as-of", "2026-06-30", "--out", str(first))
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "nb"
    proc = ropa(
        "audit", str(SAMPLES), "--as-of", AS_OF, "--lang", "nb", "--compare", str(first),
        "--out", str(out),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    path = out / f"ropa-{AS_OF}.xlsx"
    assert_norwegian(path)
    book = load_workbook(path)
    assert book.sheetnames == [
        "Sammendrag", "Protokoll", "Datakart", "Funn", "Dekning", "Endringer", "Utvikling",
        "Unntak", "Mangler i erklæringen", "Kilder",
    ]  # fmt: skip
    assert book["Funn"].cell(1, 1).value == "Regel"
    assert book["Funn"].cell(2, 1).value.isupper()  # rule ids stay machine keys
    ws = book["Protokoll"]
    first = catalogue("nb")("ropa.columns.activity")
    records = ropa_records(ws, first)
    header = list(records[0])
    assert "Lagres og slettes personopplysningene i samsvar med personvernerklæringen?" in header
    answers = {r[first]: r[header[-3]] for r in records}
    assert answers["visitors"].startswith(("Nei (revisjon", "Ja")), answers
    # the CSV outputs are never translated
    assert (out / "findings.csv").read_text(encoding="utf-8").startswith("rule_id,severity,")


def _contents(path: Path) -> dict[str, list[tuple]]:
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in load_workbook(path)}


def test_english_stays_the_default_and_unchanged(tmp_path: Path, audit_result) -> None:
    default = write_audit_workbook(audit_result, tmp_path / "default.xlsx")
    en = write_audit_workbook(audit_result, tmp_path / "en.xlsx", lang="en")
    assert default.read_bytes() == en.read_bytes()
    book = load_workbook(default)
    assert book.sheetnames == [
        "Summary", "ROPA", "Data map", "Findings", "Coverage", "Exceptions", "Policy gaps",
        "Sources",
    ]  # fmt: skip
    ws = book["ROPA"]
    assert ws.cell(1, 1).value == "Record of processing activities (GDPR Art. 30)"
    records = ropa_records(ws)
    assert list(records[0])[:25] == EN_ROPA_HEADERS
    assert records[0]["Processing activity"] == (
        "Customers and participants in courses and conferences"
    )
    assert book["Findings"].cell(1, 1).value == "rule_id"
    assert book["Summary"].cell(2, 1).value == "Audit date"
    nb = write_audit_workbook(audit_result, tmp_path / "nb.xlsx", lang="nb")
    # same shape, same values outside the words: the findings rows are identical
    assert _contents(nb)["Funn"][1:] == _contents(default)["Findings"][1:]
    p1, p2 = tmp_path / "p.xlsx", tmp_path / "p_en.xlsx"
    write_policy_workbook(load_policy(), p1)
    write_policy_workbook(load_policy(), p2, lang="en")
    assert p1.read_bytes() == p2.read_bytes()


def test_invalid_lang_is_a_one_line_usage_error(tmp_path: Path) -> None:
    for args in (
        ("policy", "--lang", "de", "--out", str(tmp_path / "x.xlsx")),
        ("audit", str(SAMPLES), "--lang", "no", "--out", str(tmp_path / "out")),
    ):
        proc = ropa(*args)
        assert proc.returncode == 2, (proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "--lang must be one of en, nb" in lines[0], proc.stderr
        assert "Traceback" not in proc.stderr
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "out").exists()


def _policy_with(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("addition", "message"),
    [
        ("  nb: {country: Norge, nmae: X}\n", "nb: unknown field 'nmae'"),
        ("  nb: {country: Norge, supervisory_authority: [a, b]}\n", "supervisory_authority"),
    ],
)
def test_nb_variants_are_validated(tmp_path: Path, addition: str, message: str) -> None:
    path = _policy_with(tmp_path, "  nb: {country: Norge}\n", addition)
    with pytest.raises(PolicyError, match=re.escape(message)):
        load_policy(path)


def test_nb_may_not_replace_a_key(tmp_path: Path) -> None:
    path = _policy_with(
        tmp_path, "      name: Besøksregistreringssystem\n",
        "      name: Besøksregistreringssystem\n      data_categories: [user.name]\n",
    )  # fmt: skip
    with pytest.raises(PolicyError, match="'data_categories' is not a text field"):
        load_policy(path)


def test_localised_policy_keeps_keys_and_falls_back_to_english() -> None:
    policy = load_policy()
    assert localised(policy, "en") is policy
    nb = localised(policy, "nb")
    assert nb.file_name == policy.file_name
    assert nb.windows == policy.windows and nb.vocabulary == policy.vocabulary
    visitors = nb.activities["visitors"]
    assert visitors.name == "Besøksregistreringssystem"
    assert visitors.data_categories == policy.activities["visitors"].data_categories
    assert visitors.retention.period == "P90D"
    # a field without a Norwegian variant stays in English
    assert visitors.legal_basis[0].article == "6(1)(f)"
    assert nb.controller.name == "Metier OEC" and nb.controller.country == "Norge"
    assert policy.activities["visitors"].name == "Visitor registration system"  # unchanged


def test_every_shipped_activity_has_its_norwegian_texts() -> None:
    raw = yaml.safe_load(DEFAULT_POLICY.read_text(encoding="utf-8"))
    for activity_id, activity in raw["activities"].items():
        assert {"name", "purposes", "data_subjects", "recipients"} <= set(activity["nb"]), (
            activity_id
        )
        if activity["retention"]["text"]:
            assert "text" in activity["retention"]["nb"], activity_id
        for basis in activity["legal_basis"]:
            assert "note" in basis["nb"], (activity_id, basis["basis"])


def test_nb_may_not_replace_a_nested_item(tmp_path: Path) -> None:
    """Nested items (bases, transfers, retention) carry their own ``nb:``."""
    path = _policy_with(
        tmp_path, "      name: Besøksregistreringssystem\n",
        "      name: Besøksregistreringssystem\n      retention: {text: x}\n",
    )  # fmt: skip
    with pytest.raises(PolicyError, match="'retention' is not a text field"):
        load_policy(path)
