"""The contribution form's measures and cases are checked against the rows the page loaded: no
query per row when a form is validated, and no row of another contribution gets through."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contributions.forms import LoadedRowsFormSet
from contributions.models import ContributionItem, ProposedCase
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def refused(client, rh, changes):
    """Send the form with changes that make it invalid; the number of queries it took."""
    data = form_data(client.get(f"/bidrag/{rh.pk}/")) | changes | {"gem": "1"}
    with CaptureQueriesContext(connection) as queries:
        assert client.post(f"/bidrag/{rh.pk}/", data).status_code == 400
    return len(queries)


def test_a_refused_form_takes_the_same_queries_however_many_cases(client, editor_rh, rh):
    client.force_login(editor_rh)
    bad = {"indsats-0-category": "ukendt"}
    before = refused(client, rh, bad)
    ProposedCase.objects.bulk_create(
        ProposedCase(item=item, title=f"Case {n}", text="Tekst")
        for item in rh.items.all()
        for n in range(4)
    )
    assert refused(client, rh, bad) == before


def test_a_measure_of_another_contribution_is_refused(client, editor_rh, rh, round_):
    other = ContributionItem.objects.exclude(contribution=rh).first()
    client.force_login(editor_rh)
    data = form_data(client.get(f"/bidrag/{rh.pk}/"))
    data |= {"indsats-0-id": str(other.pk), "indsats-0-wording": "Ændret", "gem": "1"}
    response = client.post(f"/bidrag/{rh.pk}/", data)
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.wording == "" and not rh.items.filter(wording="Ændret").exists()


@pytest.mark.parametrize("count", ["indsats-TOTAL_FORMS", "sag-{item}-TOTAL_FORMS"])
def test_a_tampered_form_count_is_refused_without_building_the_forms(client, editor_rh, rh, count):
    # Django builds (and renders again) up to a thousand forms more than max_num: a post with a
    # huge TOTAL_FORMS cost seconds and megabytes before.
    client.force_login(editor_rh)
    item = rh.items.first()
    data = form_data(client.get(f"/bidrag/{rh.pk}/"))
    data[count.format(item=item.pk)] = "1000000"
    response = client.post(f"/bidrag/{rh.pk}/", data | {"gem": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    rendered = set(re.findall(r'name="(indsats-\d+)-wording"', page))
    assert len(rendered) <= rh.items.count() + LoadedRowsFormSet.ROOM
    cases = set(re.findall(rf'name="(sag-{item.pk}-\d+)-title"', page))
    assert len(cases) <= item.cases.count() + 1 + LoadedRowsFormSet.ROOM
    assert "Intet er gemt" in page
