"""Plotly charts for the public pages. Every chart has its numbers in a table beside it, so the
charts are an addition for those with JavaScript; they are hidden from assistive technology."""

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from django.utils.html import format_html, json_script
from django.utils.translation import get_language

pio.defaults.mathjax = None  # never ask a CDN for MathJax

# The portal's palette (DKFDS blues and complements), light enough for text contrast on white.
COLOURS = ["#0059b3", "#b35900", "#008048", "#7a3db8", "#c41f1f", "#4d4d4d", "#0080a3", "#996b00"]


def _separators() -> str:
    return "." + "," if (get_language() or "da").startswith("en") else "," + "."


def _number(value: Decimal | float | None) -> float | None:
    return float(value) if isinstance(value, Decimal) else value


def _render(fig: go.Figure, chart_id: str, height: int) -> str:
    fig.update_layout(
        separators=_separators(),
        height=height,
        margin={"l": 60, "r": 20, "t": 20, "b": 60},
        font={"family": "IBM Plex Sans, Arial, sans-serif", "size": 14, "color": "#1a1a1a"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "y": -0.2},
    )
    fig.update_yaxes(gridcolor="#d6d6d6", rangemode="tozero")
    # The figure travels as JSON, which the browser does not run; static/js/charts.js draws
    # it. The Content-Security-Policy allows no inline script, and plotly's own HTML has one.
    figure = json.loads(pio.to_json(fig, validate=False))
    figure["config"] = {"displayModeBar": False, "responsive": True, "staticPlot": False}
    return format_html(
        '<div class="kp-chart" aria-hidden="true"><div id="{}" class="kp-plotly" data-figure="{}">'
        "</div>{}</div>",
        chart_id,
        f"{chart_id}-figure",
        json_script(figure, f"{chart_id}-figure"),
    )


def bar_chart(
    chart_id: str,
    categories: Iterable[object],
    series: Mapping[Any, Iterable[Decimal | float | None]],
    *,
    stacked: bool = False,
    y_title: str = "",
    height: int = 360,
) -> str:
    fig = go.Figure()
    for index, (name, values) in enumerate(series.items()):
        fig.add_bar(
            name=str(name),
            x=[str(c) for c in categories],
            y=[_number(v) for v in values],
            marker_color=COLOURS[index % len(COLOURS)],
        )
    fig.update_layout(barmode="stack" if stacked else "group", yaxis_title=y_title)
    return _render(fig, chart_id, height)


def line_chart(
    chart_id: str,
    categories: Iterable[object],
    series: Mapping[Any, Iterable[Decimal | float | None]],
    *,
    target: Decimal | float | None = None,
    target_label: object = "",
    y_title: str = "",
    height: int = 360,
) -> str:
    fig = go.Figure()
    for index, (name, values) in enumerate(series.items()):
        fig.add_scatter(
            name=str(name),
            x=[str(c) for c in categories],
            y=[None if v is None else _number(v) for v in values],
            mode="lines+markers",
            line={"color": COLOURS[index % len(COLOURS)], "width": 3},
            connectgaps=False,
        )
    if target is not None:
        fig.add_hline(
            y=_number(target),
            line_dash="dash",
            line_color="#c41f1f",
            annotation_text=str(target_label),
            annotation_position="top left",
        )
    fig.update_layout(yaxis_title=y_title)
    return _render(fig, chart_id, height)
