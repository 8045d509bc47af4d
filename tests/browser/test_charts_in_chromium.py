"""The charts in Chromium with JavaScript switched off: drawn on the server, they are on the
page at once, with a size, beside their tables, and they draw the figures the tables hold; on a
phone's width they shrink with the page."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from kraeftplan.formatting import parse_decimal
from targets.models import NationalTarget

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
