"""Contributors manage their own password: change it when logged in, or reset it by e-mail.

Django's views, with our forms (DKFDS inputs; a reset also lifts a login lockout), a 400 for a
form with errors like every other form in the portal, and a throttle on reset e-mails.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from kraeftplan.forms import DkfdsForm
from kraeftplan.views import Crumb, crumbs

from .security import lift_lockout, reset_allowed

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.views.generic.base import ContextMixin
    from django.views.generic.edit import FormView

    _FormViewBase = FormView[Any]
    _ContextBase = ContextMixin
else:
    User = get_user_model()
    _FormViewBase = _ContextBase = object


class PasswordChangeForm(DkfdsForm, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(DkfdsForm, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(DkfdsForm, auth_forms.SetPasswordForm[User]):
    def save(self, commit: bool = True) -> User:
        user = super().save(commit)
        lift_lockout(user)
        return user


def send_password_link(request: HttpRequest, user: User) -> None:
    """E-mail a (new) user a one-time link to choose a password, through the same confirm page
    as a reset. Works for users created without a password."""
    membership = getattr(user, "membership", None)
    context = {
        "user": user,
        "organisation": membership.organisation if membership else None,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
    }
    subject = "".join(render_to_string("registration/welcome_subject.txt", context).splitlines())
    body = render_to_string("registration/welcome_email.txt", context)
    send_mail(subject, body, None, [user.email])


class _BadRequestOnErrors(_FormViewBase):
    def form_invalid(self, form: forms.Form) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


class _Crumbs(_ContextBase):
    """A page of the login and password pages with its breadcrumbs: trail() below the front
    page, the last the page itself."""

    def trail(self) -> list[Crumb]:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(crumbs=crumbs(*self.trail()), **kwargs)


def _login() -> Crumb:
    return (_("Log in"), reverse("login"))


def _forgotten() -> Crumb:
    return (_("Forgotten password"), reverse("password_reset"))


class LoginView(_Crumbs, auth_views.LoginView):
    def trail(self) -> list[Crumb]:
        return [(_("Log in"), None)]


class PasswordChangeView(_Crumbs, _BadRequestOnErrors, auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def trail(self) -> list[Crumb]:
        return [(_("Change password"), None)]


class PasswordChangeDoneView(_Crumbs, auth_views.PasswordChangeDoneView):
    def trail(self) -> list[Crumb]:
        return [(_("Change password"), reverse("password_change")), (_("Password changed"), None)]


class PasswordResetView(_Crumbs, _BadRequestOnErrors, auth_views.PasswordResetView):
    """Sends at most KRAEFTPLAN_RESET_PER_ADDRESS e-mails to one address and takes at most
    KRAEFTPLAN_RESET_PER_CLIENT requests from one client per window. Over the address's limit
    the answer is the usual one and nothing is sent; over the client's, a 429 page. Neither
    depends on whether the address belongs to a user."""

    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"

    def trail(self) -> list[Crumb]:
        return [_login(), (_("Forgotten password"), None)]

    def form_valid(self, form: forms.Form) -> HttpResponse:
        address_ok, client_ok = reset_allowed(self.request, form.cleaned_data["email"])
        if not client_ok:
            return render(
                self.request,
                "registration/password_reset_throttled.html",
                {"minutes": settings.KRAEFTPLAN_RESET_WINDOW_MINUTES},
                status=429,
            )
        if not address_ok:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(_Crumbs, auth_views.PasswordResetDoneView):
    def trail(self) -> list[Crumb]:
        return [_login(), _forgotten(), (_("Check your e-mail"), None)]


class PasswordResetConfirmView(_Crumbs, _BadRequestOnErrors, auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm

    def trail(self) -> list[Crumb]:
        return [_login(), (_("Choose a new password"), None)]


class PasswordResetCompleteView(_Crumbs, auth_views.PasswordResetCompleteView):
    def trail(self) -> list[Crumb]:
        return [_login(), (_("Password saved"), None)]
