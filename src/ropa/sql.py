"""SQL text of an ibis expression per dialect (``ropa sql``, the engines' staged queries):
``duckdb``, ``spark`` (PySpark's compiler, no PySpark needed) and ``bigquery``.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

DIALECTS = {"duckdb": "duckdb", "spark": "pyspark", "bigquery": "bigquery"}


def to_sql(expr: ir.Expr, dialect: str, pretty: bool = True) -> str:
    """``expr`` as SQL of ``dialect``: indented for people to read (``ropa sql``), or
    with ``pretty=False`` on one line for an engine (the same query, compiled in about a
    third of the time: sqlglot's layout of a long plan is most of its cost)."""
    name = DIALECTS.get(dialect, dialect)
    if name == "pyspark" and ibis.options.pyspark is None:
        _pyspark_options()
    return str(ibis.to_sql(expr, dialect=name, pretty=pretty))


def _pyspark_options() -> None:
    """The PySpark compiler reads ``ibis.options.pyspark``, set when the backend loads;
    compiling Spark SQL (``ropa sql``) must not need PySpark itself."""
    try:
        ibis.pyspark  # noqa: B018 - loading the backend registers its options
    except Exception:  # pyspark not installed: the compiler's defaults

        class Options(ibis.config.Config):
            treat_nan_as_null: bool = False

        ibis.options.pyspark = Options()
