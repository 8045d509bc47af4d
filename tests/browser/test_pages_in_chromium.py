"""The pages people click, in a real browser: they render, pass axe-core and take Danish input."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from budget.models import BudgetAmount, BudgetLine
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_home_page_lists_the_plans_and_passes_axe(page, portal):
    page.goto(portal.url + "/")
    expect(page).to_have_title("Kræftplan-portalen")
    table = page.get_by_role("table", name="Planerne i portalen")
    expect(table.get_by_role("row")).to_have_count(4)
    expect(table).to_contain_text("1.473,5")
    assert page.locator("html").get_attribute("lang") == "da"
    assert_accessible(page)


def test_the_skip_link_is_the_first_stop_for_the_keyboard(page, portal):
    page.goto(portal.url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Gå til indhold")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#indhold")).to_be_focused()


def test_the_language_links_show_the_same_page_in_english_and_back(page, portal):
    page.goto(portal.url + "/initiativer/")
    page.get_by_role("navigation", name="Sprog").get_by_role("link", name="English").click()
    expect(page).to_have_url(portal.url + "/en/initiativer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Initiatives")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Dansk").click()
    expect(page).to_have_url(portal.url + "/initiativer/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.context.cookies() == []


def test_staff_fix_an_amount_with_a_danish_comma_after_a_refused_point(page, portal):
    make_user("minister", organisation="sundhedsministeriet", staff=True)
    line = BudgetLine.objects.get(label="HPV-vaccination")
    page.goto(portal.url + "/admin/")
    page.get_by_label("Brugernavn").fill("minister")
    page.get_by_label("Adgangskode").fill("pw-minister")
    page.get_by_role("button", name="Log ind").click()
    page.goto(f"{portal.url}/admin/budget/budgetline/{line.pk}/change/")
    expect(page.get_by_text("I alt er angivet til 5, men årene summerer til 7,5")).to_be_visible()

    amount_2019 = (
        page.locator("tr.form-row")
        .filter(has=page.locator("input[value='2019']"))
        .locator("input[name$='-amount']")
    )
    expect(amount_2019).to_have_value("2,5")
    amount_2019.fill("0.5")
    page.get_by_role("button", name="Gem", exact=True).first.click()
    expect(page.get_by_text("Brug komma som decimaltegn, fx 0,6 eller 115,1.")).to_be_visible()
    assert BudgetAmount.objects.get(line=line, year=2019).amount == Decimal("2.5")

    amount_2019 = page.locator("input[name$='-amount'][value='0.5']")
    amount_2019.fill("0,5")
    page.get_by_role("button", name="Gem", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("blev ændret")
    assert BudgetAmount.objects.get(line=line, year=2019).amount == Decimal("0.5")


def test_a_forgotten_password_is_reset_with_the_keyboard(page, portal):
    from django.core import mail

    user = make_user("editor-rh", organisation="region-hovedstaden")
    user.email = "redaktoer@regionh.dk"
    user.save()
    page.goto(portal.url + "/log-ind/")
    page.get_by_role("link", name="Glemt din adgangskode?").press("Enter")
    assert_accessible(page)
    page.get_by_label("E-mail").press_sequentially("redaktoer@regionh.dk")
    page.get_by_label("E-mail").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se i din e-mail")
    (link,) = [word for word in mail.outbox[0].body.split() if "/adgangskode/ny/" in word]
    assert link.startswith(portal.url + "/")
    page.goto(link)
    assert_accessible(page)
    page.get_by_label("Ny adgangskode", exact=True).press_sequentially("Kræftplan-2026-ny")
    page.get_by_label("Bekræftelse af ny adgangskode").press_sequentially("Kræftplan-2026-ny")
    page.get_by_role("button", name="Gem den nye adgangskode").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Adgangskoden er gemt")
    page.get_by_role("link", name="Log ind").last.press("Enter")
    page.get_by_label("Brugernavn").press_sequentially("editor-rh")
    page.get_by_label("Adgangskode").press_sequentially("Kræftplan-2026-ny")
    page.get_by_label("Adgangskode").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Årlige bidrag")
    page.get_by_role("link", name="Skift adgangskode").press("Enter")
    assert_accessible(page)
