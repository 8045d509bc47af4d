"""From the home page a reader reaches every kind of public page by clicking only, on a phone
(390×844, through the menu button) and on a desktop (1280×800), and no page on the way scrolls
sideways; axe finds nothing on any public page in either language at either size."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages_in_chromium import assert_accessible
from tests.browser.test_phone_and_languages_in_chromium import (
    DESKTOP,
    PHONE,
    horizontal_overflow,
    open_menu,
    paths_in_both_languages,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])


def arrive(page, portal, path_pattern):
    """The click led to a page of this kind: its address, one visible h1, and no sideways
    scrolling."""
    expect(page).to_have_url(re.compile(re.escape(portal.url) + path_pattern + r"(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert horizontal_overflow(page) == 0, page.url


def menu(page, viewport):
    """The main menu: the phone's drawer (opened with its button) or the desktop's bar."""
    if viewport is PHONE:
        return open_menu(page, javascript=True)
    return page.locator("nav.navigation-menu")


@SIZES
def test_every_kind_of_page_is_reached_from_the_home_page_by_clicking(open_page, portal, viewport):
    page = open_page(viewport)
    page.goto(portal.url + "/")
    arrive(page, portal, r"/")
    content = page.locator("main")

    menu(page, viewport).get_by_role("link", name="Planer").click()
    arrive(page, portal, r"/planer/")
    content.get_by_role("link", name="Kræftplan IV – Patienternes Kræftplan").first.click()
    arrive(page, portal, r"/planer/kraeftplan-iv/")
    content.get_by_role("link", name=re.compile("^Patientansvarlige læger")).first.click()
    arrive(page, portal, r"/initiativer/kraeftplan-iv/1/")
    page.locator(".breadcrumbs").get_by_role("link", name="Kræftplan IV").click()
    arrive(page, portal, r"/planer/kraeftplan-iv/")
    content.get_by_role("link", name="Hele økonomien linje for linje").click()
    arrive(page, portal, r"/budget/kraeftplan-iv/")

    menu(page, viewport).get_by_role("link", name="Initiativer").click()
    arrive(page, portal, r"/initiativer/")

    menu(page, viewport).get_by_role("link", name="Nationale mål").click()
    arrive(page, portal, r"/maal/")
    content.locator("h3 a").first.click()
    arrive(page, portal, r"/maal/\d+/")

    menu(page, viewport).get_by_role("link", name="Rapporter").click()
    arrive(page, portal, r"/rapporter/")
    content.get_by_role("link", name="Status på udmøntning af Kræftplan IV - 2020").click()
    arrive(page, portal, r"/rapporter/kraeftplan-iv/2020/")
    # The PDF link: the file, or (no worker renders in this test) the Danish page saying it is
    # being made.
    href = content.get_by_role("link", name=re.compile("PDF")).first.get_attribute("href")
    assert href.endswith(".pdf")
    answer = page.request.get(portal.url + href)
    assert (answer.status, answer.headers["content-type"].split(";")[0]) in {
        (200, "application/pdf"),
        (503, "text/html"),
    }

    menu(page, viewport).get_by_role("link", name="Om data").click()
    arrive(page, portal, r"/om-data/")
    page.locator("footer").get_by_role("link", name="Tilgængelighedserklæring").click()
    arrive(page, portal, r"/tilgaengelighed/")

    box = page.get_by_role("search", name="Søg i portalen").first.get_by_label("Søg i portalen")
    if not box.is_visible():  # on a phone the header's box may sit in the menu
        menu(page, viewport)
    box.fill("palliation")
    box.press("Enter")
    arrive(page, portal, r"/soeg/")
    content.locator("section a[href^='/initiativer/']").first.click()
    arrive(page, portal, r"/initiativer/[^/]+/[^/]+/")

    page.locator("footer").get_by_role("link", name="Log ind (bidragydere og ministeriet)").click()
    arrive(page, portal, r"/log-ind/")


@SIZES
def test_axe_finds_nothing_on_any_public_page_in_either_language(open_page, portal, viewport):
    page = open_page(viewport)
    for path in paths_in_both_languages():
        page.goto(portal.url + path)
        assert_accessible(page)
