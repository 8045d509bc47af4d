"""The accessibility statement's feedback form: the law asks for a way to tell the authority
what is not accessible. Messages are saved for the ministry's staff (the admin), and e-mailed to
FEEDBACK_EMAIL when that is set; each client may send a few an hour."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .clients import client_address
from .forms import dkfds_classes
from .models import MAX_FEEDBACK, Feedback
from .views import crumbs

# Messages a client may send in an hour: enough for a reader with several things to report,
# too few to fill the ministry's list.
PER_HOUR = 5


class FeedbackForm(forms.ModelForm[Feedback]):
    class Meta:
        model = Feedback
        fields = ["message", "page", "email"]
        labels = {
            "message": gettext_lazy("What could you not read or do?"),
            "page": gettext_lazy("Which page (address or name), if it concerns one"),
            "email": gettext_lazy("Your e-mail address, if you want an answer"),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message"].widget.attrs["maxlength"] = MAX_FEEDBACK
        self.fields["message"].error_messages["required"] = _("Write what the problem is.")
        dkfds_classes(self.fields)


def within_limit(request: HttpRequest) -> bool:
    """Count this message against the client's hour; False when it is over PER_HOUR. A page
    store that is down does not stop a reader: then there is no limit."""
    cache = caches[settings.KRAEFTPLAN_PAGE_CACHE]
    key = f"feedback:{client_address(request)}"
    try:
        if cache.add(key, 1, 3600):
            return True
        return cache.incr(key) <= PER_HOUR
    except Exception:  # any backend failing: Redis stopped, a full disk
        return True


@task
def send_feedback(feedback_id: int, statement_url: str) -> None:
    """E-mail a message to FEEDBACK_EMAIL (run by the worker, off the request)."""
    feedback = Feedback.objects.filter(pk=feedback_id).first()
    if feedback is None or not settings.KRAEFTPLAN_FEEDBACK_EMAIL:
        return
    body = "\n\n".join(
        part
        for part in (
            feedback.message,
            f"Side: {feedback.page}" if feedback.page else "",
            f"Svar til: {feedback.email}" if feedback.email else "Ingen svaradresse.",
            f"Tilgængelighedserklæringen: {statement_url}",
        )
        if part
    )
    send_mail(
        "Kræftplan-portalen – tilbagemelding om tilgængelighed",
        body,
        None,
        [settings.KRAEFTPLAN_FEEDBACK_EMAIL],
    )


class FeedbackView(View):
    """GET the form; POST saves the message and sends the reader to the thanks page. A form with
    errors, or a client over its hour's limit, gets the form again with a Danish message and
    nothing saved."""

    http_method_names = ["get", "post", "head"]
    template_name = "pages/feedback.html"

    def context(self, form: FeedbackForm, **extra: Any) -> dict[str, Any]:
        return {
            "form": form,
            "crumbs": crumbs(
                (_("Accessibility statement"), reverse("pages:accessibility")),
                (_("Report an accessibility problem"), None),
            ),
            **extra,
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.GET.get("sendt") == "1":
            return render(request, self.template_name, self.context(FeedbackForm(), sent=True))
        return render(request, self.template_name, self.context(FeedbackForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = FeedbackForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form), status=400)
        if not within_limit(request):
            form.add_error(
                None,
                _("You have sent %(n)s messages within the hour; wait a while and send again.")
                % {"n": PER_HOUR},
            )
            return render(request, self.template_name, self.context(form), status=429)
        with transaction.atomic():
            feedback = form.save()
            if settings.KRAEFTPLAN_FEEDBACK_EMAIL:
                statement = request.build_absolute_uri(reverse("pages:accessibility"))
                # Queued in the same transaction: the worker sees the task with the message.
                send_feedback.enqueue(feedback.pk, statement)
        return redirect(f"{reverse('pages:feedback')}?sendt=1")
