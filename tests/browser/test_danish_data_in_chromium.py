"""Danish data in the charts of the English pages, as Chromium computes the languages (:lang()):
the simple SVG chart's names, columns and units, and the interactive plotly.js chart's texts,
which plotly.js draws in the browser and draws anew after a redraw."""

import pytest
from playwright.sync_api import expect

from targets.models import NationalTarget

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# {text: "da" | "other"} of a chart's texts of a kind, by the language Chromium gives them; a
# text that plotly.js wrapped over lines (tspan.line) read as its lines with spaces between.
LANGUAGES = """(chart, selector) => Object.fromEntries(
  Array.from(chart.querySelectorAll(selector)).map((element) => {
    const lines = Array.from(element.querySelectorAll("tspan.line"), (l) => l.textContent.trim());
    const text = lines.length ? lines.join(" ") : element.textContent.trim();
    return [text, element.matches(":lang(da)") ? "da" : "other"];
  }))"""


def languages(chart, selector):
    return chart.evaluate(LANGUAGES, selector)


def open_interactive(chart):
    chart.locator(".kp-chart-toggle").click()
    expect(chart.locator(".js-plotly-plot .xtick text").first).to_be_visible()


def test_an_indicator_chart_in_english_marks_its_danish_texts_in_svg_and_plotly(page, portal):
    target = NationalTarget.objects.filter(indicators__isnull=False).order_by("pk").first()
    page.goto(portal.url + "/en" + target.get_absolute_url())
    chart = page.locator(".kp-chart").first
    indicator = target.indicators.order_by("position").first()
    # The simple chart: the indicator's name, rows, columns and unit are Danish.
    assert chart.locator("svg.kp-svg > title").evaluate("t => t.matches(':lang(da)')")
    legend = languages(chart, ".kp-legend li")
    # The rows are Danish; the target's label ("Target 2025") is the page's.
    assert legend == {name: "other" if name.startswith("Target ") else "da" for name in legend}
    assert "da" in legend.values()
    if indicator.unit:
        assert languages(chart, "svg.kp-svg text.kp-svg-unit") == {indicator.unit: "da"}

    open_interactive(chart)
    drawn = languages(chart, ".js-plotly-plot .legendtext")
    assert drawn == legend  # plotly.js's legend names in the languages of the simple one
    assert set(languages(chart, ".js-plotly-plot .xtick text").values()) == {"da"}
    if indicator.unit:
        assert languages(chart, ".js-plotly-plot .ytitle") == {indicator.unit: "da"}
    # plotly.js draws its texts anew on a redraw (here: a trace hidden from its legend); the
    # marks are set again after it (the old ones removed first, to see them come back).
    chart.locator(".js-plotly-plot").evaluate(
        "(plot) => plot.querySelectorAll('[lang]').forEach((e) => e.removeAttribute('lang'))"
    )
    chart.locator(".js-plotly-plot .legendtoggle").first.click()
    expect(chart.locator(".js-plotly-plot .legendtext[lang=da]").first).to_be_attached()
    assert languages(chart, ".js-plotly-plot .legendtext") == legend
    assert set(languages(chart, ".js-plotly-plot .xtick text").values()) == {"da"}


def test_the_home_pages_charts_in_english_mark_the_plans_but_not_the_years(page, portal):
    page.goto(portal.url + "/en/")
    chart = page.locator("#kp-penge-pr-aar")
    legend = languages(chart, ".kp-legend li")
    assert "Kræftplan IV" in legend and set(legend.values()) == {"da"}
    open_interactive(chart)
    assert languages(chart, ".js-plotly-plot .legendtext") == legend
    years = languages(chart, ".js-plotly-plot .xtick text")
    assert "2020" in years and set(years.values()) == {"other"}
    assert languages(chart, ".js-plotly-plot .ytitle") == {"mio. kr.": "other"}
    # The status chart's columns are the portal's categories, in English.
    status = page.locator("#kp-status")
    open_interactive(status)
    columns = languages(status, ".js-plotly-plot .xtick text")
    assert "On track" in columns and set(columns.values()) == {"other"}


def test_on_a_danish_page_every_chart_text_is_danish(page, portal):
    page.goto(portal.url + "/")
    chart = page.locator("#kp-penge-pr-aar")
    open_interactive(chart)
    for selector in (".kp-legend li", ".js-plotly-plot .legendtext", ".js-plotly-plot .xtick text"):
        assert set(languages(chart, selector).values()) == {"da"}, selector
