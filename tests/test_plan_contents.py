"""The pages that list plans count initiatives, measures, recommendations and main elements each
as what they are, and a plan carried out through main elements says why it has no initiatives."""

import re

import pytest

from dashboard.queries import plan_contents, plans_for_home
from tests.test_public_pages import text_of

pytestmark = pytest.mark.django_db


def contents(slug):
    return plan_contents(plans_for_home().get(slug=slug))


def test_each_plan_counts_like_with_like():
    assert contents("kraeftplan-iv") == ["4 hovedelementer", "16 initiativer med 25 indsatser"]
    assert contents("jo-foer-jo-bedre") == ["6 hovedelementer"]
    assert contents("kraeftplan-v") == ["9 udkast til anbefalinger", "5 regionale initiativer"]


def test_the_home_page_says_what_its_status_counts_count(client):
    page = text_of(client.get("/"))
    assert "16 initiativer med 25 indsatser" in page
    assert "Status 2020 for 25 indsatser" in page
    assert not re.search(r"Initiativer \d", page)


def test_a_plan_of_main_elements_says_why_it_lists_no_initiatives(client):
    page = text_of(client.get("/planer/jo-foer-jo-bedre/"))
    assert "Planen gennemføres gennem disse hovedelementer" in page
    assert "0 initiativer" not in page


def test_the_initiative_list_of_a_plan_of_main_elements_says_why_it_is_empty(client):
    page = text_of(client.get("/initiativer/", {"plan": "jo-foer-jo-bedre"}))
    assert "0 resultater" in page
    assert "Jo før – jo bedre gennemføres gennem hovedelementer og offentliggør ingen" in page
