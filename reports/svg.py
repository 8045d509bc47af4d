"""Small, dependency-free SVG charts for the annual report: vector graphics in the PDF with no
browser involved, and the same markup in the report's web page. Each chart carries a <title>
and <desc>; the numbers are also in a table.

The charts are drawn narrow (WIDTH user units) with large text, so that on a phone, where the
SVG shrinks to the screen's width, the text stays legible (about 11 px at 390 px); the screen
and print styles cap their width so that the text is not oversized on a desktop or on paper.
A line chart's legend is HTML after the SVG (a list, like the dashboard's charts'): it shows
each series' whole name and wraps on a narrow screen instead of being cut off.

A report's version freezes this markup when it is published (ReportVersion.web_html and
print_html): a change here reaches new versions only.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from kraeftplan.charts import COLOURS, TARGET_COLOUR, legend_list, round_ticks, swatch, wrap_label
from kraeftplan.formatting import format_number

WIDTH = 400
FONT = 13
CHAR = 7.2  # the average width of a character at FONT, for the margins
LINE = 16  # the distance between two lines of a label
TOP, RIGHT = 12, 12
PLOT_HEIGHT = 170
BAR = 18  # a bar's thickness
LABEL_CHARS = 22  # a bar's label wraps into lines of at most this many characters
ROTATE = 40  # degrees: the slant of a line chart's column labels when they do not fit side by side

type Number = Decimal | int | float | None


def _text(content: str, x: float, y: float, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def _frame(title: str, description: str, height: float, body: str) -> SafeString:
    return format_html(
        '<svg class="kp-svg kp-report-svg" role="img" viewBox="0 0 {} {}" width="{}" height="{}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="IBM Plex Sans, sans-serif" '
        'font-size="{}" fill="#1a1a1a"><title>{}</title><desc>{}</desc>{}</svg>',
        WIDTH,
        round(height),
        WIDTH,
        round(height),
        FONT,
        title,
        description,
        mark_safe(body),
    )


def legend(names_and_colours: Sequence[tuple[str, str]]) -> SafeString:
    """The series' names in full, each beside its colour: a list that wraps with the page."""
    return mark_safe(
        legend_list((name, swatch(colour), None) for name, colour in names_and_colours)
    )


def bar_svg(title, labels, values: Sequence[Number], description="") -> SafeString:
    """One horizontal bar per label, the label in full to its left (wrapped over lines), the
    figure at the bar's end: long labels stay legible on a narrow page."""
    lines = [wrap_label(str(label), LABEL_CHARS) for label in labels]
    figures = [format_number(value) for value in values]
    label_width = max((len(line) for label in lines for line in label), default=0) * CHAR
    start = label_width + 12
    end = WIDTH - RIGHT - max((len(figure) for figure in figures), default=0) * CHAR - 6
    maximum = max([float(value) for value in values if value] + [1.0])
    parts: list[str] = []
    y = TOP
    for label, value, figure in zip(lines, values, figures, strict=True):
        row = max(len(label) * LINE, BAR) + 10
        middle = y + row / 2
        first = middle - (len(label) - 1) * LINE / 2 + FONT * 0.35
        parts.extend(
            _text(line, label_width + 4, first + n * LINE, text_anchor="end")
            for n, line in enumerate(label)
        )
        length = (end - start) * max(float(value or 0), 0.0) / maximum
        parts.append(
            f'<rect x="{start:.1f}" y="{middle - BAR / 2:.1f}" width="{length:.1f}" '
            f'height="{BAR}" fill="{COLOURS[0]}"/>'
            + _text(figure, start + length + 6, middle + FONT * 0.35)
        )
        y += row
    parts.append(
        f'<line x1="{start:.1f}" x2="{start:.1f}" y1="{TOP - 4}" y2="{y + 4:.1f}" '
        'stroke="#595959"/>'
    )
    return _frame(title, description, y + TOP, "".join(parts))


def line_svg(title, labels, series: dict, target=None, description="") -> SafeString:
    """A line per series over the columns (a gap where a figure is missing), the target as a
    dashed line, and the legend after the chart."""
    labels = [str(label) for label in labels]
    values = [Decimal(str(v)) for points in series.values() for v in points if v is not None]
    if target is not None:
        values.append(Decimal(str(target)))
    ticks = round_ticks(min([*values, Decimal(0)]), max([*values, Decimal(0)]), count=4)
    low, high = float(ticks[0]), float(ticks[-1])
    left = 10 + max(len(format_number(tick)) for tick in ticks) * CHAR
    slot = (WIDTH - left - RIGHT) / max(len(labels), 1)
    longest = max((len(label) for label in labels), default=0) * CHAR
    rotated = longest > slot - 6
    if rotated:
        # Slanted down to the left: the first label needs room left of its column.
        left = max(left, longest * 0.77 + 4 - slot / 2)
        slot = (WIDTH - left - RIGHT) / max(len(labels), 1)
    bottom = 28 + (longest * 0.64 if rotated else 0)

    def x_of(index: int) -> float:
        return left + slot * (index + 0.5)

    def y_of(value: float) -> float:
        return TOP + PLOT_HEIGHT - PLOT_HEIGHT * (value - low) / (high - low)

    parts: list[str] = []
    for tick in ticks:
        y = y_of(float(tick))
        parts.append(
            f'<line x1="{left:.1f}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{"#d6d6d6" if tick else "#595959"}"/>'
            + _text(format_number(tick), left - 6, y + FONT * 0.35, text_anchor="end")
        )
    baseline = TOP + PLOT_HEIGHT + 20
    for index, label in enumerate(labels):
        x = x_of(index)
        if rotated:
            parts.append(
                _text(
                    label,
                    x,
                    baseline - 6,
                    text_anchor="end",
                    transform=f"rotate(-{ROTATE} {x:.1f} {baseline - 6:.1f})",
                )
            )
        else:
            parts.append(_text(label, x, baseline, text_anchor="middle"))
    if target is not None:
        y = y_of(float(target))
        parts.append(
            f'<line x1="{left:.1f}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    keys = []
    for number, (name, points) in enumerate(series.items()):
        colour = COLOURS[number % len(COLOURS)]
        keys.append((str(name), colour))
        # A missing figure breaks the line: one polyline per run of neighbouring points.
        runs: list[list[tuple[float, float]]] = [[]]
        for index, value in enumerate(points):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x_of(index), y_of(float(value))))
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
                )
            parts.extend(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>' for x, y in run
            )
    height = TOP + PLOT_HEIGHT + bottom
    return format_html("{}{}", _frame(title, description, height, "".join(parts)), legend(keys))
