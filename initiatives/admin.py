from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from budget.checks import check_plan
from kraeftplan.accounts import send_password_link
from kraeftplan.admin_base import HistoryAdmin, ViewOnlyAdmin, YearWithinPlanFormSet

from .models import (
    Case,
    Contribution,
    ContributionEvent,
    ContributionItem,
    Initiative,
    InitiativeComment,
    LoginFailure,
    MainElement,
    Measure,
    MeasureStatus,
    Membership,
    Notification,
    Organisation,
    Plan,
    PlanMilestone,
    ProposedCase,
    ReportingRound,
    Responsibility,
)


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


class MembershipInline(admin.StackedInline):
    model = Membership
    max_num = 1
    extra = 1
    autocomplete_fields = ["organisation"]
    verbose_name = _("organisation and role")
    verbose_name_plural = _("organisation and role")


User = get_user_model()
admin.site.unregister(User)

# What only a superuser may grant.
PRIVILEGES = ["is_staff", "is_superuser", "groups", "user_permissions"]


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Ministry staff create the contributors' users, with organisation and role, and send
    them a link to choose a password. Privileges, and other staff and superusers, stay with the
    superusers, so that nobody can raise their own rights or take over an account above them."""

    inlines = [MembershipInline]
    list_display = ["username", "email", "organisation", "role", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "membership__role", "membership__organisation"]
    list_select_related = ["membership__organisation"]
    actions = ["send_password_links"]

    @admin.display(description=_("organisation"), ordering="membership__organisation__name")
    def organisation(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.organisation if membership else "–"

    @admin.display(description=_("role"), ordering="membership__role")
    def role(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "–"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, *PRIVILEGES]

    def _above(self, request, obj) -> bool:
        return (
            obj is not None
            and not request.user.is_superuser
            and (obj.is_superuser or (obj.is_staff and obj.pk != request.user.pk))
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._above(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._above(request, obj)

    @admin.action(description=_("Send a link to choose a password"))
    def send_password_links(self, request, queryset):
        sent, skipped = 0, []
        for user in queryset.order_by("username"):
            if user.email and user.is_active and self.has_change_permission(request, user):
                send_password_link(request, user)
                sent += 1
            else:
                skipped.append(user.get_username())
        if sent:
            self.message_user(request, _("%(n)s e-mail(s) sent.") % {"n": sent}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                _(
                    "Not sent to %(users)s: no e-mail address, not active, or a user you may "
                    "not change."
                )
                % {"users": ", ".join(skipped)},
                messages.WARNING,
            )


class MainElementInline(admin.TabularInline):
    model = MainElement
    extra = 0
    fields = ["position", "title", "start", "starts_on"]


class MilestoneInline(admin.TabularInline):
    model = PlanMilestone
    extra = 0
    fields = ["date", "title", "description"]


@admin.register(Plan)
class PlanAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "period_label", "state", "initiative_count"]
    list_filter = ["state"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["parties"]
    readonly_fields = ["budget_findings"]
    inlines = [MainElementInline, MilestoneInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "state", "predecessor"]}),
        (_("Period"), {"fields": ["start_year", "end_year", "permanent_from_year"]}),
        (_("Agreement"), {"fields": ["adopted_on", "adoption", "parties", "funding", "source"]}),
        (_("Content"), {"fields": ["vision", "summary"]}),
        (_("Budget consistency"), {"fields": ["budget_findings"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_initiatives=Count("initiatives"))

    @admin.display(description=_("period"), ordering="start_year")
    def period_label(self, obj):
        return obj.period_label

    @admin.display(description=_("initiatives"), ordering="n_initiatives")
    def initiative_count(self, obj):
        return obj.n_initiatives

    @admin.display(description=_("findings"))
    def budget_findings(self, obj):
        from budget.admin import render_findings

        return render_findings(check_plan(obj)) if obj.pk else "–"


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ["organisation"]


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["position", "number", "title", "economy", "indicator"]
    show_change_link = True


class CaseInline(admin.StackedInline):
    model = Case
    extra = 0
    autocomplete_fields = ["organisation"]


class CommentInline(admin.TabularInline):
    model = InitiativeComment
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(HistoryAdmin):
    list_display = ["number", "title", "plan", "main_element", "kind", "level", "measure_count"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "kind", "level", "main_element", "continues_after_plan"]
    search_fields = ["number", "title", "purpose", "organisations__name"]
    list_select_related = ["plan", "main_element"]
    autocomplete_fields = ["continued_from"]
    inlines = [ResponsibilityInline, MeasureInline, CaseInline, CommentInline]
    fieldsets = [
        (None, {"fields": ["plan", "main_element", "kind", "number", "code", "position"]}),
        (_("Content"), {"fields": ["title", "purpose", "level", "start", "starts_on"]}),
        (
            _("Lineage"),
            {"fields": ["continued_from", "continues_after_plan", "continuation"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_measures=Count("measures", distinct=True))

    @admin.display(description=_("measures"), ordering="n_measures")
    def measure_count(self, obj):
        return obj.n_measures


class StatusFormSet(YearWithinPlanFormSet):
    def plan(self):
        initiative = getattr(self.instance, "initiative", None)
        return initiative.plan if initiative else None


class StatusInline(admin.StackedInline):
    model = MeasureStatus
    formset = StatusFormSet
    extra = 0
    fields = [("year", "category"), "wording", "narrative", ("report", "source")]


@admin.register(Measure)
class MeasureAdmin(HistoryAdmin):
    list_display = ["__str__", "initiative", "economy"]
    list_filter = ["initiative__plan"]
    search_fields = ["title", "number", "initiative__title", "economy", "indicator"]
    list_select_related = ["initiative"]
    autocomplete_fields = ["initiative"]
    inlines = [StatusInline]


@admin.register(MeasureStatus)
class MeasureStatusAdmin(HistoryAdmin):
    list_display = ["measure", "year", "category", "wording"]
    list_filter = ["year", "category", "measure__initiative__plan"]
    search_fields = ["wording", "narrative", "measure__title"]
    list_select_related = ["measure__initiative"]
    autocomplete_fields = ["measure"]


@admin.register(Case)
class CaseAdmin(HistoryAdmin):
    list_display = ["label", "title", "initiative", "organisation", "year"]
    list_filter = ["year", "initiative__plan"]
    search_fields = ["label", "title", "text"]
    list_select_related = ["initiative", "organisation"]
    autocomplete_fields = ["initiative", "organisation"]


@admin.register(PlanMilestone)
class PlanMilestoneAdmin(HistoryAdmin):
    list_display = ["date", "title", "plan"]
    list_filter = ["plan"]
    search_fields = ["title", "description"]
    date_hierarchy = "date"


@admin.register(InitiativeComment)
class InitiativeCommentAdmin(HistoryAdmin):
    list_display = ["initiative", "made_on", "made_by", "text"]
    list_filter = ["initiative__plan", "made_on"]
    search_fields = ["text", "made_by"]
    autocomplete_fields = ["initiative"]


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    can_delete = False
    fields = ["organisation", "state", "updated_at"]
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportingRound)
class ReportingRoundAdmin(HistoryAdmin):
    """Rounds are opened on /bidrag/runder/ny/, where staff choose who reports on what; here
    only the deadline can change."""

    list_display = ["__str__", "plan", "year", "deadline", "opened_at"]
    list_filter = ["plan", "year"]
    fields = ["plan", "year", "deadline"]
    readonly_fields = ["plan", "year"]
    inlines = [ContributionInline]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("initiatives:round_open")


class ContributionItemInline(admin.StackedInline):
    """Staff choose which measures an organisation reports on while its contribution is a draft;
    what the organisation writes stays read-only here."""

    model = ContributionItem
    extra = 0
    fields = ["measure", "category", "wording", "narrative"]
    readonly_fields = ["category", "wording", "narrative"]
    autocomplete_fields = ["measure"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.state != "draft":
            return self.fields
        return self.readonly_fields

    def has_add_permission(self, request, obj=None):
        return obj is not None and obj.state == "draft"

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.state == "draft"


class ContributionEventInline(admin.TabularInline):
    model = ContributionEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "actor", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contribution)
class ContributionAdmin(HistoryAdmin):
    """Contributions are written by the organisations and reviewed on /bidrag/; read-only here."""

    list_display = ["organisation", "round", "state", "updated_at"]
    list_filter = ["state", "round", "organisation"]
    search_fields = ["organisation__name", "general_comment"]
    list_select_related = ["organisation", "round__plan"]
    readonly_fields = [
        "round",
        "organisation",
        "state",
        "general_comment",
        "revision",
        "updated_at",
    ]
    fields = readonly_fields
    inlines = [ContributionItemInline, ContributionEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
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
    fields = ["item", "title", "text", "adopted_as"]
    readonly_fields = fields

    @admin.display(description=_("contribution"))
    def contribution(self, obj):
        return obj.item.contribution


@admin.register(LoginFailure)
class LoginFailureAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """Failed logins; deleting a user name's rows lifts a lockout at once."""

    deletable = True
    list_display = ["username", "at"]
    search_fields = ["username"]
    date_hierarchy = "at"
    readonly_fields = ["username", "at"]


@admin.register(Notification)
class NotificationAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """E-mails sent; deleting one lets the event be told again."""

    deletable = True
    list_display = ["contribution", "key", "recipients", "sent_at"]
    list_filter = ["sent_at"]
    readonly_fields = ["contribution", "key", "recipients", "sent_at"]
