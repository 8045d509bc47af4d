"""A contributor's text is not lost when the session expires: the form sent after it is kept,
and after logging in again the page shows it as an unsaved draft to check and save."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.forms import form_data

pytestmark = pytest.mark.django_db

TYPED = {
    "indsats-0-category": "delayed",
    "indsats-0-wording": "Forsinket af ombygningen",
    "indsats-0-narrative": "Tre måneders forsinkelse.\r\n\r\nSe bilag.",
    "bidrag-general_comment": "Skrevet før sessionen udløb",
}


def log_in(client, username, next_url=""):
    """Log in on the login page, as a site does (with its CSRF token)."""
    data = form_data(client.get("/log-ind/", {"next": next_url} if next_url else {}))
    return client.post("/log-ind/", data | {"username": username, "password": "pw-" + username})


def expire(client):
    """What eight idle hours do: the session is gone on the server; the site still sends its
    cookies (the session's and the CSRF token's)."""
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )


@pytest.fixture
def site(db):
    """A client that checks CSRF tokens like the real site does."""
    return Client(enforce_csrf_checks=True)


def send_after_expiry(site, rh):
    """Log in, open the form, type, let the session expire, send: the login page's address."""
    url = f"/bidrag/{rh.pk}/"
    assert log_in(site, "editor-rh").status_code == 302
    data = form_data(site.get(url)) | TYPED | {"gem": "1"}
    expire(site)
    response = site.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"/log-ind/?next={url}"
    return response["Location"]


def test_the_typed_text_survives_expiry_and_login_and_is_shown_unsaved(site, editor_rh, rh):
    login_page = site.get(send_after_expiry(site, rh)).content.decode()
    assert "Du var blevet logget ud, så bidraget blev ikke gemt." in login_page
    response = log_in(site, "editor-rh", f"/bidrag/{rh.pk}/")
    assert response["Location"] == f"/bidrag/{rh.pk}/"
    response = site.get(response["Location"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Din tekst er ikke gemt endnu" in page
    assert "Du blev logget ud, før bidraget blev gemt." in page
    shown = form_data(response)
    for name, value in TYPED.items():
        assert shown[name] == value, name
    rh.refresh_from_db()
    assert rh.general_comment == "" and not rh.items.exclude(wording="").exists(), "not saved"
    assert site.get(f"/bidrag/{rh.pk}/").content.decode().count("Din tekst er ikke gemt") == 1


def test_saving_the_draft_saves_it_and_the_draft_is_gone(site, editor_rh, rh):
    send_after_expiry(site, rh)
    log_in(site, "editor-rh")
    data = form_data(site.get(f"/bidrag/{rh.pk}/"))
    assert site.post(f"/bidrag/{rh.pk}/", data | {"gem": "1"}).status_code == 302
    rh.refresh_from_db()
    assert rh.general_comment == TYPED["bidrag-general_comment"]
    assert rh.items.filter(wording=TYPED["indsats-0-wording"], category="delayed").exists()
    assert "Din tekst er ikke gemt" not in site.get(f"/bidrag/{rh.pk}/").content.decode()


def test_the_draft_can_be_discarded(site, editor_rh, rh):
    send_after_expiry(site, rh)
    log_in(site, "editor-rh")
    page = site.get(f"/bidrag/{rh.pk}/")
    token = form_data(page)["csrfmiddlewaretoken"]
    response = site.post(
        f"/bidrag/{rh.pk}/", {"csrfmiddlewaretoken": token, "kasser-udkast": ""}, follow=True
    )
    page = response.content.decode()
    assert "Den tekst, der ikke var gemt, er kasseret." in page
    assert "Din tekst er ikke gemt" not in page and "Forsinket af ombygningen" not in page
    rh.refresh_from_db()
    assert rh.general_comment == ""


def test_a_draft_that_does_not_validate_shows_its_errors(site, editor_rh, rh):
    url = f"/bidrag/{rh.pk}/"
    log_in(site, "editor-rh")
    data = form_data(site.get(url)) | {"indsats-0-wording": "o" * 501, "gem": "1"}
    expire(site)
    site.post(url, data)
    log_in(site, "editor-rh")
    page = site.get(url).content.decode()
    assert "Din tekst er ikke gemt endnu" in page
    assert "Højst 500 tegn – du har skrevet 501." in page and "kp-error-summary" in page


def test_after_an_ordinary_log_out_it_works_the_same(client, editor_rh, rh):
    client.force_login(editor_rh)
    data = form_data(client.get(f"/bidrag/{rh.pk}/")) | TYPED | {"gem": "1"}
    client.logout()
    assert client.post(f"/bidrag/{rh.pk}/", data).status_code == 302
    client.force_login(editor_rh)
    assert (
        form_data(client.get(f"/bidrag/{rh.pk}/"))["indsats-0-wording"]
        == TYPED["indsats-0-wording"]
    )


@pytest.mark.parametrize("who", ["reader", "ministry", "editor_kl"])
def test_only_an_editor_of_the_contribution_sees_the_draft(site, request, rh, who):
    request.getfixturevalue("editor_rh")
    user = request.getfixturevalue(who)
    send_after_expiry(site, rh)
    log_in(site, user.username)
    response = site.get(f"/bidrag/{rh.pk}/")
    assert response.status_code == (404 if who == "editor_kl" else 200)
    page = response.content.decode()
    assert "Forsinket af ombygningen" not in page and "Din tekst er ikke gemt" not in page


def test_the_page_with_a_draft_takes_as_many_queries_as_without(site, editor_rh, rh):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    send_after_expiry(site, rh)
    log_in(site, "editor-rh")
    with CaptureQueriesContext(connection) as queries:
        assert "Din tekst er ikke gemt" in site.get(f"/bidrag/{rh.pk}/").content.decode()
    assert len(queries) == 7  # as without a draft, see tests/test_proposed_cases.py


def test_a_discard_sent_after_expiry_is_no_draft(site, editor_rh, rh):
    log_in(site, "editor-rh")
    token = form_data(site.get(f"/bidrag/{rh.pk}/"))["csrfmiddlewaretoken"]
    expire(site)
    response = site.post(f"/bidrag/{rh.pk}/", {"csrfmiddlewaretoken": token, "kasser-udkast": ""})
    assert response["Location"] == f"/log-ind/?next=/bidrag/{rh.pk}/"
    log_in(site, "editor-rh")
    page = site.get(f"/bidrag/{rh.pk}/").content.decode()
    assert "Din tekst er ikke gemt" not in page and "kp-error-summary" not in page
