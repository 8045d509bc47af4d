"""The dashboard's charts on a phone (390×844) and a desktop (1280×800) in Chromium, in both
languages, as the simple SVG (without JavaScript) and as the interactive plotly.js chart: their
text is legible on the phone (at least 11 px) and no larger than about the body text on the
desktop (at most 20 px), every label and legend entry is whole (wrapped, never cut with "…"),
and nothing runs off the screen sideways."""

import pytest
from playwright.sync_api import expect

from targets.models import NationalTarget
from tests.browser.test_phone_and_languages_in_chromium import DESKTOP, PHONE, horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def chart_paths():
    """The home page, a budget page and a target page with a target line ("Mål 2025: 75 pct.";
    /maal/2/ in the seeds, whose primary keys a test database does not keep)."""
    target = (
        NationalTarget.objects.filter(indicators__isnull=False, target_value__isnull=False)
        .order_by("pk")
        .first()
    )
    return ["/", "/budget/kraeftplan-iv/", target.get_absolute_url()]


SMALLEST, LARGEST = 11, 20

# Each text the reader sees in an SVG inside the element: its size in CSS pixels as drawn (the
# font size scaled by the SVG's viewBox and any transform on the way) and its box.
DRAWN_TEXTS = """(root) => Array.from(root.querySelectorAll("svg text")).filter((text) => {
  const box = text.getBoundingClientRect();
  return text.textContent.trim() && box.width > 0 && getComputedStyle(text).visibility !== "hidden";
}).map((text) => {
  const matrix = text.getScreenCTM();
  const box = text.getBoundingClientRect();
  return {
    text: text.textContent,
    size: parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b),
    left: box.left,
    right: box.right,
  };
})"""


LINES = """(text) => [text.firstChild.data,
  ...Array.from(text.querySelectorAll("tspan"), (line) => line.textContent)]"""


def assert_legible(chart, viewport, where):
    texts = chart.evaluate(DRAWN_TEXTS)
    assert texts, where
    # Inside the chart (an SVG clips what runs past its edge) and so inside the screen.
    edge = chart.bounding_box()
    assert edge["x"] >= 0 and edge["x"] + edge["width"] <= viewport["width"], (where, edge)
    for text in texts:
        if viewport is PHONE:
            assert text["size"] >= SMALLEST, (where, text)
        else:
            assert text["size"] <= LARGEST, (where, text)
        assert not text["text"].rstrip().endswith("…"), (where, text)
        assert text["left"] >= edge["x"] - 0.5, (where, text)
        assert text["right"] <= edge["x"] + edge["width"] + 0.5, (where, text)
    for item in chart.locator(".kp-legend li").all():
        if item.is_visible():
            box = item.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (where, box)
            assert not item.text_content().strip().endswith("…"), where


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("language", ["", "/en"], ids=["da", "en"])
def test_the_simple_charts_text_is_legible_and_whole(open_page, portal, viewport, language):
    page = open_page(viewport, javascript=False)
    for path in chart_paths():
        page.goto(portal.url + language + path)
        charts = page.locator(".kp-chart")
        assert charts.count() > 0, path
        for chart in charts.all():
            chart.scroll_into_view_if_needed()
            assert_legible(chart, viewport, language + path)
        assert horizontal_overflow(page) == 0, path


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("language", ["", "/en"], ids=["da", "en"])
def test_the_interactive_charts_text_is_legible_and_whole(open_page, portal, viewport, language):
    page = open_page(viewport)
    for path in chart_paths():
        page.goto(portal.url + language + path)
        charts = page.locator(".kp-chart")
        assert charts.count() > 0, path
        for chart in charts.all():
            chart.locator(".kp-chart-toggle").click()
            expect(chart.locator(".js-plotly-plot .xtick text").first).to_be_visible()
            assert_legible(chart.locator(".js-plotly-plot"), viewport, language + path)
        assert horizontal_overflow(page) == 0, path


def test_the_status_charts_long_column_labels_wrap_whole_in_english(open_page, portal):
    page = open_page(PHONE, javascript=False)
    page.goto(portal.url + "/en/")
    label = page.locator("#kp-status svg text.kp-svg-column", has_text="Continued in")
    expect(label).to_have_count(1)
    # Wrapped over lines (the first, then a tspan each), every word of it there.
    lines = label.evaluate(LINES)
    assert len(lines) > 1 and " ".join(lines) == "Continued in changed form"
