"""The annual report's charts (reports/svg.py): an SVG image with its title and description, its
legend after it in HTML with every series' whole name, and text that stays legible when the
chart shrinks to a phone's width."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from reports.models import ReportVersion
from reports.svg import FONT, WIDTH, bar_svg, line_svg

SVG = "{http://www.w3.org/2000/svg}"
LONG = "5 års overlevelse efter kræft 2008-2016 i Danmark"


def parts(markup):
    """The chart's <svg> element and its legend's items (the text of each <li>)."""
    svg = re.search(r"<svg class=.*?</svg>(?=<ul|$)", str(markup), re.S)[0]
    after = str(markup)[len(svg) :]
    items = [re.sub(r"<svg.*?</svg>", "", item) for item in re.findall(r"<li>(.*?)</li>", after)]
    return ET.fromstring(svg), after, items


def test_a_line_charts_legend_names_every_series_in_full_after_the_svg():
    chart = line_svg(
        "Overlevelse",
        ["2008-2010", "2011-2013"],
        {LONG: [59, 61], "Mænd": [None, 66], "Kvinder": [None, 68]},
        target=75,
        description="Tallene står i tabellen under diagrammet.",
    )
    svg, after, items = parts(chart)
    assert items == [LONG, "Mænd", "Kvinder"]
    assert after.startswith('<ul class="nobullet-list kp-legend">')
    # The names are in the legend only, never cut inside the SVG.
    ticks_and_columns = ["0", "20", "40", "60", "80", "2008-2010", "2011-2013"]
    assert [t.text for t in svg.iter(f"{SVG}text")] == ticks_and_columns
    assert svg.find(f"{SVG}title").text == "Overlevelse"
    assert svg.find(f"{SVG}desc").text == "Tallene står i tabellen under diagrammet."
    assert svg.get("role") == "img"


def test_the_legend_escapes_the_names_and_keeps_each_swatch_in_its_colour():
    chart = line_svg("T", ["2013", "2017"], {"<b>A & B</b>": [1, 2], "C": [3, 4]})
    _svg, after, items = parts(chart)
    assert items == ["&lt;b&gt;A &amp; B&lt;/b&gt;", "C"]
    assert "<b>" not in after
    swatches = re.findall(r'<li><svg[^>]*aria-hidden="true"[^>]*><rect[^>]*fill="(#\w+)"', after)
    lines = re.findall(r'<polyline[^>]*stroke="(#\w+)"', str(chart))
    assert swatches == lines and len(set(swatches)) == 2


def test_a_missing_figure_breaks_the_line_rather_than_bridging_it():
    svg, _after, _items = parts(line_svg("T", ["a", "b", "c", "d"], {"S": [1, 2, None, 4]}))
    assert len(svg.findall(f"{SVG}polyline")) == 1
    assert len(svg.findall(f"{SVG}circle")) == 3


def test_the_axis_labels_are_round_numbers():
    svg, _after, _items = parts(line_svg("T", ["2014", "2018"], {"S": [Decimal("6.8"), 5]}))
    ticks = [t.text for t in svg.iter(f"{SVG}text")][:-2]
    assert ticks == ["0", "2", "4", "6", "8"]


def test_column_labels_that_do_not_fit_side_by_side_slant_and_stay_whole():
    labels = [f"Periode nummer {n}" for n in range(8)]
    svg, _after, _items = parts(line_svg("T", labels, {"S": list(range(8))}))
    texts = [t for t in svg.iter(f"{SVG}text") if t.text in labels]
    assert [t.text for t in texts] == labels
    assert all(t.get("transform", "").startswith("rotate(-40") for t in texts)
    height = float(svg.get("viewBox").split()[3])
    assert height > 260  # room below the plot for the slanted labels


def test_a_bar_charts_labels_are_whole_to_the_left_of_their_bars():
    labels = ["Følger tidsplanen", "Følger delvis tidsplanen", "Indstillet"]
    svg = ET.fromstring(str(bar_svg("Status", labels, [16, 1, 0])))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    # A long label wraps over lines of whole words; nothing is cut off.
    assert " ".join(texts).replace(" ", "") == "".join(
        f"{label}{count}" for label, count in zip(labels, ["16", "1", "0"], strict=True)
    ).replace(" ", "")
    bars = svg.findall(f"{SVG}rect")
    assert [float(bar.get("width")) > 0 for bar in bars] == [True, True, False]


def test_the_text_is_large_for_the_charts_width():
    """Shrunk to a 390 px phone's 358 px of content, the text is still about 11.6 px."""
    assert FONT / WIDTH * 358 >= 11
    chart = str(line_svg("T", ["2013", "2017"], {"S": [1, 2]}))
    assert f'viewBox="0 0 {WIDTH} ' in chart and f'font-size="{FONT}"' in chart
    sizes = re.findall(r'font-size="(\d+)"', chart.split("</svg>")[0])
    assert set(sizes) == {str(FONT)}


@pytest.mark.django_db
def test_the_seeded_reports_are_published_with_the_legend_in_html():
    version = ReportVersion.objects.get(
        report__plan__slug="kraeftplan-iv", report__year=2020, number=1
    )
    for html in (version.web_html, version.print_html):
        assert f"<li>{LONG}</li>" in re.sub(r"<svg[^>]*aria-hidden.*?</svg>", "", html)
        assert "kp-report-svg" in html
