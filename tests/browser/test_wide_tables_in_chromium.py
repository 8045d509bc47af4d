"""Wide tables on a phone (390×844): the row headings take at most half the window and stay at
its left edge while the figures scroll under them, figures show beside them from the start,
and a line above a table says that it scrolls sideways while, and only while, it is wider
than its region (static/js/portal.js); not on paper, and axe still finds nothing."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages_in_chromium import assert_accessible
from tests.browser.test_phone_and_languages_in_chromium import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HINT = "Rul vandret for at se hele tabellen"


def budget(page):
    return page.get_by_role("region", name="Økonomien i Kræftplan IV (mio. kr.)")


def small_table(page):
    return page.get_by_role("region", name="Midler pr. år fordelt på modtagere (mio. kr.)")


def hint_of(region):
    """The line just before the region, if it is the hint."""
    return region.locator("xpath=preceding-sibling::*[1][contains(@class, 'kp-scroll-hint')]")


def inside_window(box, width):
    return box["x"] >= 0 and box["x"] + box["width"] <= width


def test_on_a_phone_a_budget_shows_figures_beside_row_headings_that_stay(open_page, portal):
    page = open_page(PHONE)
    page.goto(portal.url + "/budget/kraeftplan-iv/")
    region = budget(page)
    row = region.locator("tbody tr:has(> th[scope=row])").first
    heading, figure = row.locator("th"), row.locator("td.kp-num").first
    heading.scroll_into_view_if_needed()
    before = heading.bounding_box()
    assert before["width"] <= PHONE["width"] / 2
    assert inside_window(figure.bounding_box(), PHONE["width"])  # 2017's figure, from the start
    expect(figure).not_to_have_text("")

    region.evaluate("r => { r.scrollLeft = r.scrollWidth; }")
    page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())
    after = heading.bounding_box()
    assert after["x"] == pytest.approx(before["x"], abs=1)  # the row heading stays put
    assert inside_window(after, PHONE["width"])
    assert figure.bounding_box()["x"] < after["x"] + after["width"]  # scrolled under it
    # The heading is on top, not the figures passing under it.
    centre = [after["x"] + after["width"] / 2, after["y"] + after["height"] / 2]
    on_top = "([x, y]) => document.elementFromPoint(x, y).closest('th')?.scope"
    assert page.evaluate(on_top, centre) == "row"


def test_the_hint_shows_while_a_table_is_wider_than_its_region(open_page, portal):
    page = open_page(PHONE)
    page.goto(portal.url + "/budget/kraeftplan-iv/")
    expect(hint_of(budget(page))).to_be_visible()
    expect(hint_of(budget(page))).to_have_text(HINT)
    assert_accessible(page)  # the hint keeps its contrast and names nothing twice

    page.set_viewport_size(DESKTOP)  # the small table fits a desktop: no hint
    expect(hint_of(small_table(page))).to_be_hidden()
    page.set_viewport_size({"width": 320, "height": 640})  # and not a small phone
    expect(hint_of(small_table(page))).to_be_visible()


def test_a_table_that_fits_has_no_hint_and_paper_has_none(open_page, portal):
    page = open_page(DESKTOP)
    page.goto(portal.url + "/en/budget/kraeftplan-iv/")
    small = page.get_by_role("region", name="Money per year by recipient (mio. kr.)")
    expect(small).to_be_visible()
    assert small.evaluate("r => r.scrollWidth <= r.clientWidth")
    expect(hint_of(small)).to_be_hidden()
    page.set_viewport_size(PHONE)
    hint = hint_of(page.get_by_role("region", name="The budget of Kræftplan IV (mio. kr.)"))
    expect(hint).to_have_text("Scroll sideways to see the whole table")
    expect(hint).to_be_visible()
    page.emulate_media(media="print")
    expect(hint).to_be_hidden()


def test_without_javascript_the_shadow_is_the_only_cue(open_page, portal):
    page = open_page(PHONE, javascript=False)
    page.goto(portal.url + "/budget/kraeftplan-iv/")
    expect(budget(page)).to_be_visible()
    expect(page.locator(".kp-scroll-hint")).to_have_count(0)
