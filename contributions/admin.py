from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from kraeftplan.admin_base import HistoryAdmin, StackedInline, TabularInline, ViewOnlyAdmin

from .models import (
    Contribution,
    ContributionEvent,
    ContributionItem,
    Notification,
    ProposedCase,
    ReportingRound,
)

CONTRIBUTION_INLINE_FIELDS = ("organisation", "state", "updated_at")


class ContributionInline(TabularInline[Contribution, ReportingRound]):
    model = Contribution
    extra = 0
    can_delete = False
    fields = CONTRIBUTION_INLINE_FIELDS
    readonly_fields = CONTRIBUTION_INLINE_FIELDS
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: ReportingRound | None = None) -> bool:
        return False


@admin.register(ReportingRound)
class ReportingRoundAdmin(HistoryAdmin):
    """Rounds are opened on /bidrag/runder/ny/ and run from their overview (deadline, closing,
    who takes part), where those concerned are told; here only the closing day can change."""

    list_display = ["__str__", "plan", "year", "deadline", "closes_on", "closed_at", "opened_at"]
    list_filter = ["plan", "year"]
    fields = ["plan", "year", "deadline", "closes_on", "closed_at", "closed_by"]
    readonly_fields = ["plan", "year", "deadline", "closed_at", "closed_by"]
    inlines = [ContributionInline]

    def add_view(
        self,
        request: HttpRequest,
        form_url: str = "",
        extra_context: dict[str, object] | None = None,
    ) -> HttpResponseRedirect:
        return redirect("contributions:round_open")


ITEM_FIELDS = ("measure", "category", "wording", "narrative")


class ContributionItemInline(StackedInline[ContributionItem, Contribution]):
    """Staff choose which measures an organisation reports on while its contribution is a draft;
    what the organisation writes stays read-only here."""

    model = ContributionItem
    extra = 0
    fields = ITEM_FIELDS
    readonly_fields = ["category", "wording", "narrative"]
    autocomplete_fields = ["measure"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Contribution | None = None
    ) -> list[str] | tuple[str, ...]:
        if obj is not None and obj.state != "draft":
            return ITEM_FIELDS
        return self.readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Contribution | None = None) -> bool:
        return obj is not None and obj.state == "draft"

    def has_delete_permission(self, request: HttpRequest, obj: Contribution | None = None) -> bool:
        return obj is not None and obj.state == "draft"


EVENT_FIELDS = ("at", "action", "actor", "comment")


class ContributionEventInline(TabularInline[ContributionEvent, Contribution]):
    model = ContributionEvent
    extra = 0
    can_delete = False
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: Contribution | None = None) -> bool:
        return False


@admin.register(Contribution)
class ContributionAdmin(HistoryAdmin):
    """Contributions are written by the organisations and reviewed on /bidrag/; read-only here."""

    list_display = ["organisation", "round", "state", "updated_at"]
    list_filter = ["state", "round", "organisation"]
    search_fields = ["organisation__name", "general_comment"]
    list_select_related = ["organisation", "round__plan"]
    readonly_fields = (
        "round",
        "organisation",
        "state",
        "general_comment",
        "revision",
        "updated_at",
    )
    fields = readonly_fields
    inlines = [ContributionItemInline, ContributionEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Contribution | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Contribution | None = None) -> bool:
        # Only to adjust the measures of a draft (see ContributionItemInline).
        return super().has_change_permission(request, obj) and (obj is None or obj.state == "draft")


@admin.register(ProposedCase)
class ProposedCaseAdmin(ViewOnlyAdmin, HistoryAdmin):
    """Cases proposed in contributions; written on /bidrag/, adopted on the consolidation page."""

    list_display = ["title", "item", "contribution", "adopted_as"]
    list_filter = ["item__contribution__round", "item__contribution__organisation"]
    search_fields = ["title", "text"]
    list_select_related = [
        "item__measure__initiative",
        "item__contribution__organisation",
        "item__contribution__round__plan",
        "adopted_as",
    ]
    fields = ("item", "title", "text", "adopted_as")
    readonly_fields = fields

    @admin.display(description=_("contribution"))
    def contribution(self, obj: ProposedCase) -> Contribution:
        return obj.item.contribution


@admin.register(Notification)
class NotificationAdmin(ViewOnlyAdmin, admin.ModelAdmin[Notification]):
    """E-mails sent; deleting one lets the event be told again."""

    deletable = True
    list_display = ["contribution", "key", "recipients", "sent_at"]
    list_filter = ["sent_at"]
    readonly_fields = ["contribution", "key", "recipients", "sent_at"]
