"""Request types for the type checker."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind login_required, whose user has logged in. Only for
    annotations: Django never makes one."""

    user: "User"
