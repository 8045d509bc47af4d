"""The published report's charts on a phone (390×844) in Chromium: the legends name every
series in full, wrap inside the screen and are not cut off; the charts' text stays legible;
the page does not scroll sideways. In both languages (the English page shows the Danish
report)."""

import pytest
from playwright.sync_api import expect

from reports.svg import FONT
from tests.browser.test_phone_and_languages_in_chromium import PHONE, horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "/rapporter/kraeftplan-iv/2020/"

# Each legend item as the reader sees it: its box, and whether its text is wider than the box
# shows (cut off) or hidden by an ancestor that clips.
LEGEND_ITEMS = """(figure) => Array.from(figure.querySelectorAll(".kp-legend li")).map((li) => {
  const box = li.getBoundingClientRect();
  let clipped = li.scrollWidth > li.clientWidth;
  for (let up = li.parentElement; up && up !== document.body; up = up.parentElement) {
    const outer = up.getBoundingClientRect();
    if (getComputedStyle(up).overflowX !== "visible" &&
        (box.left < outer.left - 0.5 || box.right > outer.right + 0.5)) {
      clipped = true;
    }
  }
  return {text: li.textContent.trim(), left: box.left, right: box.right, clipped};
})"""


@pytest.mark.parametrize("path", [REPORT, "/en" + REPORT])
def test_on_a_phone_the_report_charts_legends_are_whole_and_wrap(open_page, portal, path):
    page = open_page(PHONE, javascript=False)
    page.goto(portal.url + path)
    figures = page.locator(".kp-report-body figure.kp-figure:has(.kp-legend)")
    assert figures.count() >= 3
    for figure in figures.all():
        figure.scroll_into_view_if_needed()
        items = figure.evaluate(LEGEND_ITEMS)
        # The legend names the rows of the chart's table below it, each in full.
        table = figure.locator("xpath=following::table[1]")
        rows = [name.strip() for name in table.locator("tbody th").all_text_contents()]
        assert [item["text"] for item in items] == rows
        for item in items:
            assert not item["clipped"], item
            assert item["left"] >= 0 and item["right"] <= PHONE["width"], item
        for item in figure.locator(".kp-legend li").all():
            expect(item).to_be_visible()
    # A long name wraps onto its own line instead of running off the screen.
    longest = page.locator(".kp-legend li", has_text="5 års overlevelse efter kræft 2008-2016")
    expect(longest.first).to_be_visible()
    assert horizontal_overflow(page) == 0


def test_on_a_phone_the_report_charts_text_stays_legible(open_page, portal):
    page = open_page(PHONE, javascript=False)
    page.goto(portal.url + REPORT)
    charts = page.locator(".kp-report-body svg.kp-report-svg")
    assert charts.count() >= 4
    for chart in charts.all():
        box = chart.bounding_box()
        view_width = float(chart.get_attribute("viewBox").split()[2])
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        # The SVG's text is drawn at FONT units; shrunk to the screen, that many pixels:
        assert FONT * box["width"] / view_width >= 11, box
    # The legends' text is the page's, not shrunk with the chart.
    size = page.locator(".kp-legend li").first.evaluate("li => getComputedStyle(li).fontSize")
    assert float(size.removesuffix("px")) >= 14
