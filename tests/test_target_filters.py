"""The targets list filtered by plan (?plan=<slug>, as on /initiativer/), and the target and list
pages that have nothing to show say why."""

import re

import pytest

from targets.models import Indicator, NationalTarget
from tests.test_public_pages import text_of

pytestmark = pytest.mark.django_db


def titles(response):
    return [
        t for t in NationalTarget.objects.values_list("title", flat=True) if t in text_of(response)
    ]


def test_the_plan_filter_shows_only_that_plans_targets(client):
    response = client.get("/maal/", {"plan": "kraeftplan-iv"})
    assert response.status_code == 200
    expected = set(
        NationalTarget.objects.filter(plan__slug="kraeftplan-iv").values_list("title", flat=True)
    )
    assert expected and set(titles(response)) == expected
    assert f"{len(expected)} mål" in text_of(response)
    assert '<option value="kraeftplan-iv" selected>' in response.content.decode()


def test_a_plan_without_targets_says_why(client):
    page = text_of(client.get("/maal/", {"plan": "kraeftplan-v"}))
    assert "Portalen har ingen nationale mål for Kræftplan V." in page
    assert "Planen er under forberedelse" in page


def test_an_unknown_plan_is_a_danish_400_without_targets(client):
    response = client.get("/maal/", {"plan": "findes-ikke"})
    assert response.status_code == 400
    page = text_of(response)
    assert "Marker en gyldig valgmulighed" in page and titles(response) == []
    assert "Nogle filtre kunne ikke bruges" in page


def test_the_list_takes_four_queries(client, django_assert_num_queries):
    # The public data version, the plans (the filter's choices), the count, the page of targets.
    with django_assert_num_queries(4):
        client.get("/maal/", {"plan": "kraeftplan-iv"})


def test_a_target_without_figures_says_why(client):
    target = NationalTarget.objects.filter(indicators__isnull=True).first()
    assert target is not None and not Indicator.objects.filter(target=target).exists()
    page = text_of(client.get(target.get_absolute_url()))
    assert "Der vises ingen tal for dette mål" in page


def test_an_indicator_whose_description_repeats_its_heading_shows_it_once(client):
    indicator = Indicator.objects.get(table_label="Tabel 1", plan__slug="kraeftplan-iv")
    assert indicator.description.rstrip(".") == indicator.heading  # as the source captions it
    page = client.get(indicator.target.get_absolute_url()).content.decode()
    assert f"{indicator.heading}</h3>" in page
    assert not re.search(rf"<p[^>]*>{re.escape(indicator.heading)}", page)
    # A description that says more is shown.
    indicator.description = "Andel i live fem år efter diagnosen."
    indicator.save()
    page = client.get(indicator.target.get_absolute_url()).content.decode()
    assert "Andel i live fem år efter diagnosen." in page
