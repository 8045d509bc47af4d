"""The Content-Security-Policy in Chromium: the chart pages and the admin's change form with an
inline work under it, and the browser reports no violation and no bad Permissions-Policy."""

import pytest
from playwright.sync_api import expect

from budget.models import BudgetLine
from targets.models import NationalTarget
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every document before the page's own scripts: the browser's own report of what the
# policy refused, whatever the console shows.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.violatedDirective} ${event.blockedURI || "inline"} from ${event.sourceFile}:` +
      `${event.lineNumber}:${event.columnNumber}`,
  );
});
"""


@pytest.fixture
def watched(page):
    """The page, recording CSP violations and the console's complaints about either policy."""
    complaints = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text)
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None
        ),
    )
    page.complaints = complaints
    return page


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    assert "camera=()" in response.headers["permissions-policy"], url
    page.wait_for_load_state("load")


def assert_no_violation(page, url):
    assert page.evaluate("window.__violations") == [], url
    assert page.complaints == [], url


def test_the_chart_pages_draw_their_charts_under_the_policy(watched, portal):
    target = NationalTarget.objects.filter(indicators__isnull=False).order_by("pk").first()
    for path in ["/", "/en/", "/budget/kraeftplan-iv/", target.get_absolute_url()]:
        visit(watched, portal.url + path)
        charts = watched.locator(".kp-chart svg.kp-svg")
        assert charts.count() > 0, path
        for index in range(charts.count()):
            expect(charts.nth(index)).to_be_visible()
        assert_no_violation(watched, path)


def test_the_admin_works_under_the_policy(watched, portal):
    make_user("minister", organisation="sundhedsministeriet", staff=True)
    line = BudgetLine.objects.filter(amounts__isnull=False).order_by("pk").first()
    visit(watched, portal.url + "/admin/")
    watched.get_by_label("Brugernavn").fill("minister")
    watched.get_by_label("Adgangskode").fill("pw-minister")
    watched.get_by_role("button", name="Log ind").click()
    expect(watched.locator("#site-name")).to_be_visible()
    assert_no_violation(watched, "/admin/")

    change = f"{portal.url}/admin/budget/budgetline/{line.pk}/change/"
    visit(watched, change)
    rows = watched.locator("#amounts-group tr.form-row:not(.empty-form)")
    before = rows.count()
    # The inline's "add another" row comes from the admin's static inlines.js.
    watched.locator(".add-row a").first.click()
    expect(rows).to_have_count(before + 1)
    assert_no_violation(watched, change)

    for path in [
        f"/admin/budget/budgetline/{line.pk}/history/",
        "/admin/budget/budgetline/",
        "/admin/reports/annualreport/",
    ]:
        visit(watched, portal.url + path)
        assert_no_violation(watched, path)
