"""Plans and initiatives link the annual status reports that follow them (the report list
filtered to the plan), and the reports link back to their plan."""

import re

import pytest

from tests.test_public_pages import text_of

pytestmark = pytest.mark.django_db

REPORTS_OF_KP4 = "/rapporter/?plan=kraeftplan-iv"


@pytest.mark.parametrize("url", ["/planer/kraeftplan-iv/", "/initiativer/kraeftplan-iv/2/"])
def test_plan_and_initiative_pages_link_the_plans_reports(client, url):
    page = client.get(url).content.decode()
    assert f'href="{REPORTS_OF_KP4}"' in page
    assert "Årlige statusrapporter for Kræftplan IV" in text_of(client.get(url))


def test_the_report_list_filtered_to_a_plan_lists_its_reports_only(client):
    response = client.get(REPORTS_OF_KP4)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/rapporter/kraeftplan-iv/2020/"' in page
    assert "Jo før – jo bedre</a>" not in page  # no other plan's report rows
    assert 'href="/planer/kraeftplan-iv/"' in page  # back to the plan


def test_a_plan_without_reports_says_why_and_an_unknown_plan_is_a_400(client):
    page = text_of(client.get("/rapporter/", {"plan": "kraeftplan-v"}))
    assert "Der er endnu ikke offentliggjort nogen årlig statusrapport for Kræftplan V" in page
    assert client.get("/rapporter/", {"plan": "findes-ikke"}).status_code == 400


def test_the_report_page_links_back_to_its_plan(client):
    page = client.get("/rapporter/kraeftplan-iv/2020/").content.decode()
    assert re.search(r'<a href="/planer/kraeftplan-iv/">Kræftplan IV', page)


def test_reports_published_outside_the_portal_say_the_sources_give_no_address(client):
    page = text_of(client.get("/rapporter/"))
    assert "Status på udmøntning af Kræftplan IV - 2017" in page
    assert "kilderne oplyser ikke, hvor rapporterne kan læses" in page
