"""Great Expectations 1.x as the executor (``--engine gx``) and for Data Docs.

GX is imported here only, on first use (the import alone takes seconds). Only the
derived rule columns and ``_row`` are handed to GX, never a loaded personal column, and
results are requested in the value-free form measured in DESIGN.md: every unexpected
``_row``, no unexpected values, no index query.

Data Docs are built offline into ``OUT_DIR/data-docs``; ``ropa.suites.datadocs`` then
rewrites the pages to load the CSS/JS/fonts shipped with ropa (no page contacts a CDN or
GX), heads each section with its rules and policy sections, and makes the files 0600.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ropa.errors import RopaError
from ropa.suites.datadocs import column_rules, finish_site

ROW = "_row"
RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": [ROW],
    "exclude_unexpected_values": True,
    "return_unexpected_index_query": False,
}
DATA_DOCS = "data-docs"
_SITE = "ropa"


def _import_gx() -> Any:
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    import great_expectations as gx

    return gx


def _new_context() -> Any:
    """An ephemeral (in-memory) context: no project files, no default docs site, no bars."""
    gx = _import_gx()
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        # GX writes tqdm bars to stderr and ignores TQDM_DISABLE.
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


@lru_cache(maxsize=2)
def _shared(spark: bool = False) -> tuple[Any, Any]:
    """One ephemeral context and datasource per process for ``run_suite``: pandas, or
    with ``spark`` GX's Spark datasource (derived columns as Spark DataFrames)."""
    context = _new_context()
    sources = context.data_sources
    return context, sources.add_spark("ropa-spark") if spark else sources.add_pandas("ropa")


def spark_frame(frame: pd.DataFrame, columns: Iterable[str]) -> Any:
    """``_row`` and the derived ``columns`` as a Spark DataFrame (handed over as Arrow)."""
    from ropa.engine import arrow_for_engine, spark_session

    names = [ROW, *(c for c in columns if c != ROW and c in frame.columns)]
    return spark_session().createDataFrame(arrow_for_engine(frame, names))


def plain_frame(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Derived columns as numpy dtypes GX handles: floats with NaN, objects with None."""
    out: dict[str, Any] = {ROW: frame[ROW].to_numpy(dtype=np.int64)}
    for name in columns:
        if name == ROW or name not in frame.columns:
            continue
        col = frame[name]
        if pd.api.types.is_bool_dtype(col.dtype):
            values = col.astype(object).to_numpy()
            out[name] = np.where(col.isna().to_numpy(dtype=bool), None, values)
        elif pd.api.types.is_numeric_dtype(col.dtype):
            out[name] = pd.to_numeric(col).to_numpy(dtype=float, na_value=np.nan)
        else:
            values = col.astype(object).to_numpy()
            out[name] = np.where(col.isna().to_numpy(dtype=bool), None, values)
    return pd.DataFrame(out)


def suite_columns(suite: dict[str, Any]) -> list[str]:
    columns = {(e.get("kwargs") or {}).get("column") for e in suite["expectations"]}
    return sorted(str(c) for c in columns if c is not None)


def _expectation_id(name: str, index: int) -> str:
    """A stable id per expectation: GX does not return results in suite order."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ropa:{name}:{index}"))


def _gx_suite(suite: dict[str, Any], name: str) -> Any:
    gx = _import_gx()
    expectations = [
        {
            "type": e["type"],
            "kwargs": dict(e.get("kwargs") or {}),
            "meta": dict(e.get("meta") or {}),
            "id": _expectation_id(name, index),
        }
        for index, e in enumerate(suite["expectations"])
    ]
    return gx.ExpectationSuite(name=name, expectations=expectations, meta=suite.get("meta") or {})


def _rows(result: Any) -> np.ndarray:
    found: list[int] = []
    for entry in result.result.get("unexpected_index_list") or []:
        value = entry.get(ROW) if isinstance(entry, dict) else entry
        if isinstance(value, list | tuple | np.ndarray):
            found.extend(int(v) for v in value)
        elif value is not None:
            found.append(int(value))
    return np.unique(np.asarray(found, dtype=np.int64))


def _read_results(validation: Any, suite: dict[str, Any], name: str) -> dict[int, np.ndarray]:
    index_of = {_expectation_id(name, i): i for i in range(len(suite["expectations"]))}
    out: dict[int, np.ndarray] = {}
    for result in validation.results:
        config = result.expectation_config
        index = index_of.get(str(config.id))
        if index is None or index in out:
            raise RopaError("GX returned a result for an unknown expectation", name)
        info = result.exception_info or {}
        if info.get("raised_exception"):
            # The message names the expectation, not a value: only derived columns went in.
            column = config.kwargs.get("column")
            raise RopaError(f"GX could not run {config.type} on {column!r}", name)
        out[index] = _rows(result)
    if len(out) != len(suite["expectations"]):
        raise RopaError("GX returned fewer results than the suite has expectations", name)
    return dict(sorted(out.items()))


def _asset_name(name: str) -> str:
    """GX store keys must not contain '/', '\\' or '.' splits; keep names filesystem-safe."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_") or "source"


def validate(data: Any, suite: dict[str, Any], spark: bool = False) -> Any:
    """Validate ``data`` (already plain, derived columns only; a Spark DataFrame with
    ``spark``) with GX; the raw result."""
    name = str(suite.get("name", "suite"))
    _, datasource = _shared(spark)
    asset_name = _asset_name(name)
    try:
        asset = datasource.get_asset(asset_name)
    except LookupError:
        asset = datasource.add_dataframe_asset(asset_name)
    try:
        batch_definition = asset.get_batch_definition("all")
    except (KeyError, LookupError):
        batch_definition = asset.add_batch_definition_whole_dataframe("all")
    batch = batch_definition.get_batch(batch_parameters={"dataframe": data})
    return batch.validate(_gx_suite(suite, name), result_format=RESULT_FORMAT)


def run_suite_gx(
    frame: pd.DataFrame, suite: dict[str, Any], spark: bool = False
) -> dict[int, np.ndarray]:
    """Expectation index -> sorted unexpected ``_row`` numbers, validated by GX (with
    ``spark``, through its Spark datasource)."""
    name = str(suite.get("name", "suite"))
    for expectation in suite["expectations"]:
        column = (expectation.get("kwargs") or {}).get("column")
        if column not in frame.columns:
            raise RopaError(f"suite expects column {column!r}, which no rule derives", name)
    columns = suite_columns(suite)
    data = spark_frame(frame, columns) if spark else plain_frame(frame, columns)
    return _read_results(validate(data, suite, spark=spark), suite, name)


# -- Data Docs --------------------------------------------------------------------


def build_data_docs(
    batches: Sequence[tuple[str, str, pd.DataFrame]],
    suites: dict[str, dict[str, Any]],
    out_dir: Path | str,
    spark: bool = False,
) -> Path:
    """GX Data Docs for ``(name, kind, derived frame)`` batches into ``out_dir/data-docs``.

    Returns the site's ``index.html``. ``name`` labels the batch (the source file). The
    site is then made self-contained and rule-labelled (``ropa.suites.datadocs``).
    """
    site_root = Path(out_dir) / DATA_DOCS
    site_root.mkdir(parents=True, exist_ok=True)
    gx = _import_gx()
    context = _new_context()
    context.add_data_docs_site(
        site_name=_SITE,
        site_config={
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(site_root),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    # Under --engine spark GX validates Spark DataFrames (its Spark datasource).
    datasource = (
        context.data_sources.add_spark("ropa")
        if spark
        else (context.data_sources.add_pandas("ropa"))
    )
    added: dict[str, Any] = {}
    used: set[str] = set()
    for name, kind, frame in batches:
        suite = suites[kind]
        if kind not in added:
            added[kind] = context.suites.add(_gx_suite(suite, _asset_name(kind)))
        asset_name = base = _asset_name(name)
        while asset_name in used:
            asset_name = f"{base}_{len(used)}"
        used.add(asset_name)
        batch_definition = datasource.add_dataframe_asset(
            asset_name
        ).add_batch_definition_whole_dataframe("all")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=asset_name, data=batch_definition, suite=added[kind])
        )
        columns = suite_columns(suite)
        data = spark_frame(frame, columns) if spark else plain_frame(frame, columns)
        definition.run(batch_parameters={"dataframe": data}, result_format=RESULT_FORMAT)
    context.build_data_docs(site_names=[_SITE])
    rules = {_asset_name(kind): column_rules(suites[kind]) for kind in added}
    finish_site(site_root, rules)
    return site_root / "index.html"
