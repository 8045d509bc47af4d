from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Feedback

admin.site.site_header = _("Kræftplan-portalen – administration")
admin.site.site_title = _("Kræftplan-portalen")
admin.site.index_title = _("Plans, budgets, targets and reports")


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin[Feedback]):
    """Messages from the accessibility statement's form: read them, answer where an address is
    given, and mark them handled. What a reader wrote is kept as written."""

    list_display = ["received_at", "short_message", "page", "email", "handled_at"]
    list_filter = [("handled_at", admin.EmptyFieldListFilter)]
    search_fields = ["message", "page", "email"]
    readonly_fields = ["message", "page", "email", "received_at"]
    fields = ["received_at", "message", "page", "email", "handled_at"]
    actions = ["mark_handled"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages come from the form

    @admin.display(description=_("message"))
    def short_message(self, feedback: Feedback) -> str:
        return Truncator(feedback.message).chars(80)

    @admin.action(description=_("Mark the chosen messages handled"))
    def mark_handled(self, request: HttpRequest, queryset: QuerySet[Feedback]) -> None:
        count = queryset.filter(handled_at__isnull=True).update(handled_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(n)s message marked handled.", "%(n)s messages marked handled.", count)
            % {"n": count},
        )
