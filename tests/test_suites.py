"""The suites: committed JSON = policy, both executors agree, GX output carries no values."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ropa.audit import check_frame
from ropa.errors import RopaError
from ropa.paths import EXPECTATIONS_DIR
from ropa.policy import load_policy
from ropa.rules import ALL_RULES, KINDS, RULES_BY_ID, build_context
from ropa.suites import (
    SUPPORTED_TYPES,
    build_suite,
    build_suites,
    load_suites,
    run_suite,
    suite_json,
    write_suites,
)

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = EXPECTATIONS_DIR
POLICY = load_policy()
PLANTED = "kari.planted@example.no"


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROPA_KEY", "test-key-not-secret")


# -- building and the committed files ------------------------------------------------


def test_committed_suites_are_the_suites_the_packaged_policy_builds() -> None:
    built = build_suites(POLICY)
    assert sorted(p.stem for p in COMMITTED.glob("*.json")) == sorted(KINDS)
    for kind, suite in built.items():
        text = (COMMITTED / f"{kind}.json").read_text(encoding="utf-8")
        assert text == suite_json(suite), f"expectations/{kind}.json is stale: run `ropa suites`"


def test_every_committed_suite_loads_as_a_gx_suite() -> None:
    import great_expectations as gx

    for path in sorted(COMMITTED.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            suite = gx.ExpectationSuite(**json.load(handle))
        assert suite.name == path.stem
        assert len(suite.expectations) >= 1


def test_every_expectation_names_its_rule_clause_and_meaning() -> None:
    for kind, suite in build_suites(POLICY).items():
        for expectation in suite["expectations"]:
            meta = expectation["meta"]
            rule = RULES_BY_ID[meta["rule_id"]]
            assert kind in rule.kinds
            assert meta["policy_ref"] == rule.policy_ref and meta["explains"]
            assert expectation["type"] in SUPPORTED_TYPES


def test_each_rule_has_expectations_in_every_kind_it_checks() -> None:
    suites = build_suites(POLICY)
    for rule in ALL_RULES:
        for kind in rule.kinds:
            ids = {e["meta"]["rule_id"] for e in suites[kind]["expectations"]}
            assert rule.id in ids


def test_the_numbers_in_the_suites_come_from_the_policy_windows() -> None:
    windows = POLICY.windows.model_copy(update={"visitor_retention_days": 60})
    policy = POLICY.model_copy(update={"windows": windows})
    suite = build_suite(policy, "visitors")
    assert suite["expectations"][0]["kwargs"]["max_value"] == 60
    assert suite["meta"]["ropa"]["windows"] == {"visitor_retention_days": 60}


def test_write_suites_is_stable(tmp_path: Path) -> None:
    write_suites(POLICY, tmp_path / "a")
    write_suites(POLICY, tmp_path / "b")
    for path in (tmp_path / "a").glob("*.json"):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()
        assert b"\r" not in path.read_bytes()
    assert not list((tmp_path / "a").glob(".*"))


def test_load_suites_uses_the_files_when_their_windows_match_the_policy(tmp_path: Path) -> None:
    write_suites(POLICY, tmp_path)
    data = json.loads((tmp_path / "visitors.json").read_text())
    data["expectations"][0]["meta"]["explains"] = "edited by the reviewer"
    (tmp_path / "visitors.json").write_text(json.dumps(data))
    suites, notes = load_suites(tmp_path, POLICY)
    assert notes == []
    assert suites["visitors"]["expectations"][0]["meta"]["explains"] == "edited by the reviewer"


def test_a_suite_built_from_other_windows_or_missing_is_rebuilt_from_the_policy(
    tmp_path: Path,
) -> None:
    windows = POLICY.windows.model_copy(update={"visitor_retention_days": 60})
    write_suites(POLICY.model_copy(update={"windows": windows}), tmp_path)
    (tmp_path / "crm.json").unlink()
    suites, notes = load_suites(tmp_path, POLICY)
    assert suites["visitors"] == build_suite(POLICY, "visitors")
    assert suites["crm"] == build_suite(POLICY, "crm")
    assert any(n.startswith("visitors.json: built from other policy windows") for n in notes)
    assert any(n.startswith("crm.json: missing") for n in notes)
    assert len(notes) == 2


def test_a_suite_expectation_without_a_rule_is_refused(tmp_path: Path) -> None:
    write_suites(POLICY, tmp_path)
    data = json.loads((tmp_path / "requests.json").read_text())
    del data["expectations"][0]["meta"]["rule_id"]
    (tmp_path / "requests.json").write_text(json.dumps(data))
    with pytest.raises(RopaError, match="rule_id"):
        load_suites(tmp_path)


# -- the pandas executor ----------------------------------------------------------------


def _suite(*expectations: dict) -> dict:
    return {"name": "t", "expectations": list(expectations)}


FRAME = pd.DataFrame(
    {
        "_row": [1, 2, 3, 4, 5, 6],
        "n": pd.array([0, 10, None, 11, 9, -1], dtype="Int64"),
        "b": pd.array([True, False, None, True, False, None], dtype="boolean"),
    }
)
EXPECTATIONS = [
    {"type": "expect_column_values_to_be_between", "kwargs": {"column": "n", "max_value": 10}},
    {
        "type": "expect_column_values_to_be_between",
        "kwargs": {"column": "n", "min_value": 0, "max_value": 10, "strict_max": True},
    },
    {
        "type": "expect_column_values_to_be_between",
        "kwargs": {"column": "n", "min_value": 0, "strict_min": True},
    },
    {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "b", "value_set": [True]}},
    {
        "type": "expect_column_values_to_not_be_in_set",
        "kwargs": {"column": "b", "value_set": [True]},
    },
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "n"}},
]
WANTED = {0: [4], 1: [2, 4, 6], 2: [1, 6], 3: [2, 5], 4: [1, 4], 5: [3]}


@pytest.mark.parametrize("engine", ["pandas", "gx"])
def test_executors_follow_gx_semantics_nulls_skipped_and_strict_bounds(engine: str) -> None:
    got = run_suite(FRAME, _suite(*EXPECTATIONS), engine)
    assert {i: rows.tolist() for i, rows in got.items()} == WANTED


def test_pandas_engine_refuses_an_unsupported_expectation_type_by_name() -> None:
    suite = _suite({"type": "expect_column_mean_to_be_between", "kwargs": {"column": "n"}})
    with pytest.raises(RopaError, match="expect_column_mean_to_be_between"):
        run_suite(FRAME, suite)


def test_pandas_engine_refuses_mostly() -> None:
    suite = _suite(
        {
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "n", "max_value": 10, "mostly": 0.9},
        }
    )
    with pytest.raises(RopaError, match="mostly"):
        run_suite(FRAME, suite)


@pytest.mark.parametrize("engine", ["pandas", "gx"])
def test_a_suite_column_no_rule_derives_is_a_ropa_error(engine: str) -> None:
    suite = _suite({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "zz"}})
    with pytest.raises(RopaError, match="zz"):
        run_suite(FRAME, suite, engine)


def test_unknown_executor_is_a_usage_error() -> None:
    # Spark runs whole plans (ropa.engine); run_suite only checks derived columns.
    with pytest.raises(RopaError, match="executor must be one of pandas, gx"):
        run_suite(FRAME, _suite(*EXPECTATIONS), "spark")


# -- both engines on a multi-rule frame set -------------------------------------------------


def _ts(values: list[str | None]) -> pd.Series:
    return pd.Series(pd.to_datetime(values, utc=True)).astype("timestamp[us, tz=UTC][pyarrow]")


def _strings(values: list[str | None]) -> pd.Series:
    return pd.Series(values, dtype="string[pyarrow]")


def multi_rule_frames(n: int = 400, seed: int = 3) -> dict[str, pd.DataFrame]:
    """Random loader-shaped frames that trip every record rule somewhere."""
    rng = np.random.default_rng(seed)
    as_of = pd.Timestamp("2026-09-30", tz="UTC")

    def times(max_days: int, null_share: float = 0.1) -> pd.Series:
        days = rng.integers(-10, max_days, n)
        secs = rng.integers(0, 86400, n)
        t = as_of - pd.to_timedelta(days, unit="D") + pd.to_timedelta(secs, unit="s")
        t = pd.Series(t).where(rng.random(n) > null_share)
        return pd.Series(t).astype("timestamp[us, tz=UTC][pyarrow]")

    def pick(options: list, p: list[float] | None = None) -> pd.Series:
        return _strings(list(rng.choice(np.array(options, dtype=object), n, p=p)))

    emails = [f"p{i}@example.no" for i in range(60)] + [None]
    rows = pd.Series(np.arange(1, n + 1))
    yes_no = ["Yes", "No", "Ja", "nei", None, " JA "]
    frames = {
        "visitors": pd.DataFrame({"email": pick(emails), "signed_in_time": times(200)}),
        "inquiries": pd.DataFrame(
            {"email": pick(emails), "created_time": times(800), "updated_time": times(800, 0.5)}
        ),
        "crm": pd.DataFrame(
            {
                "email": pick(emails),
                "phone": pick(["+47 912 34 567", "91234568", None]),
                "lifecycle_stage": pick(
                    ["customer", "lead", "subscriber", "opportunity", "other", None]
                ),
                "last_activity_time": times(3000, 0.3),
                "create_time": times(3500),
                "marketing_contact": pd.Series(
                    rng.choice(np.array([True, False, None], dtype=object), n),
                    dtype="bool[pyarrow]",
                ),
                "unsubscribed_all": pd.Series(
                    rng.choice(np.array([True, False, None], dtype=object), n),
                    dtype="bool[pyarrow]",
                ),
                "legal_basis": pick(["Freely given consent", "", None, "  "]),
            }
        ),
        "registrations": pd.DataFrame(
            {
                "email": pick(emails),
                "event_time": times(3000),
                "dietary": pick(["Vegan", "-", "nei", None, "Glutenfri"]),
                "allergy": pick(["Nøtter", "ingen", None]),
                "special_other": pick(["Halal", None, "n/a"]),
                "special_consent": pick(yes_no),
            }
        ),
        "newsletter_subscribed": pd.DataFrame(
            {
                "email": pick(emails),
                "optin_time": times(900, 0.4),
                "confirm_time": times(900, 0.4),
            }
        ),
        "newsletter_unsubscribed": pd.DataFrame(
            {
                "email": pick(emails),
                "first_name": pick(["Kari", None, ""]),
                "optin_ip": pick(["192.0.2.1", None]),
                "latitude": pd.Series(rng.choice([59.9, np.nan], n), dtype="double[pyarrow]"),
                "zip": pick(["0150", None]),
            }
        ),
        "newsletter_cleaned": pd.DataFrame({"email": pick(emails), "clean_time": times(90)}),
        "analytics": pd.DataFrame(
            {
                "event_time": times(700),
                "user_pseudo_id": pick(["1.1", "2.2", None]),
                "analytics_storage": pick(yes_no),
                "ads_storage": pick(yes_no),
                "gclid": pick(["Cj0K", None, None]),
                "page_location": pick(
                    ["https://x.no/?e=a%40b.no", "https://x.no/kurs?id=123456789", None]
                ),
                "user_id": pick(["u1", "x@y.no", None]),
            }
        ),
        "requests": pd.DataFrame(
            {
                "email": pick(emails),
                "type": pick(["erasure", "access"]),
                "status": pick(["open", "in_progress", "completed", "rejected", None]),
                "received_time": times(120),
                "completed_time": times(60, 0.3),
            }
        ),
    }
    statuses = ["Former customer", "Open", None, " LEFT COMPANY ", "Unqualified"]  # RET-B2B
    frames["crm"]["lead_status"] = _strings([statuses[i % len(statuses)] for i in range(n)])
    for kind, frame in frames.items():
        frame["_source"] = _strings([f"{kind}.csv"] * n)
        frame["_row"] = rows
    return frames


def _findings_for(engine: str) -> pd.DataFrame:
    frames = multi_rule_frames()
    ctx = build_context(date(2026, 9, 30), POLICY, {k: [f] for k, f in frames.items()})
    assert ctx.erased and ctx.unsubscribed
    suites = build_suites(POLICY)
    parts = [check_frame(f, kind, ctx, suites[kind], engine) for kind, f in frames.items()]
    return pd.concat(parts, ignore_index=True)


def test_both_engines_give_identical_findings_on_a_multi_rule_frame_set() -> None:
    pandas_findings = _findings_for("pandas")
    gx_findings = _findings_for("gx")
    flagged_rules = set(pandas_findings["rule_id"])
    record_rules = {r.id for r in ALL_RULES} - {"UNDECLARED-DATA", "UNMAPPED-COLUMN"}
    assert flagged_rules == record_rules
    pd.testing.assert_frame_equal(pandas_findings, gx_findings)


# -- privacy of what GX returns and writes ------------------------------------------------


def test_gx_validation_result_in_the_ropa_format_holds_no_values() -> None:
    from ropa.suites.gx_engine import validate

    frame = pd.DataFrame(
        {"_row": [1, 2, 3], "email": [PLANTED, "ola@example.no", None]}, dtype=object
    )
    suite = _suite(
        {
            "type": "expect_column_values_to_be_in_set",
            "kwargs": {"column": "email", "value_set": ["nobody@example.no"]},
            "meta": {"rule_id": "X"},
        }
    )
    result = validate(frame, suite)
    dumped = json.dumps(result.to_json_dict(), default=str)
    assert PLANTED not in dumped and "ola@example.no" not in dumped
    rows = result.results[0].result["unexpected_index_list"]
    assert rows  # the rows are there, the values are not


def test_only_derived_columns_go_to_gx() -> None:
    from ropa.suites.gx_engine import plain_frame

    frame = pd.DataFrame(
        {"_row": [1], "email": _strings([PLANTED]), "visit_age_days": pd.array([5], "Int64")}
    )
    plain = plain_frame(frame, ["visit_age_days"])
    assert list(plain.columns) == ["_row", "visit_age_days"]
    assert plain["visit_age_days"].dtype == np.float64


def test_data_docs_hold_no_values_and_no_gx_logo_or_context_id(tmp_path: Path) -> None:
    from ropa.audit import derive
    from ropa.suites import build_data_docs

    frames = multi_rule_frames(n=30)
    frames["visitors"]["full_name"] = _strings([PLANTED] * 30)
    ctx = build_context(date(2026, 9, 30), POLICY, {k: [f] for k, f in frames.items()})
    batches = [
        (f"data/{kind}.csv", kind, derive(frames[kind], kind, ctx)) for kind in ("visitors", "crm")
    ]
    index = build_data_docs(batches, build_suites(POLICY), tmp_path)
    assert index == tmp_path / "data-docs" / "index.html" and index.exists()
    pages = list((tmp_path / "data-docs").rglob("*.html"))
    assert len(pages) >= 3  # index, suites, validations
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "great-expectations-web-assets" not in text, page
        assert "dataContextId" not in text, page
        assert "p1@example.no" not in text and PLANTED not in text, page
    for path in (tmp_path / "data-docs").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".js"):
            assert PLANTED.encode() not in path.read_bytes()
    assert (tmp_path / "data-docs" / "static" / "images" / "logo-long.png").exists()


def test_gx_engine_writes_no_progress_bars(capfd: pytest.CaptureFixture[str]) -> None:
    frame = pd.DataFrame({"_row": np.arange(1, 2001), "n": np.arange(2000.0)})
    suite = _suite(
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "n", "max_value": 9}}
    )
    assert len(run_suite(frame, suite, "gx")[0]) == 1990
    captured = capfd.readouterr()
    assert "Calculating Metrics" not in captured.err and "%|" not in captured.err
