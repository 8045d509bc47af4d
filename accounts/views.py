"""Contributors manage their own password: change it when logged in, or reset it by e-mail.

Django's views, with our forms (DKFDS inputs; a reset also lifts a login lockout) and a 400
for a form with errors, like every other form in the portal.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kraeftplan.forms import DkfdsForm

from .models import LoginFailure

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.views.generic.edit import FormView

    _FormViewBase = FormView[Any]
else:
    User = get_user_model()
    _FormViewBase = object


class PasswordChangeForm(DkfdsForm, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(DkfdsForm, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(DkfdsForm, auth_forms.SetPasswordForm[User]):
    def save(self, commit: bool = True) -> User:
        user = super().save(commit)
        # Whoever can read the user's e-mail has proved enough to be let in again.
        LoginFailure.objects.filter(username__iexact=user.get_username()).delete()
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


class PasswordChangeView(_BadRequestOnErrors, auth_views.PasswordChangeView):
    form_class = PasswordChangeForm


class PasswordResetView(_BadRequestOnErrors, auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"


class PasswordResetConfirmView(_BadRequestOnErrors, auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
