"""The public site in Chromium: every page passes axe-core, filters work, charts draw."""

import pytest
from playwright.sync_api import expect

from targets.models import NationalTarget
from tests.browser.test_pages_in_chromium import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def public_paths():
    target = NationalTarget.objects.get(plan__slug="kraeftplan-iv", number=1)
    return [
        "/",
        "/planer/",
        "/planer/kraeftplan-iv/",
        "/planer/kraeftplan-v/",
        "/planer/jo-foer-jo-bedre/",
        "/initiativer/",
        "/initiativer/kraeftplan-iv/12/",
        "/initiativer/kraeftplan-iv/3/",
        "/initiativer/kraeftplan-v/anbefaling-1/",
        "/initiativer/kraeftplan-v/regional-3/",
        "/budget/kraeftplan-iv/",
        "/budget/jo-foer-jo-bedre/",
        "/maal/",
        target.get_absolute_url(),
        "/tilgaengelighed/",
        "/rapporter/",
        "/rapporter/kraeftplan-iv/2020/",
        "/om-data/",
        "/en/",
        "/initiativer/?status=maybe",
    ]


def test_every_public_page_passes_axe(page, portal):
    for path in public_paths():
        page.goto(portal.url + path)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)


def test_the_initiative_filters_work_from_the_form(page, portal):
    page.goto(portal.url + "/initiativer/")
    page.get_by_label("Plan", exact=True).select_option("kraeftplan-iv")
    page.get_by_label("Status", exact=True).select_option("discontinued")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("status")).to_have_text("1 resultat")
    expect(
        page.get_by_role("link", name="Bedre brug af data til forskning og kvalitetsudvikling")
    ).to_be_visible()
    assert "plan=kraeftplan-iv" in page.url and "status=discontinued" in page.url


def test_charts_draw_and_their_numbers_are_in_a_table(page, portal):
    page.goto(portal.url + "/budget/kraeftplan-iv/")
    expect(page.locator("#kp-budget-afsnit svg").first).to_be_visible()
    expect(
        page.get_by_role("table", name="Midler pr. år fordelt på hovedelementer (mio. kr.)")
    ).to_contain_text("Rettidig omhu")
    target = NationalTarget.objects.get(plan__slug="kraeftplan-iv", number=2)
    page.goto(portal.url + target.get_absolute_url())
    expect(page.locator(".kp-chart svg").first).to_be_visible()


def test_pages_read_without_javascript(browser, portal):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(portal.url + "/budget/kraeftplan-iv/")
    expect(page.get_by_role("table", name="Økonomien i Kræftplan IV (mio. kr.)")).to_contain_text(
        "115,1"
    )
    context.close()


def menu_marks(page):
    """(label, aria-current, bold, underlined) of each link in the desktop bar."""
    return page.eval_on_selector_all(
        ".kp-nav .mainmenu > li > a",
        r"""links => links.map(link => {
            const span = getComputedStyle(link.querySelector("span"));
            return [link.textContent.trim(), link.getAttribute("aria-current"),
                    Number(span.fontWeight) >= 700,
                    parseFloat(span.borderBottomWidth) >= 3
                        && span.borderBottomStyle === "solid"
                        && !/rgba\(.*, 0\)$/.test(span.borderBottomColor)
                        && span.borderBottomColor !== "transparent"];
        })""",
    )


def test_the_desktop_menu_shows_the_current_page_and_its_section(open_page, portal):
    page = open_page({"width": 1280, "height": 800})
    page.goto(portal.url + "/planer/")
    marks = {label: rest for label, *rest in menu_marks(page)}
    assert marks["Planer"] == ["page", True, True]
    assert all(rest == [None, False, False] for label, rest in marks.items() if label != "Planer")
    page.screenshot(path="/tmp/kp-review-menu-plans.png")
    # On a plan's page the menu shows its section, Plans.
    page.goto(portal.url + "/en/planer/kraeftplan-iv/")
    marks = {label: rest for label, *rest in menu_marks(page)}
    assert marks["Plans"] == ["true", True, True]
    assert marks["Overview"] == [None, False, False]
    page.goto(portal.url + "/")
    assert {label: rest for label, *rest in menu_marks(page)}["Overblik"] == ["page", True, True]


def test_the_breadcrumbs_are_visibly_separated(open_page, portal):
    page = open_page({"width": 1280, "height": 800})
    page.goto(portal.url + "/budget/kraeftplan-iv/")
    separators = page.eval_on_selector_all(
        ".breadcrumbs__list-item",
        "items => items.map(item => getComputedStyle(item, '::before').content)",
    )
    # None before the first crumb; a chevron, not read aloud, before each of the others.
    assert separators[0] == "none" and set(separators[1:]) == {'"›" / ""'}, separators
    page.locator(".breadcrumbs").screenshot(path="/tmp/kp-review-crumbs.png")
