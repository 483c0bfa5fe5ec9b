"""The Trend and Sources sheets, rendered from ``report.tables``."""

from __future__ import annotations

from xlsxwriter.utility import quote_sheetname, xl_range

from ropa.report.cells import _values
from ropa.report.charts import SEVERITY_COLORS
from ropa.report.columns import _TABLE_NAMES
from ropa.report.tables import source_table, trend_table, trend_totals
from ropa.report.writer import _Writer
from ropa.result import AuditResult

_SOURCE_WIDTHS = (40, 9, 24, 18, 8, 11, 10, 9, 60)


def _trend(w: _Writer, result: AuditResult) -> None:
    """Open findings per rule at every audit date: one row per rule (critical first) with
    a sparkline on the rule's own scale, and a stacked chart of the open findings per
    audit by severity (the totals and what they are made of)."""
    from ropa.policy.model import SEVERITIES

    trend = result.trend
    assert trend is not None
    t = w.t
    sheet = t("sheets.trend")
    ws = w.sheet(sheet)
    rules = trend_table(trend)
    dates = list(rules.columns[2:])
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 1 + len(dates), 11)
    ws.set_column(2 + len(dates), 2 + len(dates), 24)
    r = w.row(ws, 0, [t("trend.title")], w.title)
    top = r
    w.table(
        ws,
        top,
        [t("summary.rule"), t("summary.severity"), *dates, t("trend.trend")],
        [*(_values(rules[c]) for c in rules.columns), [None] * len(rules)],
    )
    last = top + len(rules)
    for i in range(len(rules)):
        row = top + 1 + i
        ws.add_sparkline(
            row,
            2 + len(dates),
            {
                "range": quote_sheetname(sheet) + "!" + xl_range(row, 2, row, 1 + len(dates)),
                "markers": True,
                "high_point": True,
                "series_color": "#4472C4",
            },
        )
    # totals per severity and audit, below the rule table, for the chart
    r = w.row(ws, last + 2, [t("trend.by_severity")], w.bold)
    head = r
    r = w.row(ws, head, [t("trend.audit_date"), *SEVERITIES, t("summary.total")], w.header)
    for values in trend_totals(trend).itertuples(index=False):
        r = w.row(ws, r, values)
    chart = w.wb.add_chart({"type": "column", "subtype": "stacked"})
    for c, sev in enumerate(SEVERITIES, start=1):
        chart.add_series(
            {
                "name": [sheet, head, c],
                "categories": [sheet, head + 1, 0, r - 1, 0],
                "values": [sheet, head + 1, c, r - 1, c],
                "fill": {"color": SEVERITY_COLORS[sev]},
                "gap": 60,
            }
        )
    chart.set_title({"name": t("trend.chart")})
    chart.set_x_axis({"name": t("trend.audit_date")})
    chart.set_y_axis({"name": t("trend.open"), "min": 0})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 620, "height": 340})
    ws.insert_chart(r + 1, 0, chart)
    # portrait: the rule table, the totals and the chart on one page
    w.page_setup(ws, r + 1 + 17, 2 + len(dates), header_row=top, landscape=False)


def _sources(w: _Writer, result: AuditResult) -> None:
    t = w.t
    ws = w.sheet(t("sheets.sources"))
    for c, width in enumerate(_SOURCE_WIDTHS):
        ws.set_column(c, c, width)
    names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
    names = {k: t(f"sources.{v}") for k, v in names.items()}
    table = source_table(result.inventory)
    status = {"read": t("sources.read"), "skipped": t("sources.skipped")}
    delimiters = [names.get(d or "", d) for d in table["delimiter"]]
    keys = ["file", "status", "kind", "activity", "format", "encoding", "delimiter", "rows"]
    headers = [t(f"sources.{k}") for k in [*keys, "problems"]]
    end = w.table(
        ws,
        0,
        headers,
        [
            _values(table["file"]),
            [status[v] for v in table["status"]],
            *(_values(table[c]) for c in ("kind", "activity", "format", "encoding")),
            delimiters,
            _values(table["rows"]),
            _values(table["problems"]),
        ],
        name=_TABLE_NAMES["sources"],
        wrap=True,
        widths=_SOURCE_WIDTHS,
    )
    w.page_setup(ws, end - 1, len(headers) - 1)
