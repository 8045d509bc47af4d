"""The accessibility statement in the form the Danish law asks for (Digitaliseringsstyrelsen's
template, WAS-Tool), in both languages, with no call to anyone else's site."""

import re
from datetime import date, timedelta

import pytest
from django.core.cache import caches

from kraeftplan.checks import feedback_address
from kraeftplan.pages import STATEMENT_PREPARED, STATEMENT_REVIEWED
from tests.test_public_pages import text_of

pytestmark = pytest.mark.django_db

COMPLAINTS = "https://www.was.digst.dk/"


def test_the_statement_has_every_part_of_the_danish_template(client):
    response = client.get("/tilgaengelighed/")
    page = text_of(response)
    html = response.content.decode()
    for part in (
        "lov om tilgængelighed af offentlige organers websteder og mobilapplikationer",
        "Overholdelsesstatus",
        "delvist i overensstemmelse",
        "WCAG) 2.1 på niveau AA",
        "Ikke-tilgængeligt indhold",
        "Manglende overholdelse af lovgivningen om tilgængelighed",
        "Uforholdsmæssig stor byrde",
        "Indhold, der ikke er omfattet af lovgivningen",
        "Udarbejdelse af denne tilgængelighedserklæring",
        "Erklæringen blev udarbejdet den 1. december 2026",
        "senest gennemgået den 1. december 2026",
        "selvevaluering",
        "axe-core",
        "Feedback og kontaktoplysninger",
        "Håndhævelsesprocedure",
        "Digitaliseringsstyrelsen",
        "Cookies",
    ):
        assert part in page, part
    assert f'<a href="{COMPLAINTS}" hreflang="da">' in html
    assert '<time datetime="2026-12-01">' in html


def test_the_statement_names_what_is_not_accessible(client):
    page = text_of(client.get("/tilgaengelighed/"))
    known = page.split("Manglende overholdelse af lovgivningen")[1].split("Uforholdsmæssig")[0]
    for gap in ("Interaktive grafer", "PDF", "engelske sider", "administrationen"):
        assert gap in known, gap


def test_the_statement_says_only_report_versions_older_than_the_new_charts_keep_their_legends(
    client,
):
    for url, words in (
        ("/tilgaengelighed/", ("udgivet, før diagrammerne blev tegnet om", "ombrydes")),
        ("/en/tilgaengelighed/", ("published before the charts were redrawn", "wraps")),
    ):
        page = text_of(client.get(url))
        for word in words:
            assert word in page, (url, word)


def test_the_statement_says_which_danish_names_on_the_english_pages_cannot_be_marked(client):
    for url, words in (
        ("/tilgaengelighed/", ("er markeret som dansk", "sidetitler", "forhåndsvisning")),
        ("/en/tilgaengelighed/", ("are marked as Danish", "page titles", "preview")),
    ):
        page = text_of(client.get(url))
        for word in words:
            assert word in page, (url, word)


def test_the_statement_in_english_has_the_same_parts(client):
    response = client.get("/en/tilgaengelighed/")
    assert response.status_code == 200
    page = text_of(response)
    for part in (
        "Compliance status",
        "partially compliant",
        "Non-accessible content",
        "Preparation of this accessibility statement",
        "Dec. 1, 2026",
        "Feedback and contact information",
        "Enforcement procedure",
        "Cookies",
    ):
        assert part in page, part
    assert COMPLAINTS in response.content.decode()


def test_the_only_address_elsewhere_is_the_complaints_link(client):
    for url in ("/tilgaengelighed/", "/en/tilgaengelighed/"):
        html = client.get(url).content.decode()
        addresses = re.findall(r'(?:src|href|action)="((?:https?:)?//[^"]*)"', html)
        # The portal's own absolute addresses (the head's language alternates) are not elsewhere.
        elsewhere = [a for a in addresses if not a.startswith("http://testserver/")]
        assert elsewhere == [COMPLAINTS], url


def test_the_feedback_contact_is_the_form_and_the_configured_address(client, settings):
    html = client.get("/tilgaengelighed/").content.decode()
    feedback = html.split('id="feedback"')[1].split("<h2")[0]
    assert "mailto:" not in feedback and 'href="/tilgaengelighed/skriv/"' in feedback
    assert (
        "Sundhedsministeriet"
        in text_of(client.get("/tilgaengelighed/")).split("Feedback og kontaktoplysninger")[1]
    )
    assert [message.id for message in feedback_address()] == ["kraeftplan.W001"]

    settings.KRAEFTPLAN_FEEDBACK_EMAIL = "tilgaengelighed@example.dk"
    caches["default"].clear()  # the page as stored under the other setting
    html = client.get("/tilgaengelighed/").content.decode()
    assert '<a href="mailto:tilgaengelighed@example.dk">' in html
    assert 'href="/tilgaengelighed/skriv/"' in html
    assert feedback_address() == []


def test_the_statement_was_reviewed_within_a_year():
    """Review the statement (templates/pages/accessibility.html) and move STATEMENT_REVIEWED in
    kraeftplan/pages.py when this fails: the law expects it kept up to date."""
    assert STATEMENT_PREPARED <= STATEMENT_REVIEWED <= date.today()
    assert date.today() - STATEMENT_REVIEWED <= timedelta(days=366)
