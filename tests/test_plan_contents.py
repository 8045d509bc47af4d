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


def test_main_elements_all_titled_by_the_portal_are_said_so_once_not_in_every_heading(client):
    page = text_of(client.get("/planer/jo-foer-jo-bedre/"))
    assert page.count("titlerne nedenfor er portalens") == 1
    assert "titlen er portalens" not in page


def test_the_home_page_says_why_a_concluded_plan_of_main_elements_has_no_statuses(client):
    page = text_of(client.get("/"))
    jfjb = page[page.index("Hvor langt er planerne") :]
    assert "Planen offentliggør ingen initiativer med indsatser" in jfjb
    # A plan in preparation has no status yet; it may get one.
    assert "Ingen offentliggjort status endnu" in jfjb
    assert jfjb.count("Ingen offentliggjort status endnu") == 1


def test_a_status_count_says_what_it_counts(client):
    for url in ("/planer/kraeftplan-iv/", "/initiativer/"):
        page = text_of(client.get(url))
        assert "Følger tidsplanen (1 indsats)" in page and "(2 indsatser)" in page, url
        assert not re.search(r"[a-zæøå] \(\d+\)", page), url
