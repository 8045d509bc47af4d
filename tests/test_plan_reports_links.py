"""Plans and initiatives link the annual status reports that follow them (the report list
filtered to the plan), and the reports link back to their plan."""

import re

import pytest

from initiatives.models import Initiative, PublishedStatus
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


def test_an_initiative_links_its_section_in_each_report_that_published_its_status(client):
    initiative = Initiative.objects.get(plan__slug="kraeftplan-iv", number="2")
    years = sorted(
        set(
            PublishedStatus.objects.public()
            .filter(measure__initiative=initiative)
            .values_list("year", flat=True)
        ),
        reverse=True,
    )
    assert years  # KP IV's initiatives have their 2020 status
    page = client.get(initiative.get_absolute_url()).content.decode()
    links = re.findall(r'href="(/rapporter/kraeftplan-iv/\d+/#initiativ-[^"]+)"', page)
    assert links == [f"/rapporter/kraeftplan-iv/{y}/#initiativ-{initiative.code}" for y in years]
    # The section is there, and the report links back to the initiative.
    report = client.get(f"/rapporter/kraeftplan-iv/{years[0]}/").content.decode()
    section = report.split(f'id="initiativ-{initiative.code}"')[1].split("</article>")[0]
    assert f'href="{initiative.get_absolute_url()}"' in section


def test_a_plan_links_the_report_of_the_statuses_it_counts(client):
    page = client.get("/planer/kraeftplan-iv/").content.decode()
    assert 'href="/rapporter/kraeftplan-iv/2020/"' in page
    assert (
        "/rapporter/jo-foer-jo-bedre/"
        not in client.get("/planer/jo-foer-jo-bedre/").content.decode()
    )
