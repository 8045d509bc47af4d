"""Approving locks a contribution for good, so staff confirm it on a second page first; it
works without JavaScript (two forms)."""

import re

import pytest

from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(rh, editor_rh):
    rh.items.update(category="on_track", wording="Følger tidsplanen")
    rh.submit(editor_rh)
    return rh


def approve_button(page):
    """The review section's approve form: its action and what it sends."""
    form = re.search(r'<form method="post" action="([^"]*godkend/)">(.*?)</form>', page, re.S)
    assert form, "no approve form"
    return form.group(1), form.group(2)


def test_pressing_approve_asks_first_and_changes_nothing(client, ministry, submitted):
    client.force_login(ministry)
    action, fields = approve_button(client.get(f"/bidrag/{submitted.pk}/").content.decode())
    assert "bekraeft" not in fields and ">Godkend</button>" in fields
    response = client.post(action)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Godkend bidraget fra Region Hovedstaden, Kræftplan IV 2020?" in page
    assert "Bidraget har en status for 5 indsatser." in page
    assert f'<a class="button button-secondary" href="/bidrag/{submitted.pk}/">Fortryd</a>' in page
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    assert not submitted.events.filter(action="approved").exists()


def test_confirming_approves(client, ministry, submitted):
    client.force_login(ministry)
    confirm = client.post(f"/bidrag/{submitted.pk}/godkend/")
    data = form_data(confirm)
    assert data["bekraeft"] == "ja"
    response = client.post(f"/bidrag/{submitted.pk}/godkend/", data, follow=True)
    assert "Bidraget er godkendt og nu låst." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == "approved"


@pytest.mark.parametrize("confirmed", [False, True])
def test_only_a_submitted_contribution_gets_as_far_as_the_question(client, ministry, rh, confirmed):
    client.force_login(ministry)
    data = {"bekraeft": "ja"} if confirmed else {}
    response = client.post(f"/bidrag/{rh.pk}/godkend/", data, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(f"/bidrag/{rh.pk}/", 302)]
    assert ("har status kladde" if confirmed else "Kun et indsendt bidrag kan godkendes.") in page
    rh.refresh_from_db()
    assert rh.state == "draft"
