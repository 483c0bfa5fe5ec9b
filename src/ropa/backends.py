"""The engines a plan runs in: an in-process DuckDB (default) or PySpark."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

import pyarrow as pa

from ropa.errors import UsageError
from ropa.plan import STAGED, Plan


class Engine(StrEnum):
    """What ``ropa audit --engine`` accepts; ``_ROLES`` below is the one place that says
    what each engine does."""

    duckdb = "duckdb"
    spark = "spark"
    pandas = "pandas"
    gx = "gx"

    @classmethod
    def parse(cls, value: str, what: str = "engine") -> Engine:
        """``value`` as an Engine; a one-line UsageError naming the choices otherwise."""
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(cls)
            raise UsageError(f"{what} must be one of {choices}, got {value!r}") from None

    @property
    def backend(self) -> str:
        """The backend the rules run in (``backend(name)``): Spark or DuckDB."""
        return _ROLES[self][0]

    @property
    def executor(self) -> str | None:
        """What checks the expectations: None when the backend runs them with the rules
        (only the flagged rows come back), else the ``ropa.suites.run_suite`` executor
        given every row's derived columns."""
        return _ROLES[self][1]

    @property
    def data_docs(self) -> bool:
        """Whether an audit on this engine always builds GX Data Docs."""
        return _ROLES[self][2]


# engine: (backend, executor, always Data Docs)
_ROLES: dict[Engine, tuple[str, str | None, bool]] = {
    Engine.duckdb: ("duckdb", None, False),
    Engine.spark: ("spark", None, False),
    Engine.pandas: ("duckdb", "pandas", False),
    Engine.gx: ("duckdb", "gx", True),
}


class DuckDBBackend:
    """An in-process DuckDB: UTC session, bounded memory, spilling to a private temporary
    folder removed at exit (never inside the data folder)."""

    def __init__(self, memory_limit: str | None = None, threads: int | None = None) -> None:
        import duckdb

        self._spill = tempfile.mkdtemp(prefix="ropa-duckdb-")
        atexit.register(shutil.rmtree, self._spill, True)
        self.con = duckdb.connect(config={"threads": threads or os.cpu_count() or 1})
        self.con.execute("SET TimeZone='UTC'")
        self.con.execute(f"SET temp_directory='{self._spill}'")
        self.con.execute(
            f"SET memory_limit='{memory_limit or os.environ.get('ROPA_MEMORY_LIMIT', '1GB')}'"
        )
        self.con.execute("SET preserve_insertion_order=false")

    def run(self, plan: Plan, query: str, tables: Mapping[str, pa.Table]) -> pa.Table:
        sql = plan.sql(query, "duckdb")
        cur = self.con.cursor()
        try:
            for name, table in tables.items():
                cur.register(name, table)
            return cur.execute(sql).fetch_arrow_table()
        finally:
            cur.close()

    def run_check(self, plan: Plan, tables: Mapping[str, pa.Table]) -> tuple[pa.Table, pa.Table]:
        """(coverage counts, flagged rows): the rules evaluated once, into a temporary
        table of this cursor (spilled under ``memory_limit``), then both read from it."""
        cur = self.con.cursor()
        try:
            for name, table in tables.items():
                cur.register(name, table)
            cur.execute(f"CREATE TEMP TABLE {STAGED} AS {plan.sql('derived', 'duckdb')}")
            counts = cur.execute(plan.sql("staged-counts", "duckdb")).fetch_arrow_table()
            flagged = cur.execute(plan.sql("staged-flagged", "duckdb")).fetch_arrow_table()
            return counts, flagged
        finally:
            cur.execute(f"DROP TABLE IF EXISTS {STAGED}")
            cur.close()


class SparkBackend:
    """PySpark, local mode by default (``--spark-master`` or ``SPARK_REMOTE`` for any
    other); the session time zone is UTC."""

    def __init__(self, master: str | None = None) -> None:
        self.session = spark_session(master)

    def run(self, plan: Plan, query: str, tables: Mapping[str, pa.Table]) -> pa.Table:
        sql = plan.sql(query, "spark")
        self._register(tables)
        return self.session.sql(sql).toArrow()

    def _register(self, tables: Mapping[str, pa.Table]) -> None:
        for name, table in tables.items():
            self.session.createDataFrame(table).createOrReplaceTempView(name)

    def run_check(self, plan: Plan, tables: Mapping[str, pa.Table]) -> tuple[pa.Table, pa.Table]:
        """(coverage counts, flagged rows), the derived table cached between the two."""
        self._register(tables)
        derived = self.session.sql(plan.sql("derived", "spark")).cache()
        derived.createOrReplaceTempView(STAGED)
        try:
            counts = self.session.sql(plan.sql("staged-counts", "spark")).toArrow()
            flagged = self.session.sql(plan.sql("staged-flagged", "spark")).toArrow()
            return counts, flagged
        finally:
            derived.unpersist()


_SPARK: Any = None


def spark_session(master: str | None = None) -> Any:
    """One Spark session per process (tests share it)."""
    global _SPARK
    if _SPARK is not None:
        return _SPARK
    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)  # type: ignore[attr-defined]
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("ropa")
    remote = os.environ.get("SPARK_REMOTE")
    if remote and not master:
        builder = builder.remote(remote)
    else:
        builder = builder.master(master or "local[2]")
        warehouse = tempfile.mkdtemp(prefix="ropa-spark-")
        atexit.register(shutil.rmtree, warehouse, True)
        builder = (
            builder.config("spark.sql.warehouse.dir", warehouse)
            .config("spark.local.dir", warehouse)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.driver.memory", os.environ.get("ROPA_SPARK_MEMORY", "2g"))
        )
    builder = builder.config("spark.sql.session.timeZone", "UTC").config(
        "spark.sql.execution.arrow.pyspark.enabled", "true"
    )
    _SPARK = builder.getOrCreate()
    _SPARK.sparkContext.setLogLevel("ERROR")
    return _SPARK


_BACKENDS: dict[str, Any] = {}
_BACKENDS_LOCK = threading.Lock()


def backend(name: str = "duckdb", **options: Any) -> Any:
    """The process's backend of ``name`` (``duckdb`` or ``spark``)."""
    with _BACKENDS_LOCK:
        got = _BACKENDS.get(name)
        if got is None:
            got = _BACKENDS[name] = SparkBackend(**options) if name == "spark" else DuckDBBackend()
    return got
