from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from kraeftplan.admin_base import (
    HistoryAdmin,
    StackedInline,
    TabularInline,
    ViewOnlyAdmin,
    YearWithinPlanFormSet,
)

from .models import (
    Case,
    Finding,
    Initiative,
    InitiativeComment,
    MainElement,
    Measure,
    MeasureStatus,
    Plan,
    PlanMilestone,
    PublicYear,
    PublishedCase,
    PublishedStatus,
    PublishedStatusText,
    Responsibility,
    StatusText,
)


class MainElementInline(TabularInline):
    model = MainElement
    extra = 0
    fields = ["position", "title", "start", "starts_on"]


class MilestoneInline(TabularInline):
    model = PlanMilestone
    extra = 0
    fields = ["date", "title", "description"]


@admin.register(Plan)
class PlanAdmin(HistoryAdmin):
    list_display = [
        "name",
        "short_name",
        "period_label",
        "follow_up_label",
        "state",
        "initiative_count",
    ]
    list_filter = ["state"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["parties"]
    inlines = [MainElementInline, MilestoneInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "state", "predecessor"]}),
        (
            _("Period"),
            {"fields": ["start_year", "end_year", "permanent_from_year", "follow_up_until"]},
        ),
        (_("Agreement"), {"fields": ["adopted_on", "adoption", "parties", "funding", "source"]}),
        (_("Content"), {"fields": ["vision", "summary"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_initiatives=Count("initiatives"))

    @admin.display(description=_("period"), ordering="start_year")
    def period_label(self, obj):
        return obj.period_label

    @admin.display(description=_("followed up"), ordering="follow_up_until")
    def follow_up_label(self, obj):
        return obj.follow_up_label

    @admin.display(description=_("initiatives"), ordering="n_initiatives")
    def initiative_count(self, obj):
        return obj.n_initiatives


class ResponsibilityInline(TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ["organisation"]


class MeasureInline(TabularInline):
    model = Measure
    extra = 0
    fields = ["position", "number", "title", "economy", "indicator"]
    show_change_link = True


class FixedYearFormSet(BaseInlineFormSet):
    """An inline of a plan-year's rows: a row of a published year cannot be deleted (without
    a correction); the form says so instead of failing on save."""

    def clean(self):
        super().clean()
        for form in self.deleted_forms:  # their own errors would be ignored: the formset's
            if form.instance.pk and (message := form.instance.fixed_message(deleting=True)):
                raise ValidationError(message)


class FixedYearAdmin(HistoryAdmin):
    """The admin of a plan-year's rows: rows of a published year are listed as protected when
    someone tries to delete them, one by one or as a bulk action."""

    def get_deleted_objects(self, objs, request):
        deletable, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        fixed = [f"{obj}: {message}" for obj in objs if (message := obj.fixed_message(True))]
        return deletable, counts, perms_needed, [*protected, *fixed]


class CaseInline(StackedInline):
    model = Case
    formset = FixedYearFormSet
    extra = 0
    autocomplete_fields = ["organisation"]


class StatusTextInline(StackedInline):
    model = StatusText
    formset = FixedYearFormSet
    extra = 0


class CommentInline(TabularInline):
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
    inlines = [ResponsibilityInline, MeasureInline, StatusTextInline, CaseInline, CommentInline]
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


class FollowUpPeriod:
    """A plan's follow-up period, as YearWithinPlanFormSet asks for a period: statuses belong
    to the years the plan is followed up, which staff may extend past its budget period."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def year_outside_message(self, year: int) -> str | None:
        return self.plan.follow_up_message(year)


class StatusFormSet(FixedYearFormSet, YearWithinPlanFormSet):
    def plan(self):
        initiative = getattr(self.instance, "initiative", None)
        return FollowUpPeriod(initiative.plan) if initiative else None


class StatusInline(StackedInline):
    model = MeasureStatus
    formset = StatusFormSet
    extra = 0
    fields = [("year", "category"), "wording", "narrative", "source"]


@admin.register(Measure)
class MeasureAdmin(HistoryAdmin):
    list_display = ["__str__", "initiative", "economy"]
    list_filter = ["initiative__plan"]
    search_fields = ["title", "number", "initiative__title", "economy", "indicator"]
    list_select_related = ["initiative"]
    autocomplete_fields = ["initiative"]
    inlines = [StatusInline]


@admin.register(MeasureStatus)
class MeasureStatusAdmin(FixedYearAdmin):
    list_display = ["measure", "year", "category", "wording"]
    list_filter = ["year", "category", "measure__initiative__plan"]
    search_fields = ["wording", "narrative", "measure__title"]
    list_select_related = ["measure__initiative"]
    autocomplete_fields = ["measure"]


@admin.register(Case)
class CaseAdmin(FixedYearAdmin):
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


@admin.register(PublicYear)
class PublicYearAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """Which plan-years the public sees, and from when; set by publishing the year's report."""

    list_display = ["plan", "year", "public_from", "correction_opened_at"]
    list_filter = ["plan"]
    readonly_fields = [
        "plan",
        "year",
        "public_from",
        "correction_opened_at",
        "correction_opened_by",
        "changes",
    ]

    @admin.display(description=_("changes not yet published"))
    def changes(self, obj):
        return format_html_join(
            "", "<li>{}</li>", ((line,) for line in obj.unpublished_changes())
        ) or _("None")


class PublishedCopyAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """What the public sees of a published year: written only by publishing the year's report
    (or a correction of it)."""

    list_filter = ["year"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(PublishedStatus)
class PublishedStatusAdmin(PublishedCopyAdmin):
    list_display = ["measure", "year", "category", "wording"]
    list_select_related = ["measure"]


@admin.register(PublishedCase)
class PublishedCaseAdmin(PublishedCopyAdmin):
    list_display = ["label", "title", "initiative", "year"]
    list_select_related = ["initiative"]


@admin.register(PublishedStatusText)
class PublishedStatusTextAdmin(PublishedCopyAdmin):
    list_display = ["initiative", "year"]
    list_select_related = ["initiative"]


@admin.register(Finding)
class FindingAdmin(HistoryAdmin):
    """Disagreements in the sources that the portal records; the budget's own are computed."""

    list_display = ["code", "subject", "plan", "kind", "topic"]
    list_filter = ["plan", "kind", "topic"]
    search_fields = ["code", "subject", "stated", "other", "note"]
    list_select_related = ["plan"]
    autocomplete_fields = ["initiative"]
    readonly_fields = ["computed"]
    fields = [
        ("plan", "position"),
        "code",
        ("kind", "topic"),
        ("initiative", "target_number", "table_label"),
        "subject",
        ("stated", "stated_at"),
        ("other", "other_at"),
        "parts",
        "computed",
        "note",
    ]

    @admin.display(description=_("computed by the portal"))
    def computed(self, obj):
        return obj.computed or "–"
