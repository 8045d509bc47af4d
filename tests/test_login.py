"""Logging in: Argon2 hashes, a lockout after repeated failures, sessions that expire."""

import pytest
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


@pytest.mark.parametrize("url", ["/log-ind/", "/admin/login/"])
def test_repeated_failures_lock_the_user_name_out_even_with_the_right_password(
    client, ministry, url
):
    for _ in range(settings.KRAEFTPLAN_LOCKOUT_ATTEMPTS):
        client.post(url, {"username": "minister", "password": "forkert"})
    response = client.post(url, {"username": "minister", "password": "pw-minister"})
    assert response.status_code == 200
    assert "For mange mislykkede loginforsøg" in response.content.decode()
    assert "_auth_user_id" not in client.session


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
    # The variants are failures against one user name; together they lock it.
    for attempt in range(settings.KRAEFTPLAN_LOCKOUT_ATTEMPTS):
        client.post(url, {"username": VARIANTS[attempt % len(VARIANTS)], "password": "forkert"})
    for name in ["minister", *VARIANTS]:
        response = client.post(url, {"username": name, "password": "pw-minister"})
        assert "For mange mislykkede loginforsøg" in response.content.decode(), repr(name)
        assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", VARIANTS)
def test_a_spelling_of_the_user_name_logs_in_as_that_user(client, ministry, name):
    response = client.post("/log-ind/", {"username": name, "password": "pw-minister"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ministry.pk)


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
