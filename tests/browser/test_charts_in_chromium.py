"""The charts in Chromium with JavaScript switched off: drawn on the server, they are on the
page at once, with a size, beside their tables, and they draw the figures the tables hold; on a
phone's width they shrink with the page. With JavaScript, the interactive chart: plotly.js comes
only on a reader's click, once per page, and draws the figures the SVG draws, under the policy."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from kraeftplan.formatting import parse_decimal
from targets.models import NationalTarget
from tests.browser.test_csp_in_chromium import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def chart_paths():
    target = NationalTarget.objects.filter(indicators__isnull=False).order_by("pk").first()
    return ["/", "/en/", "/budget/kraeftplan-iv/", target.get_absolute_url()]


@pytest.fixture
def without_javascript(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_the_chart_pages_show_their_charts_and_tables_without_javascript(
    without_javascript, portal
):
    page = without_javascript
    for path in chart_paths():
        response = page.goto(portal.url + path)
        assert response.status == 200, path
        charts = page.locator(".kp-chart svg.kp-svg")
        assert charts.count() > 0, path
        for index in range(charts.count()):
            chart = charts.nth(index)
            expect(chart).to_be_visible()
            box = chart.bounding_box()
            assert box["width"] > 200 and box["height"] > 100, (path, box)
            assert chart.locator("rect.kp-bar, circle.kp-point").count() > 0, path
        expect(page.locator("main table").first).to_be_visible()
        # Screen readers get the chart as one image named by its title.
        name = charts.first.locator("title").first.text_content()
        expect(page.get_by_role("img", name=name).first).to_be_visible()
        # The button for the interactive chart is there only for a script to show: nothing dead.
        buttons = page.locator(".kp-chart .kp-chart-toggle")
        assert buttons.count() == charts.count(), path
        for button in buttons.all():
            expect(button).to_be_hidden()


def test_the_bars_draw_the_figures_of_the_table_beside_them(without_javascript, portal):
    page = without_javascript
    page.goto(portal.url + "/budget/kraeftplan-iv/")
    table = page.get_by_role("table", name="Midler pr. år fordelt på hovedelementer (mio. kr.)")
    years = [cell.strip() for cell in table.locator("thead th").all_text_contents()[1:]]
    in_table = {}
    for row in table.locator("tbody tr").all():
        label = row.locator("th").text_content().strip()
        for year, cell in zip(years, row.locator("td").all_text_contents(), strict=True):
            in_table[(label, year)] = parse_decimal(cell.strip())
    bars = page.locator("#kp-budget-afsnit rect.kp-bar")
    drawn = {
        (bar.get_attribute("data-series"), bar.get_attribute("data-category")): Decimal(
            bar.get_attribute("data-value")
        )
        for bar in bars.all()
    }
    assert in_table and drawn == in_table


def test_on_a_phone_the_charts_shrink_to_the_page(browser, portal):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    for path in chart_paths():
        page.goto(portal.url + path)
        for chart in page.locator(".kp-chart svg.kp-svg").all():
            box = chart.bounding_box()
            # Inside the screen, not only the page (a wide table may widen the page itself).
            assert box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= 390, (
                path,
                box,
            )
    context.close()


# {(series, category): figure} of a chart's SVG marks, and of its plotly.js chart as drawn
# (the data plotly.js holds; its texts decoded as plotly.js shows them, a <br> of a wrapped name
# as a break). The target's dashed line is left out of both.
SVG_FIGURES = """(chart) => Array.from(chart.querySelectorAll("svg.kp-svg [data-series]")).map(
  (mark) => [mark.dataset.series, mark.dataset.category, mark.dataset.value])"""
PLOTLY_FIGURES = """(chart) => {
  const text = (value) => new DOMParser().parseFromString(
    value.replaceAll("<br>", " "), "text/html").body.textContent;
  const plot = chart.querySelector(".js-plotly-plot");
  return plot.data.filter((trace) => trace.line?.dash !== "dash").flatMap((trace) =>
    trace.x.map((x, i) => [text(trace.name), text(x), trace.y[i]]).filter((f) => f[2] !== null));
}"""


def figures(rows):
    return {(series, category): Decimal(str(value)) for series, category, value in rows}


@pytest.fixture
def watched(page):
    """The page, recording the scripts it requests, CSP violations and console errors."""
    page.requested = []
    page.complaints = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("request", lambda request: page.requested.append(request.url))
    page.on(
        "console",
        lambda message: (
            page.complaints.append(message.text)
            # The browser asks for /favicon.ico on its own; the portal has none.
            if message.type == "error" and "favicon" not in message.location.get("url", "")
            else None
        ),
    )
    page.on("pageerror", lambda error: page.complaints.append(str(error)))
    return page


def plotly_requests(page):
    return [url for url in page.requested if "plotly" in url and url.endswith(".js")]


def test_plotly_comes_only_on_a_click_and_draws_the_figures_of_the_svg(watched, portal):
    page = watched
    target = NationalTarget.objects.filter(indicators__isnull=False).order_by("pk").first()
    for path in ["/budget/kraeftplan-iv/", target.get_absolute_url()]:
        page.requested.clear()
        assert page.goto(portal.url + path).status == 200, path
        page.wait_for_load_state("load")
        # Nothing of plotly.js on the page or over the network before the click.
        assert plotly_requests(page) == [], path
        assert page.evaluate("typeof window.Plotly") == "undefined", path
        assert page.locator("script[src*=plotly], link[href*=plotly]").count() == 0, path
        charts = page.locator(".kp-chart")
        assert charts.count() > 0, path
        first = charts.first
        button = first.locator(".kp-chart-toggle")
        expect(button).to_be_visible()
        expect(button).to_have_text("Vis interaktiv graf")

        button.click()
        plot = first.locator(".js-plotly-plot")
        expect(plot).to_be_visible()
        expect(first.locator("svg.kp-svg")).to_be_hidden()
        expect(button).to_have_text("Vis enkel graf")
        assert len(plotly_requests(page)) == 1, path
        # The same figures, every one of them drawn (a bar or a point per figure).
        drawn_svg = figures(first.evaluate(SVG_FIGURES))
        assert drawn_svg and figures(first.evaluate(PLOTLY_FIGURES)) == drawn_svg, path
        assert plot.locator(".point").count() >= len(drawn_svg), path
        # Numbers the Danish way: the separators from the figure reach plotly.js's formatting.
        number = plot.evaluate("(plot) => plot._fullLayout._d3locale.numberFormat(',')(1051042.5)")
        assert number == "1.051.042,5", path

        # Back to the simple chart, and again: plotly.js is not loaded a second time.
        button.click()
        expect(first.locator("svg.kp-svg")).to_be_visible()
        expect(plot).to_be_hidden()
        expect(button).to_have_text("Vis interaktiv graf")
        button.click()
        expect(plot).to_be_visible()
        if charts.count() > 1:
            charts.nth(1).locator(".kp-chart-toggle").click()
            expect(charts.nth(1).locator(".js-plotly-plot")).to_be_visible()
        assert len(plotly_requests(page)) == 1, path

        assert page.evaluate("window.__violations") == [], path
        assert page.complaints == [], path
