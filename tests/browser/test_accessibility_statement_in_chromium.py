"""The accessibility statement in Chromium, in both languages: it passes axe-core, it asks no
other site for anything, and reading it sets no cookie."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages_in_chromium import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("path", "lang", "heading", "status"),
    [
        ("/tilgaengelighed/", "da", "Tilgængelighedserklæring", "Overholdelsesstatus"),
        ("/en/tilgaengelighed/", "en", "Accessibility statement", "Compliance status"),
    ],
)
def test_the_accessibility_statement_passes_axe_in_both_languages(
    page, portal, path, lang, heading, status
):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(portal.url + path)
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("heading", level=2, name=status)).to_be_visible()
    complaints = page.locator('a[href="https://www.was.digst.dk/"]')
    expect(complaints).to_have_count(1)
    assert_accessible(page)
    assert hosts == {urlsplit(portal.url).netloc}
    assert page.context.cookies() == []


@pytest.mark.parametrize("size", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_a_reader_reports_a_problem_from_the_statement_with_the_keyboard(page, portal, size):
    page.set_viewport_size(size)
    page.goto(portal.url + "/tilgaengelighed/")
    page.get_by_role("link", name="formularen til tilbagemeldinger").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Meld et problem med tilgængeligheden")
    assert_accessible(page)
    message = page.get_by_label("Hvad kunne du ikke læse eller gøre?")
    message.focus()
    page.keyboard.type("Tabellen over budgettet kan ikke rulles med tastaturet.")
    page.keyboard.press("Tab")
    page.keyboard.type("/budget/kraeftplan-iv/")
    page.get_by_role("button", name="Send").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Tak: din besked er modtaget.")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
