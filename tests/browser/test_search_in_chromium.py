"""The site search on a phone and a desktop: from the header's search box to the initiative, by
a word of its status wording; the search page passes axe-core."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages_in_chromium import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_user_finds_an_initiative_by_a_word_of_its_status(page, portal, screen):
    page.set_viewport_size(screen)
    page.goto(portal.url + "/")
    box = page.get_by_role("search", name="Søg i portalen").first.get_by_label("Søg i portalen")
    expect(box).to_be_visible()
    box.press_sequentially("udviklingsfasen")
    box.press("Enter")
    expect(page).to_have_url(portal.url + "/soeg/?q=udviklingsfasen")
    # The status as published, and the 2020 report that prints it.
    expect(page.get_by_role("status").first).to_have_text("2 resultater for “udviklingsfasen”")
    results = page.locator("#soeg-status")
    expect(results.get_by_role("heading", level=2)).to_have_text("Offentliggjorte statusser (1)")
    expect(results.locator("mark")).to_have_text("Udviklingsfasen")
    assert_accessible(page)
    results.get_by_role("link", name="2. Patienten skal med på råd").click()
    expect(page).to_have_url(portal.url + "/initiativer/kraeftplan-iv/2/")
    expect(page.get_by_role("heading", level=1)).to_have_text("2. Patienten skal med på råd")
    assert page.evaluate("document.documentElement.scrollWidth") <= screen["width"]


def test_the_search_page_passes_axe_empty_refused_and_in_english(page, portal):
    page.set_viewport_size(PHONE)
    for path in (
        "/soeg/",
        "/soeg/?q=" + "x" * 201,
        "/en/soeg/?q=palliativ",
        "/soeg/?q=tidsplanen&vis=status",
    ):
        page.goto(portal.url + path)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
