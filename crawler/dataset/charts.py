"""The audit's charts as static SVG text, drawn by matplotlib, inlined into the page.

Figures are made with ``matplotlib.figure.Figure`` and never through pyplot, so no
GUI backend is ever chosen (the SVG canvas, like Agg, needs no display) and a
notebook's backend is left as it was; the page works offline, without a script
library. Text stays text in the SVG (``svg.fonttype: none``), drawn in the reader's
own fonts. Labels are English and keys (matplotlib may have no CJK font to measure
them with); the Chinese names are in the page around each chart. Every chart gets
its own id salt, so two inlined charts never share an element id.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence

import matplotlib
from matplotlib.figure import Figure

from .labels import OUTCOME_GROUPS

__all__ = ["on_time_chart", "requests_chart"]

_ON_TIME = [("on_time", "on time", "#1b9e77"), ("late", "late", "#d95f02"),
            ("date_unknown", "no publish date", "#a6a6a6"), ("missing", "missing", "#c62828")]
_OUTCOME_COLOURS = ["#1b9e77", "#66c2a5", "#d95f02", "#7570b3", "#e7298a", "#a6a6a6"]
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)  # XML declaration and DOCTYPE


def _svg(figure: Figure, salt: str) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _PROLOGUE.sub("", buffer.getvalue(), count=1)


def _figure(title: str, width: float = 7.2) -> Figure:
    figure = Figure(figsize=(width, 3.0), dpi=100)
    # fixed margins: a "tight" bounding box draws every chart twice, and an audit has
    # one chart per agency
    figure.subplots_adjust(left=0.09, right=0.99, top=0.9, bottom=0.1)
    axes = figure.add_subplot()
    axes.set_title(title, fontsize=10, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8)
    return figure


def _years_axis(figure: Figure, years: Sequence[int]) -> None:
    axes = figure.axes[0]
    step = -(-len(years) // 10) or 1  # at most ten labels: four digits each need room
    axes.set_xticks(list(years)[::step], [str(y) for y in years][::step])


def on_time_chart(by_year: Sequence[Mapping[str, int | None]], salt: str = "on-time") -> str:
    """Agency-years per report year, stacked: on time, late, no date, missing."""
    figure = _figure("Reports per year: published on time (by 31 January), late, "
                     "without a date, missing")
    axes = figure.axes[0]
    years = [int(row["year"] or 0) for row in by_year]
    bottom = [0] * len(years)
    for key, text, colour in _ON_TIME:
        values = [int(row[key] or 0) for row in by_year]
        axes.bar(years, values, bottom=bottom, label=text, color=colour, width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_ylabel("agencies", fontsize=8)
    axes.legend(fontsize=7, frameon=False, ncols=4, loc="upper left")
    axes.set_ylim(0, max(bottom, default=1) * 1.25 or 1)
    _years_axis(figure, years)
    return _svg(figure, salt)


def requests_chart(by_year: Sequence[Mapping[str, int | float | None]], salt: str,
                   title: str = "Requests received and how they were answered") -> str:
    """Table 三 per year: results stacked by kind, the requests received as a line."""
    figure = _figure(title, width=6.0)
    axes = figure.axes[0]
    years = [int(row["year"] or 0) for row in by_year]
    bottom = [0.0] * len(years)
    for (key, _, _), colour in zip(OUTCOME_GROUPS, _OUTCOME_COLOURS, strict=True):
        values = [float(row.get(key) or 0) for row in by_year]
        axes.bar(years, values, bottom=bottom, color=colour, width=0.7,
                 label=key.replace("_", " "))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    received = [float(row.get("received") or 0) for row in by_year]
    axes.plot(years, received, color="#222222", marker="o", markersize=3, linewidth=1.2,
              label="received")
    axes.set_ylabel("requests", fontsize=8)
    axes.legend(fontsize=7, frameon=False, ncols=4, loc="upper left")
    axes.set_ylim(0, max([*bottom, *received, 1]) * 1.45)  # room for the legend
    _years_axis(figure, years)
    return _svg(figure, salt)
