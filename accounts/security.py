"""Login lockout: after repeated failed logins a user name is refused for a while.

Failures are stored in the database (LoginFailure), so the limit holds across server processes.
"""

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import AuthenticationForm
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


def _window() -> timedelta:
    return timedelta(minutes=settings.KRAEFTPLAN_LOCKOUT_MINUTES)


def is_locked_out(username: str) -> bool:
    since = timezone.now() - _window()
    recent = LoginFailure.objects.filter(username__iexact=username, at__gte=since).count()
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
        LoginFailure.objects.create(username=username[:150])


@receiver(user_logged_in)
def forget_failures(
    sender: object, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any
) -> None:
    LoginFailure.objects.filter(username__iexact=user.get_username()).delete()


class LockoutMixin(_LoginFormBase):
    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "")
        if username and is_locked_out(username):
            raise forms.ValidationError(
                _("Too many failed logins for this user name. Try again in %(minutes)s minutes.")
                % {"minutes": settings.KRAEFTPLAN_LOCKOUT_MINUTES},
                code="locked_out",
            )
        return super().clean()


class LoginForm(LockoutMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutMixin, AdminAuthenticationForm):
    pass
