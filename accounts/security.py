"""Login lockout: after repeated failed logins a user name is refused for a while.

Failures are stored in the database (LoginFailure), so the limit holds across server processes.
"""

import unicodedata
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LoginFailure

if TYPE_CHECKING:
    _LoginFormBase = AuthenticationForm
else:
    _LoginFormBase = object


# Characters that show as nothing: a user name with them is the same user name.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u034f\u180e\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"))


def normal_username(raw: str) -> str:
    """A user name as the lockout counts it and the login looks it up: compatibility-normalised
    (full-width letters are letters), without invisible characters, stripped and case-folded.
    "ministeriet ", "Ministeriet", "ｍｉｎｉｓｔｅｒｉｅｔ" and "minis\u200bteriet" are one name."""
    return unicodedata.normalize("NFKC", raw).translate(INVISIBLE).strip().casefold()


def _window() -> timedelta:
    return timedelta(minutes=settings.KRAEFTPLAN_LOCKOUT_MINUTES)


def is_locked_out(username: str) -> bool:
    since = timezone.now() - _window()
    recent = LoginFailure.objects.filter(username=normal_username(username), at__gte=since).count()
    return recent >= settings.KRAEFTPLAN_LOCKOUT_ATTEMPTS


@receiver(user_login_failed)
def record_failure(
    sender: object,
    credentials: dict[str, Any] | None,
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    username = (credentials or {}).get("username")
    if username:
        LoginFailure.objects.create(username=normal_username(username)[:150])


@receiver(user_logged_in)
def forget_failures(
    sender: object, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any
) -> None:
    LoginFailure.objects.filter(username=normal_username(user.get_username())).delete()


class LockoutMixin(_LoginFormBase):
    def clean(self) -> dict[str, Any]:
        # The field's cleaned value: a name the field refuses (a NUL byte, too long) is not
        # looked up, neither for the lockout nor for the login.
        username = self.cleaned_data.get("username", "")
        if username and is_locked_out(username):
            raise forms.ValidationError(
                _("Too many failed logins for this user name. Try again in %(minutes)s minutes.")
                % {"minutes": settings.KRAEFTPLAN_LOCKOUT_MINUTES},
                code="locked_out",
            )
        return super().clean()


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


class LoginForm(LockoutMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutMixin, AdminAuthenticationForm):
    pass
