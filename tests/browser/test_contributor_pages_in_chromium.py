"""The contributor pages' helpers in Chromium: the error summary takes the focus and its links
lead to the fields; "All"/"None" in the round-opening table, with and without JavaScript."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from initiatives.models import Plan
from tests.browser.test_contribution_journey import log_in
from tests.browser.test_pages_in_chromium import assert_accessible
from tests.builders import correcting, open_round
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_failed_save_focuses_the_error_summary_whose_links_lead_to_the_fields(page, portal):
    make_user("editor-rh", organisation="region-hovedstaden")
    kp4 = Plan.objects.get(slug="kraeftplan-iv")
    round_ = open_round(kp4, 2020, date.today() + timedelta(days=30))
    contribution = round_.contributions.get(organisation__slug="region-hovedstaden")
    log_in(page, portal, "editor-rh")
    page.goto(f"{portal.url}/bidrag/{contribution.pk}/")
    expect(page.get_by_text("Ingen offentliggjort status før 2020").first).to_be_visible()
    page.locator("textarea[name='indsats-0-wording']").fill("o" * 501)
    page.get_by_role("button", name="Gem kladde").press("Enter")

    summary = page.get_by_role("alert").filter(has_text="Intet er gemt")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Intet er gemt: der er 1 fejl i formularen")
    assert_accessible(page)
    page.keyboard.press("Tab")
    link = summary.get_by_role("link")
    expect(link).to_be_focused()
    expect(link).to_contain_text("Ordlyd: Højst 500 tegn – du har skrevet 501.")
    page.keyboard.press("Enter")
    expect(page.locator("#id_indsats-0-wording")).to_be_focused()


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
