"""Figures shared by the workbook and the notebooks.

Figures are built on ``matplotlib.figure.Figure`` with the Agg canvas, never through
pyplot: importing ropa must not switch a notebook's backend or leave global figures
open, and the audit must render the same on a headless CI runner. matplotlib itself is
imported inside the functions so that the CLI and the workbook writer stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ropa.report.tables import activity_severity_counts, rule_severity

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SEVERITY_COLORS = {"critical": "#7B1E1E", "high": "#D9534F", "medium": "#F0AD4E", "low": "#5BC0DE"}


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def findings_by_activity_severity(findings: pd.DataFrame) -> Figure:
    """Per activity, one bar per severity with its count: where the findings are and how
    serious they are."""
    counts = activity_severity_counts(findings)
    fig = _figure(8, 1.5 + 0.8 * max(len(counts), 1))
    ax = fig.add_subplot()
    ax.set_title("Findings by activity and severity")
    if counts.empty:
        ax.text(0.5, 0.5, "no findings", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    # one bar per severity per activity, each labelled with its count: a large activity
    # cannot stack over (and shrink) the few critical findings of another
    severities = [s for s in counts.columns if counts[s].sum()]
    height = 0.8 / max(len(severities), 1)
    positions = range(len(counts))
    for k, severity in enumerate(severities):
        ys = [p - 0.4 + height * (k + 0.5) for p in positions]
        bars = ax.barh(ys, counts[severity].to_numpy(), height=height, label=severity,
                       color=SEVERITY_COLORS.get(severity, "#999999"))  # fmt: skip
        ax.bar_label(bars, labels=[str(v) if v else "" for v in counts[severity]],
                     padding=2, fontsize=8)  # fmt: skip
    ax.set_yticks(list(positions), list(counts.index))
    ax.invert_yaxis()
    ax.set_xlabel("number of findings")
    ax.margins(x=0.08)
    ax.legend(title="severity", loc="lower right")
    return fig


def open_trend(trend: pd.DataFrame) -> Figure:
    """Open findings per audit (x: audit date) and rule: one small panel per rule that
    has any, each on its own scale, critical rules first (one axis for all rules lets
    the large ones flatten the rest)."""
    from matplotlib.ticker import MaxNLocator

    from ropa.report.tables import trend_table

    rules = [r for r in trend_table(trend)["rule_id"] if int(trend[r].sum())]
    columns = 4
    rows = max(1, -(-len(rules) // columns))
    fig = _figure(11, 0.4 + 1.9 * rows)
    if not rules:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "no open findings", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    labels = [d.isoformat() if hasattr(d, "isoformat") else str(d) for d in trend.index]
    for i, rule in enumerate(rules, start=1):
        ax = fig.add_subplot(rows, columns, i)
        severity = rule_severity(rule)
        ax.plot(range(len(labels)), trend[rule].to_numpy(), marker="o",
                color=SEVERITY_COLORS.get(severity, "#999999"))  # fmt: skip
        ax.set_title(rule, fontsize=9)
        ax.set_ylim(bottom=0, top=max(1, int(trend[rule].max())) * 1.15)
        ax.set_xticks(range(len(labels)), [x[2:7] for x in labels], fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle("Open findings per rule, by audit (yy-mm)", fontsize=11)
    return fig


def age_histogram(ages_days: pd.Series, limit: int, title: str) -> Figure:
    """Ages of records against the policy limit: the bars right of the line are findings."""
    ages = pd.to_numeric(pd.Series(ages_days), errors="coerce").dropna().astype(float)
    fig = _figure(8, 4)
    ax = fig.add_subplot()
    ax.set_title(title)
    if ages.empty:
        ax.text(0.5, 0.5, "no records", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    from matplotlib.ticker import MaxNLocator

    over = ages[ages > limit]
    low, high = min(float(ages.min()), 0.0), max(float(ages.max()), float(limit))
    step = max(round((high - low) / 40), 1)
    # Day ages are whole numbers and "> limit" is flagged: put a bin edge at limit + 0.5
    # so no bar mixes kept and overdue records.
    first = limit + 0.5 - step * (int((limit + 0.5 - low) / step) + 1)
    bins = [first + step * i for i in range(int((high - first) / step) + 2)]
    ax.hist(
        [ages[ages <= limit], over],
        bins=bins,
        stacked=True,
        color=["#5B9BD5", SEVERITY_COLORS["high"]],
        label=[f"within {limit} days", f"over {limit} days ({len(over)})"],
    )
    ax.axvline(limit, color="#B00020", linestyle="--", linewidth=1.5,
               label=f"policy limit: {limit} days")  # fmt: skip
    ax.set_xlabel("age in days at the audit date")
    ax.set_ylabel("records")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend()
    return fig


def data_map_heatmap(data_map: pd.DataFrame) -> Figure:
    """Files x data categories: blue = declared by the activity, red = undeclared."""
    dm = data_map.dropna(subset=["category"])
    # Room for the rows and for the category names below them.
    fig = _figure(11, 4.5 + 0.32 * max(dm["source"].nunique(), 1))
    ax = fig.add_subplot()
    if dm.empty:
        ax.set_title("Data map")
        ax.text(0.5, 0.5, "no personal data found", ha="center", va="center")
        ax.set_axis_off()
        return fig
    from matplotlib.colors import ListedColormap

    from ropa.report.chart_data import data_map_grid

    grid = data_map_grid(dm)
    ax.imshow(
        grid.to_numpy(),
        cmap=ListedColormap(["#F4F4F4", "#5B9BD5", "#D9534F"]),
        vmin=0,
        vmax=2,
        aspect="auto",
    )
    from ropa.policy.taxonomy import category_name

    names = [category_name(key) for key in grid.columns]
    ax.set_xticks(range(grid.shape[1]), names, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(grid.shape[0]), grid.index, fontsize=8)
    ax.set_xticks([x - 0.5 for x in range(1, grid.shape[1])], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, grid.shape[0])], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color="#5B9BD5", label="declared by the file's activity"),
            Patch(color="#D9534F", label="not declared (UNDECLARED-DATA)"),
            Patch(color="#F4F4F4", label="not in the file"),
        ],
        loc="lower left", bbox_to_anchor=(0, 1.02), ncol=3, fontsize=8, frameon=False,
    )  # fmt: skip
    ax.set_title("Data map: which files hold which data categories", pad=28)
    return fig
