"""The public site on a phone (390×844, and 320 px for the widths) and on a desktop (1280×800),
in both languages: no page scrolls sideways, the menu opens with and without JavaScript, the
language switch goes there and back, and axe finds nothing on the pages' shell."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages_in_chromium import assert_accessible
from tests.browser.test_public_site_in_chromium import public_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SMALL_PHONE = {"width": 320, "height": 640}


def paths_in_both_languages():
    paths = [path for path in public_paths() if "?status=maybe" not in path and path != "/en/"]
    paths += ["/log-ind/", "/soeg/?q=tidsplanen"]
    return [*paths, *("/en" + path for path in paths)]


def horizontal_overflow(page):
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("viewport", [SMALL_PHONE, PHONE, DESKTOP], ids=["320", "390", "1280"])
def test_no_public_page_scrolls_sideways(open_page, portal, viewport):
    page = open_page(viewport)
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    too_wide = {}
    for path in paths_in_both_languages():
        page.goto(portal.url + path)
        page.wait_for_load_state("load")
        if overflow := horizontal_overflow(page):
            too_wide[path] = overflow
    assert too_wide == {}
    assert errors == []  # DKFDS's script and ours start on every page


def test_a_wide_table_scrolls_in_its_own_region_with_the_keyboard(open_page, portal):
    page = open_page(PHONE)
    page.goto(portal.url + "/rapporter/kraeftplan-iv/2020/")
    region = page.get_by_role("region", name="Initiativ, mio. kr.").first
    expect(region).to_be_visible()
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())
    assert horizontal_overflow(page) == 0


def open_menu(page, javascript):
    """Open the phone's menu: DKFDS's button with JavaScript, the disclosure without."""
    button = page.get_by_role("button", name="Menu")
    if javascript:
        button.click()
    else:
        expect(button).to_have_count(0)  # no dead button without JavaScript
        page.locator("summary", has_text="Menu").click()
    main_menu = page.get_by_role("navigation", name="Hovednavigation")
    expect(main_menu).to_have_count(1)  # only the menu that is open is there to use
    return main_menu


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_phone_menu_reaches_the_reports_and_the_targets(open_page, portal, javascript):
    page = open_page(PHONE, javascript=javascript)
    page.goto(portal.url + "/")
    expect(page.locator("nav.navigation-menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Hovednavigation")).to_have_count(0)
    for link, url in (("Rapporter", "/rapporter/"), ("Nationale mål", "/maal/")):
        open_menu(page, javascript).get_by_role("link", name=link).click()
        expect(page).to_have_url(portal.url + url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert horizontal_overflow(page) == 0


def test_the_phone_drawer_closes_with_its_button_and_with_escape(open_page, portal):
    page = open_page(PHONE)
    page.goto(portal.url + "/initiativer/")
    drawer = page.locator("nav.mobile-drawer")
    page.get_by_role("button", name="Menu").click()
    expect(drawer).to_be_visible()
    expect(page.get_by_role("button", name="Luk")).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(page.get_by_role("button", name="Menu")).to_be_focused()
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Luk").click()
    expect(drawer).to_be_hidden()


def test_on_a_desktop_the_menu_is_a_bar_and_there_is_no_menu_button(open_page, portal):
    for javascript in (True, False):
        page = open_page(DESKTOP, javascript=javascript)
        page.goto(portal.url + "/en/")
        expect(page.get_by_role("button", name="Menu")).to_have_count(0)
        bar = page.get_by_role("navigation", name="Main navigation")
        expect(bar.get_by_role("link", name="Reports")).to_be_visible()
        expect(bar.get_by_role("link", name="National targets")).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_language_switch_goes_there_and_back_keeping_the_page(open_page, portal, viewport):
    page = open_page(viewport)
    for danish in (
        "/rapporter/kraeftplan-iv/2020/",
        "/initiativer/kraeftplan-iv/12/",
        "/initiativer/?plan=kraeftplan-iv&aar=2020",
        "/maal/",
        "/rapporter/",
    ):
        page.goto(portal.url + danish)
        page.get_by_role("navigation", name="Sprog").get_by_role("link", name="English").click()
        expect(page).to_have_url(portal.url + "/en" + danish)
        assert page.locator("html").get_attribute("lang") == "en"
        page.get_by_role("navigation", name="Language").get_by_role("link", name="Dansk").click()
        expect(page).to_have_url(portal.url + danish)
        assert page.locator("html").get_attribute("lang") == "da"
    assert page.context.cookies() == []


def test_the_initiative_list_pages_on_a_phone(open_page, portal):
    page = open_page(PHONE)
    page.goto(portal.url + "/initiativer/")
    pager = page.get_by_role("navigation", name="Sider")
    next_page = pager.get_by_role("link", name="Næste side")
    expect(next_page).to_be_visible()
    box = next_page.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] >= 24  # a target a thumb can hit
    next_page.click()
    expect(page).to_have_url(portal.url + "/initiativer/?page=2")
    expect(pager.get_by_role("link", name="Forrige side")).to_be_visible()


def test_axe_finds_nothing_with_either_phone_menu_open(open_page, portal):
    page = open_page(PHONE)
    page.goto(portal.url + "/en/maal/")
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("nav.mobile-drawer")).to_be_visible()
    assert_accessible(page)
    # axe needs JavaScript: the page as it is without, its disclosure open.
    page.goto(portal.url + "/en/maal/")
    page.evaluate("document.documentElement.classList.remove('kp-js')")
    page.locator("summary", has_text="Menu").click()
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    assert_accessible(page)
