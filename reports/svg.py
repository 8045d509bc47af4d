"""Small, dependency-free SVG charts for the printed report: vector graphics in the PDF with no
browser involved. Each chart carries a <title> and <desc>; the numbers are also in a table."""

from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from kraeftplan.charts import COLOURS
from kraeftplan.formatting import format_number

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 64


def _scale(values):
    top = max([float(v) for v in values if v is not None] + [1.0])
    step = 10 ** (len(str(int(top))) - 1)
    return (int(top / step) + 1) * step


def _axis(maximum):
    lines = []
    plot_height = HEIGHT - TOP - BOTTOM
    for i in range(5):
        value = maximum * i / 4
        y = TOP + plot_height - plot_height * i / 4
        lines.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d6d6d6"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(format_number(Decimal(str(round(value, 1))), None))}</text>"
        )
    return "".join(lines)


def _frame(title, description, body):
    return format_html(
        '<svg class="kp-svg" role="img" viewBox="0 0 {} {}" width="{}" height="{}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="IBM Plex Sans, sans-serif">'
        "<title>{}</title><desc>{}</desc>{}</svg>",
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        title,
        description,
        mark_safe(body),
    )


def bar_svg(title, labels, values, description=""):
    maximum = _scale(values)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(labels), 1)
    parts = [_axis(maximum)]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = plot_height * float(value or 0) / maximum
        x = LEFT + slot * index + slot * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP + plot_height - height:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{height:.1f}" fill="{COLOURS[0]}"/>'
            f'<text x="{x + slot * 0.35:.1f}" y="{TOP + plot_height - height - 4:.1f}" '
            f'text-anchor="middle" font-size="11">{escape(format_number(value))}</text>'
            f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="end" '
            f'font-size="10" transform="rotate(-30 {x + slot * 0.35:.1f} {HEIGHT - BOTTOM + 14})">'
            f"{escape(label)}</text>"
        )
    return _frame(title, description, "".join(parts))


def line_svg(title, labels, series: dict, target=None, description=""):
    values = [v for points in series.values() for v in points if v is not None]
    maximum = _scale(values + ([target] if target is not None else []))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(labels), 1)

    def point(index, value):
        return LEFT + step * (index + 0.5), TOP + plot_height - plot_height * float(value) / maximum

    parts = [_axis(maximum)]
    for index, label in enumerate(labels):
        x = LEFT + step * (index + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="10">'
            f"{escape(label)}</text>"
        )
    if target is not None:
        _x, y = point(0, target)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c41f1f" '
            f'stroke-dasharray="6 4"/>'
        )
    for number, (name, points) in enumerate(series.items()):
        colour = COLOURS[number % len(COLOURS)]
        coords = [point(i, v) for i, v in enumerate(points) if v is not None]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
            )
        parts.extend(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>' for x, y in coords
        )
        key_x = LEFT + number * 150
        parts.append(
            f'<rect x="{key_x}" y="{HEIGHT - 22}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{key_x + 14}" y="{HEIGHT - 13}" font-size="10">{escape(name[:24])}</text>'
        )
    return _frame(title, description, "".join(parts))
