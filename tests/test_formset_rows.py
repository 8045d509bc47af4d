"""The contribution form's measures and cases are checked against the rows the page loaded: no
query per row when a form is validated, and no row of another contribution gets through."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
