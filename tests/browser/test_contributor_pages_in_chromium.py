"""The contributor pages' helpers in Chromium: "All"/"None" in the round-opening table, with and
without JavaScript."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from initiatives.models import Plan
from tests.browser.test_contribution_journey import log_in
from tests.builders import correcting
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def opening(portal):
    make_user("minister", organisation="sundhedsministeriet", staff=True)
    correcting(Plan.objects.get(slug="kraeftplan-iv"), 2020)
    region = Organisation.objects.get(slug="region-hovedstaden")
    return f"{portal.url}/bidrag/runder/ny/?plan=kraeftplan-iv", region


def column(page, organisation):
    return page.locator(f"input[name='tildel'][value^='{organisation.pk}-']")


def test_none_and_all_change_a_column_in_place_with_javascript(page, portal, opening):
    url, region = opening
    log_in(page, portal, "minister")
    page.goto(url)
    boxes = column(page, region)
    expect(boxes.first).to_be_checked()
    page.get_by_role("button", name="Ingen indsatser for Region Hovedstaden").press("Enter")
    for box in boxes.all():
        expect(box).not_to_be_checked()
    expect(page.get_by_role("status")).to_have_text(
        "Ingen indsatser er markeret for Region Hovedstaden."
    )
    assert page.url == url, "no page load"
    page.get_by_role("button", name="Alle indsatser for Region Hovedstaden").press("Enter")
    for box in boxes.all():
        expect(box).to_be_checked()


def test_none_and_all_work_without_javascript_and_keep_the_place(browser, portal, opening):
    url, region = opening
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, portal, "minister")
    page.goto(url)
    page.get_by_label("Frist").fill((date.today() + timedelta(days=30)).isoformat())
    none = page.get_by_role("button", name="Ingen indsatser for Region Hovedstaden")
    none.press("Enter")
    expect(page).to_have_url(f"{url}#ingen-o{region.pk}")
    expect(none).to_be_focused()  # the page came back where it was
    for box in column(page, region).all():
        expect(box).not_to_be_checked()
    expect(page.get_by_label("Frist")).not_to_have_value("")  # what was typed stays
    context.close()  # (axe needs JavaScript: the page is checked with it in the journey)
