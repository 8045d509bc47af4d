"""The accessibility statement's feedback form: a message is saved for the ministry's staff (and
mailed to FEEDBACK_EMAIL when set); bad input and a client over its limit get a Danish message
and change nothing."""

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client

from kraeftplan.feedback import PER_HOUR
from kraeftplan.models import Feedback
from tests.conftest import run_tasks
from tests.test_public_pages import text_of

pytestmark = pytest.mark.django_db

URL = "/tilgaengelighed/skriv/"


@pytest.fixture(autouse=True)
def fresh_limits():
    caches["default"].clear()


def send(client, **fields):
    data = {"message": "Diagrammet på forsiden kan ikke læses med skærmlæser.", **fields}
    return client.post(URL, data)


def test_the_statement_links_the_form_and_the_form_sends_a_message(client):
    assert 'href="/tilgaengelighed/skriv/"' in client.get("/tilgaengelighed/").content.decode()
    form = client.get(URL)
    assert form.status_code == 200 and "Hvad kunne du ikke læse eller gøre?" in text_of(form)
    response = send(client, page="/", email="laeser@example.org")
    assert response.status_code == 302 and response["Location"] == f"{URL}?sendt=1"
    assert "Tak: din besked er modtaget." in text_of(client.get(response["Location"]))
    feedback = Feedback.objects.get()
    assert (feedback.page, feedback.email, feedback.handled_at) == ("/", "laeser@example.org", None)


def test_it_works_in_english(client):
    assert "What could you not read or do?" in text_of(client.get("/en" + URL))
    assert send(client).status_code == 302  # the Danish address: the same form


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"message": "   "}, "Skriv, hvad problemet er."),
        ({"message": "x" * 5001}, "må højst have 5000 tegn"),
        ({"email": "ikke-en-adresse"}, "gyldig e-mail-adresse"),
        ({"page": "/" * 501}, "må højst have 500 tegn"),
    ],
)
def test_bad_input_is_refused_in_danish_and_nothing_is_saved(client, fields, message):
    response = send(client, **fields)
    assert response.status_code == 400 and message in text_of(response)
    assert not Feedback.objects.exists()


def test_a_client_may_send_a_few_messages_an_hour(client):
    for _ in range(PER_HOUR):
        assert send(client).status_code == 302
    response = send(client)
    assert response.status_code == 429
    assert f"Du har sendt {PER_HOUR} beskeder inden for en time" in text_of(response)
    assert Feedback.objects.count() == PER_HOUR
    # Another client is not held back by this one.
    assert send(Client(REMOTE_ADDR="192.0.2.7")).status_code == 302


def test_the_message_is_mailed_to_the_feedback_address_when_it_is_set(client, settings):
    settings.KRAEFTPLAN_FEEDBACK_EMAIL = "tilgaengelighed@example.dk"
    send(client, email="laeser@example.org")
    run_tasks()
    assert [m.to for m in mail.outbox] == [["tilgaengelighed@example.dk"]]
    assert "skærmlæser" in mail.outbox[0].body and "laeser@example.org" in mail.outbox[0].body


def test_without_the_address_nothing_is_mailed(client):
    send(client)
    run_tasks()
    assert mail.outbox == [] and Feedback.objects.count() == 1


def test_staff_read_and_mark_messages_handled_in_the_admin(client, ministry):
    send(client)
    feedback = Feedback.objects.get()
    staff = Client()
    staff.force_login(ministry)
    listing = staff.get("/admin/kraeftplan/feedback/")
    assert listing.status_code == 200 and "skærmlæser" in listing.content.decode()
    assert staff.get("/admin/kraeftplan/feedback/add/").status_code == 403
    staff.post(
        "/admin/kraeftplan/feedback/",
        {"action": "mark_handled", "_selected_action": [feedback.pk]},
    )
    feedback.refresh_from_db()
    assert feedback.handled_at is not None
