"""The front page lists the plans with period, stage, what they are made of and money."""

import re

import pytest
from django.urls import reverse

from budget.models import BudgetAmount
from dashboard.queries import plans_for_home
from tests.conftest import make_line, make_plan

pytestmark = pytest.mark.django_db


def rows(html):
    """(plan name, cells) of the table of plans, tags stripped."""
    table = html[html.index('class="table table--compact plans"') :]
    table = table[: table.index("</table>")]
    found = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    return [(re.sub(r"<[^>]+>", "", name), cells) for name, cells in found]


def test_it_lists_every_plan_with_danish_numbers(client):
    page = client.get(reverse("dashboard:home")).content.decode()
    found = {name: re.sub(r"<[^>]+>|\s+", " ", cells).split() for name, cells in rows(page)}
    # What each plan is made of, each count with its noun (dashboard.queries.plan_contents).
    assert found["Jo før – jo bedre"] == ["2015–2018", "Afsluttet", "6", "hovedelementer", "1.100"]
    assert found["Kræftplan IV – Patienternes Kræftplan"] == [
        "2017–2020",
        "Afsluttet",
        *["4", "hovedelementer", "16", "initiativer", "med", "25", "indsatser"],
        "1.473,5",
    ]
    assert found["Kræftplan V"][:7] == [
        "2023–",
        *["Under", "forberedelse", "9", "udkast", "til", "anbefalinger"],
    ]
    assert "Endnu ikke finansieret" in page


def test_the_money_is_the_sum_of_the_published_yearly_amounts_of_top_lines(client, kp4):
    plan = plans_for_home().get(pk=kp4.pk)
    top = BudgetAmount.objects.filter(line__plan=kp4, line__parent=None)
    assert plan.budget_total == sum(a.amount for a in top)


def test_it_takes_three_queries_however_many_plans(client, django_assert_num_queries):
    for n in range(5):
        plan = make_plan(slug=f"plan-{n}", start_year=2040 + n, end_year=2041 + n)
        make_line(plan, "Linje", {2040 + n: "1"})
    # 1 the plans with their initiative count and money as subqueries, 2 money per plan and
    # year, 3 public status counts per plan, year and category; and first the public data
    # version (kraeftplan.pagecache)
    with django_assert_num_queries(1 + 3):
        response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200 and len(rows(response.content.decode())) == 8


def test_it_is_available_in_english(client):
    page = client.get("/en/").content.decode()
    assert '<html lang="en">' in page and "<h1>Denmark's national cancer plans</h1>" in page
    assert "1,473.5" in page


def test_an_empty_portal_says_so(client):
    from fixtures.loader import SeedLoader

    SeedLoader().delete_plans()
    assert "Der er endnu ikke indlæst nogen planer." in client.get("/").content.decode()
