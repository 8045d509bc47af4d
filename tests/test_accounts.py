"""Contributors change their password, or reset it by e-mail when they have forgotten it."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail

from tests.forms import form_data

pytestmark = pytest.mark.django_db

NEW = "Kræftplan-2026-ny"


@pytest.fixture
def editor(editor_rh):
    editor_rh.email = "redaktoer@regionh.dk"
    editor_rh.save()
    return editor_rh


def can_log_in(client, username, password):
    client.logout()
    response = client.post("/log-ind/", {"username": username, "password": password})
    return response.status_code == 302


class TestChange:
    def test_the_header_links_to_it_and_anonymous_users_are_sent_to_log_in(self, client, editor):
        assert client.get("/adgangskode/skift/")["Location"].startswith("/log-ind/")
        client.force_login(editor)
        assert 'href="/adgangskode/skift/"' in client.get("/bidrag/").content.decode()

    def test_an_editor_changes_the_password(self, client, editor):
        client.force_login(editor)
        data = form_data(client.get("/adgangskode/skift/"), "skift-adgangskode")
        data |= {"old_password": "pw-editor-rh", "new_password1": NEW, "new_password2": NEW}
        response = client.post("/adgangskode/skift/", data)
        assert response["Location"] == "/adgangskode/skift/faerdig/"
        assert can_log_in(client, "editor-rh", NEW)
        assert not can_log_in(client, "editor-rh", "pw-editor-rh")

    @pytest.mark.parametrize(
        ("old", "new", "message"),
        [
            ("forkert", NEW, "Din gamle adgangskode blev ikke indtastet korrekt."),
            ("pw-editor-rh", "kort", "Denne adgangskode er for kort."),
            ("pw-editor-rh", "12345678901", "Denne adgangskode er udelukkende numerisk."),
        ],
    )
    def test_bad_passwords_are_refused_in_danish(self, client, editor, old, new, message):
        client.force_login(editor)
        response = client.post(
            "/adgangskode/skift/",
            {"old_password": old, "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 400
        assert message in response.content.decode()
        assert can_log_in(client, "editor-rh", "pw-editor-rh")


class TestReset:
    def ask(self, client, email):
        return client.post("/adgangskode/glemt/", {"email": email})

    def link(self):
        (message,) = mail.outbox
        return re.search(r"http://testserver(/adgangskode/ny/\S+/)", message.body).group(1)

    def test_the_login_page_links_to_it(self, client):
        assert 'href="/adgangskode/glemt/"' in client.get("/log-ind/").content.decode()

    def test_a_link_by_e_mail_sets_a_new_password_once(self, client, editor):
        response = self.ask(client, "REDAKTOER@regionh.dk")
        assert response["Location"] == "/adgangskode/glemt/sendt/"
        (message,) = mail.outbox
        assert message.to == ["redaktoer@regionh.dk"]
        assert message.subject == "En ny adgangskode til Kræftplan-portalen"
        assert "editor-rh" in message.body
        link = self.link()
        form = client.get(link, follow=True)
        assert "Vælg en ny adgangskode" in form.content.decode()
        url = form.redirect_chain[-1][0]
        response = client.post(url, {"new_password1": NEW, "new_password2": NEW})
        assert response["Location"] == "/adgangskode/ny/faerdig/"
        assert can_log_in(client, "editor-rh", NEW)
        client.logout()
        again = client.get(link, follow=True).content.decode()
        assert "Linket er ikke gyldigt" in again, "a link works once"

    def test_an_unknown_address_looks_the_same_and_sends_nothing(self, client, editor):
        response = self.ask(client, "ukendt@example.org")
        assert response["Location"] == "/adgangskode/glemt/sendt/"
        assert mail.outbox == []

    def test_a_malformed_address_is_refused_in_danish(self, client):
        response = self.ask(client, "ikke en adresse")
        assert response.status_code == 400
        assert "Indtast en gyldig e-mail-adresse." in response.content.decode()

    def test_a_reset_lifts_a_lockout(self, client, editor, settings):
        for _attempt in range(settings.KRAEFTPLAN_LOCKOUT_ATTEMPTS):
            client.post("/log-ind/", {"username": "editor-rh", "password": "gæt"})
        assert not can_log_in(client, "editor-rh", "pw-editor-rh"), "locked out"
        self.ask(client, "redaktoer@regionh.dk")
        form = client.get(self.link(), follow=True)
        client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
        assert not AccessAttempt.objects.filter(username="editor-rh").exists()
        assert can_log_in(client, "editor-rh", NEW)

    def test_an_address_gets_a_few_e_mails_an_hour_and_the_answer_never_changes(
        self, client, editor, settings
    ):
        limit = settings.KRAEFTPLAN_RESET_PER_ADDRESS
        answers = [self.ask(client, "redaktoer@regionh.dk") for _ in range(limit + 2)]
        assert len(mail.outbox) == limit
        unknown = [self.ask(client, "ukendt@example.org") for _ in range(limit + 2)]
        assert len(mail.outbox) == limit
        for response in answers + unknown:
            assert (response.status_code, response["Location"]) == (
                302,
                "/adgangskode/glemt/sendt/",
            )
        # Spelling the address differently is the same address.
        self.ask(client, " Redaktoer@RegionH.dk")
        assert len(mail.outbox) == limit

    def test_one_client_can_ask_only_so_often(self, client, editor, settings):
        limit = settings.KRAEFTPLAN_RESET_PER_CLIENT
        for attempt in range(limit):
            response = client.post(
                "/adgangskode/glemt/", {"email": f"x{attempt}@example.org"}, REMOTE_ADDR="10.6.6.6"
            )
            assert response.status_code == 302
        for email in ("ny@example.org", "redaktoer@regionh.dk"):
            refused = client.post("/adgangskode/glemt/", {"email": email}, REMOTE_ADDR="10.6.6.6")
            assert refused.status_code == 429
            assert "For mange anmodninger om en ny adgangskode" in refused.content.decode()
        assert mail.outbox == []
        other = self.ask(client, "redaktoer@regionh.dk")
        assert other.status_code == 302 and len(mail.outbox) == 1

    def test_a_tampered_link_changes_nothing(self, client, editor):
        response = client.get("/adgangskode/ny/MQ/forkert-token/")
        assert "Linket er ikke gyldigt" in response.content.decode()
        client.post(
            "/adgangskode/ny/MQ/forkert-token/", {"new_password1": NEW, "new_password2": NEW}
        )
        user = get_user_model().objects.get(username="editor-rh")
        assert user.check_password("pw-editor-rh")
