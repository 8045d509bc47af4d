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
