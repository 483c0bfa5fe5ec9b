"""Findings: fixed schema, pseudonymous subject keys, deterministic files, no values."""

from __future__ import annotations

import hashlib
import hmac
import stat
import string
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings, strategies as st

from ropa.audit import check_frame, data_map_frame, gap_findings, run_audit
from ropa.findings import (
    FINDING_COLUMNS,
    keyed_hashes,
    load_key,
    make_findings,
    sort_findings,
    subject_keys,
    write_findings,
)
from ropa.policy import load_policy
from ropa.rules import ALL_RULES, build_context
from ropa.suites import build_suites

POLICY = load_policy()
S = "string[pyarrow]"


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROPA_KEY", "test-key-not-secret")
    monkeypatch.delenv("ROPA_KEY_FILE", raising=False)


def test_finding_columns_are_the_output_contract() -> None:
    assert FINDING_COLUMNS == [
        "rule_id", "severity", "activity", "policy_ref", "source", "row", "column",
        "subject_key", "detail", "finding_id", "exception",
    ]  # fmt: skip


# -- subject keys ------------------------------------------------------------------------


def test_subject_key_is_the_first_16_hex_of_hmac_sha256_of_the_normalised_email() -> None:
    keys = subject_keys(pd.Series([" Kari@Example.NO "], dtype=S), pd.Series([None], dtype=S))
    want = hmac.new(b"test-key-not-secret", b"kari@example.no", hashlib.sha256).hexdigest()[:16]
    assert keys.tolist() == [want]


def test_the_same_person_gets_the_same_key_and_phone_is_the_fallback() -> None:
    emails = pd.Series(["kari@example.no", "KARI@example.no ", None, None, None], dtype=S)
    phones = pd.Series([None, "+47 999 99 999", "+47 912 34 567", "91234567", None], dtype=S)
    keys = subject_keys(emails, phones)
    assert keys[0] == keys[1]
    assert keys[2] == keys[3] != keys[0]
    assert pd.isna(keys[4])
    want = hmac.new(b"test-key-not-secret", b"+4791234567", hashlib.sha256).hexdigest()[:16]
    assert keys[2] == want


def test_another_key_gives_other_subject_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    emails = pd.Series(["kari@example.no"], dtype=S)
    first = subject_keys(emails).iloc[0]
    monkeypatch.setenv("ROPA_KEY", "another-key")
    assert subject_keys(emails).iloc[0] != first


def _hmac16(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


TEXTS = st.lists(
    st.one_of(st.none(), st.text(max_size=90), st.sampled_from(["a", "kari@example.no", ""])),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(
    values=TEXTS,
    key=st.one_of(
        st.text(string.printable, min_size=1, max_size=200).filter(lambda k: k.strip()),
        st.sampled_from(["k" * 63, "k" * 64, "k" * 65, "\u00e6" * 40]),
    ),
    prefix=st.sampled_from(["", "RET-ANALYTICS\x1fanalytics\x1f", "\u00f8"]),
)
def test_keyed_hashes_are_hmac_sha256_of_prefix_and_value_per_row(
    values: list[str | None], key: str, prefix: str
) -> None:
    secret = key.strip().encode("utf-8")
    series = pd.Series(values, dtype=S, index=range(100, 100 + len(values)))
    want = [None if v is None else _hmac16(secret, prefix + v) for v in values]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ROPA_KEY", key)
        got = keyed_hashes(series, prefix)
        every_row = keyed_hashes(series, prefix, distinct=True)
    assert got.index.equals(series.index) and str(got.dtype) == str(pd.StringDtype("pyarrow"))
    assert [None if pd.isna(v) else v for v in got] == want
    # every row hashed without the distinct-value pass: the same digests
    assert every_row.fillna("-").tolist() == got.fillna("-").tolist()


# findings.csv of data/samples as of 2026-09-30 with ROPA_KEY=test-key-not-secret, as the
# implementation before the vectorised keyed hashes wrote it (main at 33b40a8). The
# subject keys and finding ids must keep their bytes: findings are compared across
# quarters by them. Update only when the rules or the samples change on purpose.
SAMPLES_FINDINGS_SHA256 = "de8870b202c12481db255b20078e585b5191f012197ea965beb0b433fa5341dd"


def test_findings_csv_of_the_samples_keeps_its_bytes(tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[1] / "data" / "samples"
    findings = run_audit(samples, as_of=date(2026, 9, 30)).findings
    csv_path, _ = write_findings(findings, tmp_path)
    assert hashlib.sha256(csv_path.read_bytes()).hexdigest() == SAMPLES_FINDINGS_SHA256
    some = findings.dropna(subset=["subject_key"]).iloc[0]
    assert len(findings) == 229 and len(some["subject_key"]) == 16


def test_key_file_is_created_once_with_mode_0600(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ROPA_KEY")
    path = tmp_path / "cfg" / "ropa" / "key"
    monkeypatch.setenv("ROPA_KEY_FILE", str(path))
    key = load_key()
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == 64 and int(key, 16) >= 0
    assert load_key() == key


def test_key_from_the_environment_wins_over_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ROPA_KEY_FILE", str(tmp_path / "key"))
    assert load_key() == b"test-key-not-secret"
    assert not (tmp_path / "key").exists()


# -- files ----------------------------------------------------------------------------------


def _sample_findings() -> pd.DataFrame:
    record = make_findings(
        rule_id="RET-VISITOR",
        severity="high",
        activity="visitors",
        policy_ref="1.5",
        source=pd.Series(["visitors/b.csv", "visitors/a.csv", "visitors/a.csv"]),
        row=pd.Series([3, 10, 2]),
        column=None,
        subject_key=pd.Series(["abc", None, "def"]),
        detail="signed in 2026-01-03, 270 days before audit date, limit 90",
    )
    column = make_findings(
        rule_id="UNDECLARED-DATA",
        severity="medium",
        activity="newsletter",
        policy_ref="1.2",
        source=pd.Series(["newsletter/subscribed.csv"] * 2),
        row=None,
        column=pd.Series(["LATITUDE", "First Name"]),
        subject_key=None,
        detail="holds user.location.precise, not declared by activity newsletter",
    )
    return pd.concat([column, record], ignore_index=True)


def test_findings_are_sorted_by_rule_source_row_column() -> None:
    ordered = sort_findings(_sample_findings())
    assert ordered["rule_id"].tolist() == ["RET-VISITOR"] * 3 + ["UNDECLARED-DATA"] * 2
    assert ordered["row"].tolist()[:3] == [2, 10, 3]
    assert ordered["column"].tolist()[3:] == ["First Name", "LATITUDE"]
    assert str(ordered["row"].dtype) == "Int64"


def test_findings_csv_and_parquet_are_byte_identical_twice(tmp_path: Path) -> None:
    findings = _sample_findings()
    csv_a, pq_a = write_findings(findings, tmp_path / "a")
    csv_b, pq_b = write_findings(findings.sample(frac=1, random_state=1), tmp_path / "b")
    assert csv_a.read_bytes() == csv_b.read_bytes()
    assert pq_a.read_bytes() == pq_b.read_bytes()
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        "findings.csv",
        "findings.parquet",
    ]


def test_findings_csv_is_utf8_with_newlines_and_integer_or_empty_rows(tmp_path: Path) -> None:
    csv_path, _ = write_findings(_sample_findings(), tmp_path)
    data = csv_path.read_bytes()
    assert b"\r" not in data
    lines = data.decode("utf-8").splitlines()
    assert lines[0] == ",".join(FINDING_COLUMNS)
    assert lines[1].startswith("RET-VISITOR,high,visitors,1.5,visitors/a.csv,2,,def,")
    assert lines[4].startswith("UNDECLARED-DATA,medium,newsletter,1.2,newsletter/subscribed.csv,,")


def test_findings_parquet_has_no_pandas_metadata_and_reads_back(tmp_path: Path) -> None:
    _, parquet_path = write_findings(_sample_findings(), tmp_path)
    table = pq.read_table(parquet_path)
    assert table.schema.metadata is None
    assert table.column_names == FINDING_COLUMNS
    assert table.column("row").to_pylist() == [2, 10, 3, None, None]


def test_policy_gaps_become_findings_on_the_policy_file() -> None:
    from ropa.policy.gaps import policy_gaps

    gaps = policy_gaps(POLICY)
    found = gap_findings(gaps)
    assert len(found) == len(gaps) > 0
    assert set(found["rule_id"]) == {"POLICY-GAP"}
    assert set(found["source"]) == {POLICY.file_name}
    assert found["row"].isna().all()
    assert found["detail"].str.match(r"GAP-[A-Z0-9-]+").all()


# -- no personal data in detail ---------------------------------------------------------

PLANTED = {
    "email": "kari.secret@example.no",
    "phone": "+47 912 34 999",
    "first_name": "Karisecret",
    "last_name": "Nordsecret",
    "full_name": "Kari Nordsecret",
    "address": "Hemmeligveien 7",
    "optin_ip": "198.51.100.77",
    "message": "my secret message",
    "dietary": "Secretvegan",
    "allergy": "Secretnut",
    "special_other": "Secretfaith",
    "special_consent": "maybe-secret",
    "legal_basis": "",
    "user_id": "kari.secret@example.no",
    "page_location": "https://x.no/?e=kari.secret%40example.no&tel=%2B4791234999",
    "user_pseudo_id": "secretpseudo.1",
    "gclid": "SecretGclid",
    "private_notes": "secret note",
    "company": "Secret AS",
}


def _planted(kind: str, **times: str) -> pd.DataFrame:
    row = {k: v for k, v in PLANTED.items()}
    row.update({"_source": f"{kind}.csv", "_row": 1})
    frame = pd.DataFrame([row]).astype({k: S for k in PLANTED})
    for col, value in times.items():
        frame[col] = pd.Series([pd.Timestamp(value, tz="UTC")]).astype(
            "timestamp[us, tz=UTC][pyarrow]"
        )
    frame["latitude"] = pd.Series([59.91], dtype="double[pyarrow]")
    frame["marketing_contact"] = pd.Series([True], dtype="bool[pyarrow]")
    frame["unsubscribed_all"] = pd.Series([True], dtype="bool[pyarrow]")
    frame["lifecycle_stage"] = pd.Series(["customer"], dtype=S)
    return frame


def test_no_personal_value_appears_in_any_finding() -> None:
    old = "2015-01-01 10:00"
    frames = {
        "visitors": _planted("visitors", signed_in_time=old),
        "inquiries": _planted("inquiries", created_time=old),
        "crm": _planted("crm", last_activity_time=old),
        "registrations": _planted("registrations", event_time=old),
        "newsletter_subscribed": _planted("newsletter_subscribed"),
        "newsletter_unsubscribed": _planted("newsletter_unsubscribed"),
        "newsletter_cleaned": _planted("newsletter_cleaned", clean_time=old),
        "analytics": _planted("analytics", event_time=old),
        "requests": _planted("requests", received_time=old, completed_time="2015-03-01"),
    }
    frames["analytics"]["analytics_storage"] = pd.Series(["No"], dtype=S)
    frames["crm"]["lead_status"] = pd.Series(["Former customer"], dtype=S)  # RET-B2B
    frames["requests"]["type"] = pd.Series(["erasure"], dtype=S)
    frames["requests"]["status"] = pd.Series(["completed"], dtype=S)
    prospect = _planted("crm", last_activity_time=old)
    prospect["lifecycle_stage"] = pd.Series(["lead"], dtype=S)
    ctx = build_context(date(2026, 9, 30), POLICY, {k: [f] for k, f in frames.items()})
    suites = build_suites(POLICY)
    parts = [check_frame(f, kind, ctx, suites[kind]) for kind, f in frames.items()]
    parts.append(check_frame(prospect, "crm", ctx, suites["crm"]))
    data_map = pd.DataFrame(
        {
            "source": ["newsletter/x.csv", "forms/x.csv"],
            "column": ["NOTES", "Kurspreferanse"],  # the second: UNMAPPED-COLUMN
            "category": ["user.health_and_medical", None],
            "detected_by": ["value", None],
            "activity": ["newsletter", "inquiries"],
            "declared": [False, None],
            "non_empty_share": [0.3, 0.5],
        }
    )
    parts.append(check_frame(data_map_frame(data_map), "data_map", ctx, suites["data_map"]))
    findings = pd.concat(parts, ignore_index=True)
    assert sorted({r.id for r in ALL_RULES} - set(findings["rule_id"])) == []  # every rule fired
    text = findings.astype(str).to_csv(index=False).casefold()
    for column, value in PLANTED.items():
        if value:
            for piece in (value, value.replace("%40", "@")):
                assert piece.casefold() not in text, f"{column} value leaked"
    for needle in ("secret", "91234999", "912 34 999", "198.51.100"):
        assert needle not in text
