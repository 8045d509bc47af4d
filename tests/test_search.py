"""Searches fold case for æ, ø and å on both databases (SQLite gets a Unicode-aware LIKE)."""

import re

import pytest
from django.urls import reverse

from initiatives.models import Initiative
from kraeftplan.sqlite import like

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("ØGET KAPACITET", "Øget kapacitet og effektiv anvendelse af ressourcer – drift og anlæg"),
        ("værdig", "En værdig og god palliativ indsats"),
        ("VÆRDIG", "En værdig og god palliativ indsats"),
        (
            "på patientens præmisser",
            "På patientens præmisser – behandling i eller tættere på hjemmet",
        ),
    ],
)
def test_icontains_folds_danish_letters(term, expected):
    titles = set(Initiative.objects.filter(title__icontains=term).values_list("title", flat=True))
    assert expected in titles


def test_the_admin_search_finds_danish_words_in_any_case(client, ministry):
    client.force_login(ministry)
    page = client.get(reverse("admin:initiatives_initiative_changelist"), {"q": "RØGFRI"})
    titles = re.findall(r'class="field-title"><a [^>]*>(.*?)</a>', page.content.decode())
    assert titles == ["Røgfri generation – ingen rygning blandt børn og unge i 2030"]


def test_like_keeps_wildcards_and_escapes():
    assert like("%100\\%%", "Hele 100% af tiden", "\\")
    assert not like("%100\\%%", "Hele 1000 af tiden", "\\")
    assert like("r_gfri%", "Røgfri Fremtid")
    assert like(None, "x") is None
