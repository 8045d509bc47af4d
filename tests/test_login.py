"""Logging in: Argon2 hashes, a lockout after repeated failures, sessions that expire."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import get_hasher

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_outside_the_tests(settings):
    from django.contrib.auth import get_user_model

    from kraeftplan.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = get_user_model().objects.create_user("ny", password="et-langt-kodeord")
    assert user.password.startswith("argon2") and user.check_password("et-langt-kodeord")
    assert get_hasher().algorithm == "argon2"


def test_a_contributor_logs_in_and_lands_on_the_contributions(client, editor_rh):
    response = client.post("/log-ind/", {"username": "editor-rh", "password": "pw-editor-rh"})
    assert response.status_code == 302 and response["Location"] == "/bidrag/"


def test_a_wrong_password_says_so_in_danish(client, editor_rh):
    page = client.post(
        "/log-ind/", {"username": "editor-rh", "password": "forkert"}
    ).content.decode()
    assert "Indtast venligst korrekt brugernavn og adgangskode" in page


LOCKED = "For mange mislykkede loginforsøg"


def fail(client, url, username, address="10.1.1.1", **headers):
    return client.post(
        url, {"username": username, "password": "forkert"}, REMOTE_ADDR=address, **headers
    )


def log_in(client, url, username, password, address="10.9.9.9", **headers):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", ["/log-ind/", "/admin/login/"])
def test_repeated_failures_lock_the_user_name_out_even_with_the_right_password(
    client, ministry, editor_rh, url
):
    # Each guess from another address: the user name is what is locked. The last guess is
    # answered with the lockout already.
    for attempt in range(settings.KRAEFTPLAN_LOCKOUT_ATTEMPTS - 1):
        assert fail(client, url, "minister", f"10.0.0.{attempt}").status_code == 200
    assert fail(client, url, "minister", "10.0.0.99").status_code == 429
    response = log_in(client, url, "minister", "pw-minister")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not logged_in(client)
    # Other users are not affected.
    assert log_in(client, "/log-ind/", "editor-rh", "pw-editor-rh").status_code == 302


@pytest.mark.parametrize("url", ["/log-ind/", "/admin/login/"])
def test_one_client_guessing_many_user_names_is_locked_out(client, ministry, editor_rh, url):
    for attempt in range(settings.KRAEFTPLAN_LOCKOUT_ATTEMPTS):
        fail(client, url, f"gaet-{attempt}", "10.2.2.2")
    assert log_in(client, url, "minister", "pw-minister", "10.2.2.2").status_code == 429
    assert not logged_in(client)
    assert log_in(client, url, "minister", "pw-minister", "10.3.3.3").status_code == 302


def test_a_successful_login_clears_earlier_failures(client, editor_rh):
    for _ in range(settings.KRAEFTPLAN_LOCKOUT_ATTEMPTS - 1):
        client.post("/log-ind/", {"username": "editor-rh", "password": "forkert"})
    assert (
        client.post("/log-ind/", {"username": "editor-rh", "password": "pw-editor-rh"}).status_code
        == 302
    )
    client.logout()
    client.post("/log-ind/", {"username": "editor-rh", "password": "forkert"})
    assert (
        client.post("/log-ind/", {"username": "editor-rh", "password": "pw-editor-rh"}).status_code
        == 302
    )


def test_sessions_expire():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


VARIANTS = ["minister ", "Minister", "ＭＩＮＩＳＴＥＲ", "mini\u200bster", "\ufeffMINISTER\u2060"]


@pytest.mark.parametrize("url", ["/log-ind/", "/admin/login/"])
def test_every_spelling_of_a_user_name_counts_towards_one_lockout(client, ministry, url):
    # The variants are failures against one user name from as many addresses; together they
    # lock it, for every spelling, from an address that never failed.
    for attempt in range(settings.KRAEFTPLAN_LOCKOUT_ATTEMPTS):
        fail(client, url, VARIANTS[attempt % len(VARIANTS)], f"10.4.4.{attempt}")
    for name in ["minister", *VARIANTS]:
        response = log_in(client, url, name, "pw-minister")
        assert response.status_code == 429, repr(name)
        assert LOCKED in response.content.decode(), repr(name)
        assert not logged_in(client)


@pytest.mark.parametrize("url", ["/log-ind/", "/admin/login/"])
def test_behind_the_proxy_the_client_is_the_address_the_proxy_saw(client, ministry, settings, url):
    """With one trusted proxy (TRUSTED_PROXY_COUNT=1) every request comes from the proxy's
    address; the client is the last X-Forwarded-For entry, the one the proxy appended. What a
    client writes in the header itself comes before it and changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "172.18.0.5"
    for attempt in range(settings.KRAEFTPLAN_LOCKOUT_ATTEMPTS):
        fail(
            client,
            url,
            f"gaet-{attempt}",
            proxy,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, 203.0.113.7",
        )
    locked = log_in(
        client, url, "minister", "pw-minister", proxy, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert locked.status_code == 429 and not logged_in(client)
    # Another client behind the same proxy is someone else.
    other = log_in(
        client, url, "minister", "pw-minister", proxy, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert other.status_code == 302 and logged_in(client)


def test_without_a_proxy_the_header_is_ignored(client, ministry):
    # The default: no trusted proxy, so X-Forwarded-For is the client's own word.
    for attempt in range(settings.KRAEFTPLAN_LOCKOUT_ATTEMPTS):
        fail(
            client,
            "/log-ind/",
            f"gaet-{attempt}",
            "10.5.5.5",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{attempt}",
        )
    response = log_in(
        client, "/log-ind/", "minister", "pw-minister", "10.5.5.5", HTTP_X_FORWARDED_FOR="8.8.8.8"
    )
    assert response.status_code == 429


@pytest.mark.parametrize("name", VARIANTS)
def test_a_spelling_of_the_user_name_logs_in_as_that_user(client, ministry, name):
    response = client.post("/log-ind/", {"username": name, "password": "pw-minister"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ministry.pk)


def test_staff_see_the_failed_logins_in_danish_and_deleting_them_lifts_the_lockout(
    client, ministry, editor_rh
):
    for attempt in range(settings.KRAEFTPLAN_LOCKOUT_ATTEMPTS):
        fail(client, "/log-ind/", "editor-rh", f"10.7.7.{attempt}")
    assert log_in(client, "/log-ind/", "editor-rh", "pw-editor-rh").status_code == 429
    client.force_login(ministry)
    page = client.get("/admin/axes/accessattempt/").content.decode()
    assert "Mislykkede loginforsøg" in page and "editor-rh" in page
    assert "IP-adresse" in page and "10.7.7.0" in page
    ids = list(AccessAttempt.objects.filter(username="editor-rh").values_list("pk", flat=True))
    client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    client.logout()
    assert log_in(client, "/log-ind/", "editor-rh", "pw-editor-rh").status_code == 302


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/log-ind/", "Brugernavn eller adgangskode er forkert."),
        ("/admin/login/", "Null-tegn er ikke tilladte."),
    ],
)
@pytest.mark.parametrize("username", ["\x00", "minister\x00", "a\x00b"])
def test_a_nul_byte_in_the_user_name_is_a_wrong_login_not_an_error(
    client, ministry, url, message, username
):
    # The lockout looked the raw name up, and PostgreSQL refuses a NUL byte (a 500 before).
    response = client.post(url, {"username": username, "password": "pw-minister"})
    assert response.status_code == 200 and message in response.content.decode()
    assert "_auth_user_id" not in client.session
