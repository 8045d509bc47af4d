"""Contributors manage their own password: change it when logged in, or reset it by e-mail.

Django's views, with our forms (DKFDS inputs; a reset also lifts a login lockout) and a 400
for a form with errors, like every other form in the portal.
"""

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kraeftplan.forms import DkfdsForm

from .models import LoginFailure


class PasswordChangeForm(DkfdsForm, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(DkfdsForm, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(DkfdsForm, auth_forms.SetPasswordForm):
    def save(self, commit=True):
        user = super().save(commit)
        # Whoever can read the user's e-mail has proved enough to be let in again.
        LoginFailure.objects.filter(username__iexact=user.get_username()).delete()
        return user


def send_password_link(request, user):
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


class _BadRequestOnErrors:
    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordChangeView(_BadRequestOnErrors, auth_views.PasswordChangeView):
    form_class = PasswordChangeForm


class PasswordResetView(_BadRequestOnErrors, auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"


class PasswordResetConfirmView(_BadRequestOnErrors, auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
