"""Charts for the public pages, drawn on the server as SVG: no JavaScript, nothing inline that the
Content-Security-Policy refuses (colours are SVG presentation attributes, the rest classes in
static/css/portal.css), sized by their viewBox so that they shrink with the page. They are drawn
narrow with large text, as the annual report's (reports/svg.py), so that the text stays legible on
a phone and no larger than the body text on a wide screen; a column label wraps between words
(or slants, wrapped, where the columns are many), whole; the legend is HTML that wraps.

Each chart is an image with a title and a description in the page's language; the numbers are
in a table beside it. A chart summarises rather than plots every point, so its markup stays
bounded however much data a plan has: at most MAX_SERIES series (the largest, and the rest
added up as "Others", a sum the portal computed, where the figures can be added; else the first
ones) and the latest MAX_CATEGORIES columns. The description says what was left out.

Each bar and point carries its figure as data-series, data-category and data-value (an exact
decimal), which the tests compare with the tables and the database.

On a page in another language than Danish, the chart's Danish data (names of plans, main
elements and series, an indicator's name, columns and unit) is marked lang="da" text by text, as
the da filter marks it in the pages (see Languages), and so is the interactive chart's.

Where JavaScript runs, a chart can also be explored as an interactive plotly.js chart, on demand:
beside the SVG is a button, hidden in the markup and shown by static/js/charts.js, and the
figure for plotly.js, built here with the plotly package from the same summary the SVG draws, as
JSON in a <script type="application/json"> (data, which the CSP allows). plotly.js itself
(4.8 MB) is loaded only when a reader asks for it; nothing of it loads with the page.
"""

import json
import math
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
from django.templatetags.static import static
from django.utils import translation
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .formatting import format_number, plain_decimal
from .staticfinders import PLOTLY_JS

# The portal's palette (DKFDS blues and complements); each at least 3:1 against white.
COLOURS = ["#0059b3", "#b35900", "#008048", "#7a3db8", "#c41f1f", "#4d4d4d", "#0080a3", "#996b00"]
OTHERS_COLOUR = "#767676"
TARGET_COLOUR = "#c41f1f"
MAX_SERIES = 6
MAX_CATEGORIES = 24

# Drawn narrow with large text, as the annual report's charts (reports/svg.py): on a 390 px phone,
# where the SVG shrinks to the screen, FONT is about 11.6 px; static/css/portal.css caps the
# SVG's width (48rem) so that on a wide screen it is about 15.6 px, under the body text.
WIDTH = 400
PLOT_HEIGHT = 200
TOP, RIGHT = 30, 12
FONT = 13
CHAR = 7.2  # the average width of a character at FONT, for the margins
LINE = 16  # the distance between two lines of a label
SLANT_CHARS = 18  # a slanted column label wraps into lines of at most this many characters
PLOTLY_FONT = 14  # px: plotly.js draws its text at this size whatever the chart's width
PLOTLY_LABEL_CHARS = 14  # an interactive chart's column label wraps at about this many
PLOTLY_LEGEND_CHARS = 30  # and a series' name in its legend (plotly.js wraps only at <br>)
FONT_FAMILY = "IBM Plex Sans, Arial, sans-serif"

type Number = Decimal | int | float | None
# The unit beside one figure where it is counted: ngettext's singular or plural by the figure.
type Units = Callable[[Decimal], str]


@dataclass(frozen=True)
class Languages:
    """Which of a chart's texts are Danish data, to be marked lang="da" on a page in another
    language: each part is "da", or None where it is in the page's language (or the page is
    Danish).

    Marked text by text rather than with lang="da" around the whole chart, because on an
    English page a chart mixes the two truthfully: its kind, description, the "Others" series,
    the target's label and the portal's own units are English; the names, an indicator's columns
    and its unit are Danish. The description, which with the title names the image to a screen
    reader, is one text that cannot mark a part of itself: on such a page it names no Danish
    data and refers to the legend instead, which screen readers then read, each name marked."""

    title: str | None = None
    series: str | None = None
    categories: str | None = None
    unit: str | None = None

    @classmethod
    def of(cls, danish: Iterable[str]) -> "Languages":
        """The languages of a chart whose named parts (title, series, categories, unit) are
        Danish data, on the page being drawn."""
        if translation.get_language() == "da":
            return cls()
        return cls(**dict.fromkeys(danish, "da"))


def _decimal(value: Number) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _attrs(attributes: Mapping[str, object]) -> str:
    return "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"'
        for name, value in attributes.items()
        if value is not None
    )


def _element(tag: str, content: str = "", **attributes: object) -> str:
    if content:
        return f"<{tag}{_attrs(attributes)}>{content}</{tag}>"
    return f"<{tag}{_attrs(attributes)}/>"


def _datum(
    tag: str,
    drawn: "Series",
    category: str,
    value: Decimal,
    unit: str,
    lang: str | None,
    units: "Units | None" = None,
    **attributes: object,
) -> str:
    """One drawn figure (a bar, a point): its title to read (a tooltip, marked lang when it is
    Danish data), its colour, and its series, category and value as data attributes (what the
    tests and the interactive chart read). units, where given, names the unit by the figure
    (1 measure, 2 measures)."""
    label = f"{drawn.name}, {category}: {_figure(value, units(value) if units else unit)}"
    return _element(
        tag,
        _element("title", escape(label), lang=lang),
        **attributes,
        fill=drawn.colour,
        data_series=drawn.name,
        data_category=category,
        data_value=plain_decimal(value),
    )


def wrap_label(label: str, length: int) -> list[str]:
    """A label in lines of at most length characters, broken between words only (a longer word
    is a line of its own): whole, never cut."""
    return textwrap.wrap(label, max(length, 1), break_long_words=False) or [""]


@dataclass
class Series:
    name: str
    values: list[Decimal | None]
    colour: str


@dataclass
class Summary:
    """What a chart draws of the figures it was given, and what it says about the rest."""

    categories: list[str]
    series: list[Series]
    given_series: int
    given_categories: int
    others: str | None = None  # the name of the added-up series, when there is one


def summarise(
    categories: Iterable[object],
    series: Mapping[Any, Iterable[Number]],
    *,
    additive: bool,
    max_series: int = MAX_SERIES,
    max_categories: int = MAX_CATEGORIES,
) -> Summary:
    """Bound a chart's data: the latest max_categories columns; at most max_series series.

    Additive figures (money, counts) keep the largest series in their given order and add the
    rest up as one more series, "Others (computed by the portal)". Other figures (rates, shares)
    cannot be added: the first max_series are kept as given.
    """
    labels = [str(category) for category in categories]
    rows = [(str(name), [_decimal(v) for v in values]) for name, values in series.items()]
    given_categories = len(labels)
    if len(labels) > max_categories:
        labels = labels[-max_categories:]
        rows = [(name, values[-max_categories:]) for name, values in rows]
    others = None
    if len(rows) > max_series and additive:
        ranked = sorted(
            range(len(rows)), key=lambda i: -sum(abs(v) for v in rows[i][1] if v is not None)
        )
        keep = set(ranked[: max_series - 1])
        rest = [rows[i][1] for i in range(len(rows)) if i not in keep]
        summed: list[Decimal | None] = []
        for column in zip(*rest, strict=True):
            present = [v for v in column if v is not None]
            summed.append(sum(present, Decimal(0)) if present else None)
        others = str(_("Others (computed by the portal)"))
        kept = [row for i, row in enumerate(rows) if i in keep]
        drawn = [Series(n, v, COLOURS[i % len(COLOURS)]) for i, (n, v) in enumerate(kept)]
        drawn.append(Series(others, summed, OTHERS_COLOUR))
    else:
        drawn = [
            Series(n, v, COLOURS[i % len(COLOURS)]) for i, (n, v) in enumerate(rows[:max_series])
        ]
    return Summary(labels, drawn, len(rows), given_categories, others)


def round_ticks(low: Decimal, high: Decimal, count: int = 5) -> list[Decimal]:
    """Round tick values from at most low to at least high, about count steps apart."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = Decimal(10) ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, Decimal("2.5"), 5, 10) if m * magnitude >= raw)
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks = [first]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return [t.normalize() if t != t.to_integral() else t.quantize(Decimal(1)) for t in ticks]


class _Frame:
    """The geometry of one chart: the value axis, the category slots, the margins.

    The column labels are whole: each wraps between words to fit its slot, in lines under it;
    where a word is wider than the slot (many columns), the labels slant down to the left,
    wrapped at SLANT_CHARS."""

    def __init__(self, summary: Summary, low: Decimal, high: Decimal) -> None:
        self.ticks = round_ticks(min(low, Decimal(0)), high)
        self.low, self.high = float(self.ticks[0]), float(self.ticks[-1])
        widest = max(len(format_number(t)) for t in self.ticks)
        self.left = 10 + widest * CHAR
        self.plot_width = WIDTH - self.left - RIGHT
        self.categories = summary.categories
        self.slot = self.plot_width / max(len(self.categories), 1)
        fits = int((self.slot - 4) // CHAR)
        self.labels = [wrap_label(c, fits) for c in self.categories]
        longest = max((len(line) for lines in self.labels for line in lines), default=0)
        self.rotated = longest * CHAR > self.slot - 4
        if self.rotated:
            self.labels = [wrap_label(c, SLANT_CHARS) for c in self.categories]
            longest = max((len(line) for lines in self.labels for line in lines), default=0)
            # Labels slant down to the left (40°): the first one needs room left of its slot.
            first = max(len(line) for line in self.labels[0]) * CHAR * 0.77 + 4 - self.slot / 2
            if first > self.left:
                self.left = first
                self.plot_width = WIDTH - self.left - RIGHT
                self.slot = self.plot_width / len(self.categories)
            lines = max(len(label) for label in self.labels)
            self.bottom = 16 + longest * CHAR * 0.58 + (lines - 1) * LINE * 0.77
        else:
            self.bottom = 12 + LINE * max((len(label) for label in self.labels), default=1)
        self.height = round(TOP + PLOT_HEIGHT + self.bottom)

    def y(self, value: float) -> float:
        return TOP + PLOT_HEIGHT - PLOT_HEIGHT * (value - self.low) / (self.high - self.low)

    def centre(self, index: int) -> float:
        return self.left + self.slot * (index + 0.5)

    def axes(self, unit: str, languages: Languages) -> str:
        parts = []
        for tick in self.ticks:
            y = self.y(float(tick))
            parts.append(
                _element(
                    "line",
                    x1=f"{self.left:.1f}",
                    x2=f"{WIDTH - RIGHT:.1f}",
                    y1=f"{y:.1f}",
                    y2=f"{y:.1f}",
                    stroke="#d6d6d6" if tick else "#595959",
                    stroke_width="1",
                )
                + _element(
                    "text",
                    escape(format_number(tick)),
                    x=f"{self.left - 6:.1f}",
                    y=f"{y + 4:.1f}",
                    text_anchor="end",
                )
            )
        if unit:
            parts.append(
                _element(
                    "text",
                    escape(unit),
                    x="4",
                    y="14",
                    class_="kp-svg-unit",
                    lang=languages.unit,
                )
            )
        baseline = TOP + PLOT_HEIGHT + 18
        for index, lines in enumerate(self.labels):
            x = self.centre(index)
            y = baseline - 6 if self.rotated else baseline
            # One text per label (one name to read), a line per tspan.
            content = escape(lines[0]) + "".join(
                _element("tspan", escape(line), x=f"{x:.1f}", dy=str(LINE)) for line in lines[1:]
            )
            parts.append(
                _element(
                    "text",
                    content,
                    x=f"{x:.1f}",
                    y=f"{y:.1f}",
                    text_anchor="end" if self.rotated else "middle",
                    transform=f"rotate(-40 {x:.1f} {y:.1f})" if self.rotated else None,
                    lang=languages.categories,
                    class_="kp-svg-column",
                )
            )
        return "".join(parts)


def _figure(value: Decimal, unit: str) -> str:
    return f"{format_number(value)} {unit}".strip()


def _periods(summary: Summary) -> bool:
    """Whether the columns are years or periods (2017, 2008-2010), in no language."""
    return all(category[:1].isdigit() for category in summary.categories)


def _description(
    kind: str, summary: Summary, unit: str, languages: Languages, extra: Sequence[str] = ()
) -> str:
    """The chart in words, in the page's language: Danish data that the page marks elsewhere
    (the legend, the axis) is referred to rather than named (see Languages)."""
    if languages.series:
        count = len(summary.series)
        names = ngettext(
            "the series in the legend", "the %(count)s series in the legend", count
        ) % {"count": count}
    else:
        names = ", ".join(s.name for s in summary.series)
    # Years and periods as a span (2017–2020); other categories (statuses) named one by one.
    if summary.categories and _periods(summary):
        first, last = summary.categories[0], summary.categories[-1]
        span = first if len(summary.categories) == 1 else f"{first}–{last}"
    elif languages.categories:
        span = _("the columns named under the chart")
    else:
        span = ", ".join(summary.categories)
    unit = "" if languages.unit else unit
    given = {"kind": kind, "names": names, "span": span, "unit": unit}
    sentences = [
        _("%(kind)s of %(names)s for %(span)s, in %(unit)s.") % given
        if unit
        else _("%(kind)s of %(names)s for %(span)s.") % given
    ]
    sentences.extend(extra)
    kept = len(summary.series) - (1 if summary.others else 0)
    if summary.others:
        sentences.append(
            _(
                "The %(kept)s largest of %(total)s are drawn; the rest are added up as "
                "“%(others)s”, a sum computed by the portal."
            )
            % {"kept": kept, "total": summary.given_series, "others": summary.others}
        )
    elif summary.given_series > kept:
        sentences.append(
            _("The first %(kept)s of %(total)s series are drawn.")
            % {"kept": kept, "total": summary.given_series}
        )
    if summary.given_categories > len(summary.categories):
        sentences.append(
            _("The latest %(kept)s of %(total)s columns are drawn.")
            % {"kept": len(summary.categories), "total": summary.given_categories}
        )
    sentences.append(_("All the figures are in the table next to the chart."))
    # A sentence that ends on an abbreviation ("mio. kr.", "pct.") takes no second full stop.
    return " ".join(str(s).replace("..", ".") for s in sentences)


def swatch(colour: str, dashed: bool = False) -> str:
    """A legend's key: a square of the series' colour, or a dashed line for a target; hidden
    from screen readers (the name beside it is what they read). Also the report's legends."""
    shape = (
        _element(
            "line",
            x1="0",
            x2="18",
            y1="7",
            y2="7",
            stroke=colour,
            stroke_width="3",
            stroke_dasharray="5 3",
        )
        if dashed
        else _element("rect", width="14", height="14", fill=colour)
    )
    return _element(
        "svg",
        shape,
        width="18",
        height="14",
        viewBox="0 0 18 14",
        aria_hidden="true",
        focusable="false",
    )


def _plotly_text(text: str) -> str:
    """plotly.js reads its texts as a little HTML (<br>, <b>, entities): keep ours literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plotly_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def _plotly_figure(
    summary: Summary,
    *,
    unit: str,
    lines: bool = False,
    stacked: bool = False,
    target: Decimal | None = None,
    target_name: str = "",
    languages: Languages = Languages(),
    units: Units | None = None,
) -> str:
    """The chart for plotly.js as JSON: the same series, columns and colours as the SVG (the
    summary), numbers written as the page's language writes them, without plotly's default
    theme. Untitled, as the SVG is to the eye: the page's heading names it.

    layout.meta.lang says which of plotly.js's texts are Danish data (Languages): per trace
    (its legend entry), the columns (x) and the unit (y); static/js/charts.js marks them.

    Its text is PLOTLY_FONT px on any screen; long column labels (as tick texts: the data keep
    the whole names) and series' names wrap at <br> between words, rather than run into each
    other or off the chart."""
    x = [_plotly_text(c) for c in summary.categories]
    hover = _plotly_text(f"%{{x}}: %{{y:,}} {unit}".rstrip())
    if units:
        # The unit by the figure (1 measure, 2 measures): each point's own, as customdata.
        hover = "%{x}: %{y:,} %{customdata}"
    traces: list[go.Bar | go.Scatter] = []
    for drawn in summary.series:
        y = [_plotly_number(v) for v in drawn.values]
        name = "<br>".join(wrap_label(_plotly_text(drawn.name), PLOTLY_LEGEND_CHARS))
        counted = (
            {"customdata": [_plotly_text(units(v)) if v is not None else "" for v in drawn.values]}
            if units
            else {}
        )
        if lines:
            traces.append(
                go.Scatter(
                    x=x,
                    y=y,
                    name=name,
                    mode="lines+markers",
                    line={"color": drawn.colour, "width": 3},
                    marker={"size": 9},
                    hovertemplate=hover,
                    **counted,
                )
            )
        else:
            traces.append(
                go.Bar(
                    x=x,
                    y=y,
                    name=name,
                    marker_color=drawn.colour,
                    hovertemplate=hover,
                    **counted,
                )
            )
    if target is not None:
        traces.append(
            go.Scatter(
                x=x,
                y=[_plotly_number(target)] * len(x),
                name=_plotly_text(target_name),
                mode="lines",
                line={"color": TARGET_COLOUR, "width": 2, "dash": "dash"},
                hovertemplate=hover,
            )
        )
    trace_languages = [
        None if drawn.name == summary.others else languages.series for drawn in summary.series
    ]
    if target is not None:
        trace_languages.append(None)  # the target's label is the page's
    layout = go.Layout(
        meta={"lang": {"traces": trace_languages, "x": languages.categories, "y": languages.unit}},
        template="none",
        separators=f"{get_format('DECIMAL_SEPARATOR')}{get_format('THOUSAND_SEPARATOR')}",
        font={"family": FONT_FAMILY, "size": PLOTLY_FONT, "color": "#1a1a1a"},
        xaxis={
            "type": "category",
            "automargin": True,
            "tickmode": "array",
            "tickvals": x,
            "ticktext": ["<br>".join(wrap_label(c, PLOTLY_LABEL_CHARS)) for c in x],
        },
        yaxis={
            "title": {"text": _plotly_text(unit)},
            "automargin": True,
            "separatethousands": True,
            "rangemode": "normal" if lines else "tozero",
        },
        # Above the plot, where it cannot overlap the (wrapped) column labels; entries wrap.
        # Shown for a single series too, as the simple chart's legend is: it names the series.
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        margin={"l": 8, "r": 8, "t": 16, "b": 8},
        height=440,
        hovermode="closest",
    )
    if not lines:
        layout.barmode = "stack" if stacked else "group"
    figure = go.Figure(data=traces, layout=layout).to_plotly_json()
    # No mode bar (its buttons and tips are English only); hover, legend and zoom remain.
    figure["config"] = {"displayModeBar": False, "showTips": False, "responsive": True}
    text = json.dumps(figure, separators=(",", ":"), ensure_ascii=False)
    # As django.utils.html.json_script does: nothing in the data can close the element.
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


def _interactive(chart_id: str, figure: str) -> str:
    """The button that swaps the SVG for plotly.js, hidden until static/js/charts.js shows it,
    the figure it draws, and the script (deferred; each chart carries it, it runs once)."""
    button = _element(
        "button",
        escape(_("Show interactive chart")),
        type="button",
        class_="button button-secondary button-small kp-chart-toggle",
        hidden="",
        data_figure=f"{chart_id}-figur",
    )
    data = f'<script id="{escape(chart_id)}-figur" type="application/json">{figure}</script>'
    loader = _attrs(
        {
            "src": static("js/charts.js"),
            "defer": "",
            "data_plotly": static(PLOTLY_JS),
            "data_plotly_css": static("css/plotly-global.css"),
            "data_simple": _("Show simple chart"),
            "data_failed": _("The interactive chart could not be loaded."),
        }
    )
    # A <script> element is never self-closing: written out rather than with _element().
    script = f"<script{loader}></script>"
    return button + data + script


def _render(
    chart_id: str,
    title: str,
    description: str,
    frame: _Frame,
    body: str,
    legend: Sequence[tuple[str, str, str | None]],
    figure: str,
    languages: Languages,
) -> SafeString:
    svg = _element(
        "svg",
        _element("title", escape(title), id=f"{chart_id}-titel", lang=languages.title)
        + _element("desc", escape(description), id=f"{chart_id}-beskrivelse")
        + body,
        xmlns="http://www.w3.org/2000/svg",
        class_="kp-svg",
        role="img",
        aria_labelledby=f"{chart_id}-titel {chart_id}-beskrivelse",
        viewBox=f"0 0 {WIDTH} {frame.height}",
        width=str(WIDTH),
        height=str(frame.height),
        font_family=FONT_FAMILY,
        font_size=str(FONT),
        fill="#1a1a1a",
    )
    # The legend repeats the description's names for sighted readers; where the description
    # refers to it instead (Danish names on a page in another language), screen readers read it.
    return mark_safe(
        _element(
            "div",
            svg
            + legend_list(legend, aria_hidden=None if languages.series else "true")
            + _interactive(chart_id, figure),
            class_="kp-chart",
            id=chart_id,
        )
    )


def legend_list(entries: Iterable[tuple[str, str, str | None]], **attributes: object) -> str:
    """A chart's legend as HTML, which wraps with the page: each (name, swatch, language) an
    item with its whole name. Shared by the dashboard's charts and the report's (reports.svg)."""
    items = "".join(_element("li", key + escape(name), lang=lang) for name, key, lang in entries)
    return _element("ul", items, class_="nobullet-list kp-legend", **attributes)


def _legend(summary: Summary, languages: Languages) -> list[tuple[str, str, str | None]]:
    """(name, swatch, language) of each series; "Others" is the portal's, in the page's."""
    return [
        (s.name, swatch(s.colour), None if s.name == summary.others else languages.series)
        for s in summary.series
    ]


def _tooltip_language(summary: Summary, languages: Languages) -> str | None:
    """The language of the marks' titles ("Kræftplan IV, 2018: 360 mio. kr."): Danish where
    the series are Danish data and the columns are too or are years; else (Danish names beside
    the page's column labels, or no Danish at all) the page's. The titles are tooltips only:
    inside the chart's role="img" they are not read out."""
    if languages.series and (languages.categories or _periods(summary)):
        return languages.series
    return None


def bar_chart(
    chart_id: str,
    categories: Iterable[object],
    series: Mapping[Any, Iterable[Number]],
    *,
    title: object,
    stacked: bool = False,
    additive: bool = True,
    y_title: object = "",
    units: Units | None = None,
    danish: Iterable[str] = (),
) -> SafeString:
    """Bars per category, one per series side by side, or stacked. danish names the parts that
    are Danish data (title, series, categories, unit; see Languages). units, for counted
    figures, names the unit beside each figure by its number (y_title is the axis's)."""
    summary = summarise(categories, series, additive=additive)
    languages = Languages.of(danish)
    tooltip = _tooltip_language(summary, languages)
    unit = str(y_title)
    values = [v for s in summary.series for v in s.values if v is not None]
    if stacked:
        columns = [
            [v for s in summary.series if (v := s.values[i]) is not None]
            for i in range(len(summary.categories))
        ]
        tops = [sum((v for v in column if v > 0), Decimal(0)) for column in columns]
        bottoms = [sum((v for v in column if v < 0), Decimal(0)) for column in columns]
        high, low = max(tops, default=Decimal(0)), min(bottoms, default=Decimal(0))
    else:
        high, low = max(values, default=Decimal(0)), min(values, default=Decimal(0))
    frame = _Frame(summary, low, high)
    group = frame.slot * 0.8
    width = group if stacked else group / max(len(summary.series), 1)
    zero = frame.y(0)
    up = [zero] * len(summary.categories)
    down = [zero] * len(summary.categories)
    bars = []
    for number, drawn in enumerate(summary.series):
        for index, value in enumerate(drawn.values):
            if value is None:
                continue
            size = abs(frame.y(float(value)) - zero)
            if stacked:
                if value >= 0:
                    up[index] -= size
                    y = up[index]
                else:
                    y = down[index]
                    down[index] += size
                x = frame.centre(index) - group / 2
            else:
                y = zero - size if value >= 0 else zero
                x = frame.centre(index) - group / 2 + number * width
            bars.append(
                _datum(
                    "rect",
                    drawn,
                    summary.categories[index],
                    value,
                    unit,
                    tooltip,
                    units,
                    x=f"{x:.1f}",
                    y=f"{y:.1f}",
                    width=f"{max(width - (0 if stacked else 1), 1):.1f}",
                    height=f"{size:.1f}",
                    class_="kp-bar",
                )
            )
    kind = _("Stacked bar chart") if stacked else _("Bar chart")
    return _render(
        chart_id,
        str(title),
        _description(str(kind), summary, unit, languages),
        frame,
        frame.axes(unit, languages) + "".join(bars),
        _legend(summary, languages),
        _plotly_figure(summary, unit=unit, stacked=stacked, languages=languages, units=units),
        languages,
    )


def line_chart(
    chart_id: str,
    categories: Iterable[object],
    series: Mapping[Any, Iterable[Number]],
    *,
    title: object,
    target: Number = None,
    target_label: object = "",
    y_title: object = "",
    danish: Iterable[str] = (),
) -> SafeString:
    """A line per series over the categories (periods), with a gap where a figure is missing,
    and the target as a dashed line. danish as for bar_chart()."""
    summary = summarise(categories, series, additive=False)
    languages = Languages.of(danish)
    tooltip = _tooltip_language(summary, languages)
    unit = str(y_title)
    values = [v for s in summary.series for v in s.values if v is not None]
    goal = _decimal(target)
    limits = values + ([goal] if goal is not None else [])
    frame = _Frame(summary, min(limits, default=Decimal(0)), max(limits, default=Decimal(0)))
    parts = [frame.axes(unit, languages)]
    legend = _legend(summary, languages)
    extra = []
    if goal is not None:
        y = frame.y(float(goal))
        name = str(target_label) or str(_("Target"))
        parts.append(
            _element(
                "line",
                x1=f"{frame.left:.1f}",
                x2=f"{WIDTH - RIGHT:.1f}",
                y1=f"{y:.1f}",
                y2=f"{y:.1f}",
                stroke=TARGET_COLOUR,
                stroke_width="2",
                stroke_dasharray="8 5",
                class_="kp-target",
                data_value=plain_decimal(goal),
            )
            + _element(
                "text",
                escape(f"{name}: {_figure(goal, unit)}"),
                x=f"{WIDTH - RIGHT:.1f}",
                y=f"{y - 5:.1f}",
                text_anchor="end",
                fill=TARGET_COLOUR,
            )
        )
        legend.append((name, swatch(TARGET_COLOUR, dashed=True), None))
        extra.append(
            _("The dashed line is the target, %(label)s: %(value)s.")
            % {"label": name, "value": _figure(goal, "" if languages.unit else unit)}
        )
    for drawn in summary.series:
        points = [
            (index, frame.centre(index), frame.y(float(value)), value)
            for index, value in enumerate(drawn.values)
            if value is not None
        ]
        # A missing figure breaks the line: one polyline per run of neighbouring points.
        runs: list[list[tuple[float, float]]] = []
        previous = None
        for index, x, y, _value in points:
            if previous is None or index != previous + 1:
                runs.append([])
            runs[-1].append((x, y))
            previous = index
        for run in runs:
            if len(run) > 1:
                parts.append(
                    _element(
                        "polyline",
                        points=" ".join(f"{x:.1f},{y:.1f}" for x, y in run),
                        fill="none",
                        stroke=drawn.colour,
                        stroke_width="3",
                    )
                )
        for index, x, y, value in points:
            parts.append(
                _datum(
                    "circle",
                    drawn,
                    summary.categories[index],
                    value,
                    unit,
                    tooltip,
                    cx=f"{x:.1f}",
                    cy=f"{y:.1f}",
                    r="4.5",
                    class_="kp-point",
                )
            )
    return _render(
        chart_id,
        str(title),
        _description(str(_("Line chart")), summary, unit, languages, extra),
        frame,
        "".join(parts),
        legend,
        _plotly_figure(
            summary,
            unit=unit,
            lines=True,
            target=goal,
            target_name=str(target_label) or str(_("Target")),
            languages=languages,
        ),
        languages,
    )
