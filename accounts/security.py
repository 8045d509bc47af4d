"""Logins and password resets that an attacker cannot repeat without limit.

The lockout is django-axes': after KRAEFTPLAN_LOCKOUT_ATTEMPTS failed logins a user name is
refused for KRAEFTPLAN_LOCKOUT_MINUTES, on the site's login and the admin's alike. Axes counts by
the user name as normal_username() reads it, and NormalUsernameBackend logs in by the same
reading, so "Ministeriet " and "ministeriet" are one name with one counter.

The client's address comes from client_address(), for the lockout and the password reset
throttle alike: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the outermost
proxy received the request from.
"""

import unicodedata
from datetime import timedelta
from typing import Any

from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kraeftplan.clients import client_address

from .models import PasswordResetRequest

# Characters that show as nothing: a user name with them is the same user name.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u034f\u180e\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"))


def normal_username(raw: str) -> str:
    """A user name as the lockout counts it and the login looks it up: compatibility-normalised
    (full-width letters are letters), without invisible characters, stripped and case-folded.
    "ministeriet ", "Ministeriet", "ｍｉｎｉｓｔｅｒｉｅｔ" and "minis\u200bteriet" are one name."""
    return unicodedata.normalize("NFKC", raw).translate(INVISIBLE).strip().casefold()


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the name axes counts failures under."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    return normal_username(str(raw or ""))[:150]


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a Danish page, 429, for the site's login and the admin's."""
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": settings.KRAEFTPLAN_LOCKOUT_MINUTES},
        status=429,
    )


def lift_lockout(user: User) -> None:
    """Whoever can read the user's e-mail has proved enough to be let in again."""
    reset_lockout(username=normal_username(user.get_username()))


class NormalUsernameBackend(ModelBackend):
    """Logs in by the user name as normal_username() reads it, so that the lockout and the login
    agree on who is meant. Two users whose names read the same cannot log in by that name."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        wanted = normal_username(username)
        users = User._default_manager.filter(username__iexact=wanted)
        matches = [user for user in users if normal_username(user.get_username()) == wanted]
        if len(matches) != 1:
            User().set_password(password)  # the same work as a real check
            return None
        user = matches[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def reset_allowed(request: HttpRequest, email: str) -> tuple[bool, bool]:
    """Record a password reset request; say whether the address and the client are within their
    limits: (address_ok, client_ok). The count does not depend on whether the address belongs
    to a user, so the answer tells nobody that."""
    window = timedelta(minutes=settings.KRAEFTPLAN_RESET_WINDOW_MINUTES)
    since = timezone.now() - window
    address = normal_username(email)[:254]
    client = client_address(request)[:45]
    with transaction.atomic():
        PasswordResetRequest.objects.filter(at__lt=since).delete()
        recent = PasswordResetRequest.objects.filter(at__gte=since)
        by_address = recent.filter(address=address).count()
        by_client = recent.filter(client=client).count()
        PasswordResetRequest.objects.create(address=address, client=client)
    return (
        by_address < settings.KRAEFTPLAN_RESET_PER_ADDRESS,
        by_client < settings.KRAEFTPLAN_RESET_PER_CLIENT,
    )
