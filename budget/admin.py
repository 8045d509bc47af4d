from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from initiatives.admin import PlanAdmin
from initiatives.models import Plan
from kraeftplan.admin_base import HistoryAdmin, TabularInline, YearWithinPlanFormSet
from kraeftplan.formatting import format_money

from .checks import check_line, check_plan
from .models import BudgetAmount, BudgetLine, StatedFigure


def render_findings(findings):
    if not findings:
        return format_html('<span class="kp-ok">{}</span>', _("No differences found."))
    return format_html(
        '<ul class="kp-findings">{}</ul>',
        format_html_join(
            "", "<li><strong>{}</strong>: {}</li>", ((f.subject, f.message()) for f in findings)
        ),
    )


class AmountFormSet(YearWithinPlanFormSet):
    def plan(self):
        return getattr(self.instance, "plan", None)


class AmountInline(TabularInline):
    model = BudgetAmount
    formset = AmountFormSet
    extra = 0
    fields = ["year", "amount"]


class FindingFilter(admin.SimpleListFilter):
    title = _("consistency")
    parameter_name = "afstemning"

    def lookups(self, request, model_admin):
        return [("afvigelse", _("With differences")), ("ok", _("Without differences"))]

    def queryset(self, request, queryset):
        if self.value() not in {"afvigelse", "ok"}:
            return queryset
        wanted = self.value() == "afvigelse"
        ids = [line.pk for line in queryset if bool(check_line(line)) == wanted]
        return queryset.filter(pk__in=ids)


@admin.register(BudgetLine)
class BudgetLineAdmin(HistoryAdmin):
    list_display = [
        "label",
        "plan_name",
        "recipient",
        "amounts_by_year",
        "stated_total_display",
        "permanent_display",
        "consistency",
    ]
    list_filter = ["plan", "recipient", "section", FindingFilter]
    search_fields = ["label", "note", "initiative__title"]
    autocomplete_fields = ["parent", "initiative", "measure"]
    readonly_fields = ["findings"]
    inlines = [AmountInline]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["plan", "section", "parent", "position", "label"]}),
        (_("Links"), {"fields": ["initiative", "measure", "recipient"]}),
        (
            _("Totals as published"),
            {"fields": ["stated_total", "permanent_amount", "permanent_from_year"]},
        ),
        (None, {"fields": ["note", "findings"]}),
    ]

    def get_queryset(self, request):
        amounts = Prefetch("amounts", queryset=BudgetAmount.objects.order_by("year"))
        return (
            super()
            .get_queryset(request)
            .select_related("plan", "section")
            .prefetch_related(
                amounts, Prefetch("children", queryset=BudgetLine.objects.prefetch_related(amounts))
            )
        )

    @admin.display(description=_("plan"), ordering="plan__start_year")
    def plan_name(self, obj):
        return obj.plan.short_name

    @admin.display(description=_("yearly amounts (mio. kr.)"))
    def amounts_by_year(self, obj):
        return ", ".join(f"{a.year}: {format_money(a.amount)}" for a in obj.amounts.all())

    @admin.display(description=_("I alt"), ordering="stated_total")
    def stated_total_display(self, obj):
        return format_money(obj.stated_total) if obj.stated_total is not None else "–"

    @admin.display(description=_("permanent"))
    def permanent_display(self, obj):
        if obj.permanent_amount is None:
            return "–"
        return f"{format_money(obj.permanent_amount)} ({obj.permanent_from_year}–)"

    @admin.display(description=_("consistency"))
    def consistency(self, obj):
        findings = check_line(obj)
        if not findings:
            return format_html('<span title="{}">✓</span>', _("No differences found."))
        return format_html(
            '<span class="kp-flag" title="{}">⚠ {}</span>',
            "; ".join(f.message() for f in findings),
            _("Difference"),
        )

    @admin.display(description=_("consistency findings"))
    def findings(self, obj):
        if not obj.pk:
            return "–"
        return render_findings(check_line(obj, obj.plan.name))


@admin.register(StatedFigure)
class StatedFigureAdmin(HistoryAdmin):
    list_display = ["text", "plan", "amount", "scope", "recipient", "checked"]
    list_filter = ["plan", "scope", "checked"]
    search_fields = ["text"]


class PlanWithBudgetAdmin(PlanAdmin):
    """The plan's admin page with the budget's consistency findings: initiatives knows nothing
    of budgets, so the budget app extends the plan's page rather than the other way round."""

    readonly_fields = [*PlanAdmin.readonly_fields, "budget_findings"]
    fieldsets = [*PlanAdmin.fieldsets, (_("Budget consistency"), {"fields": ["budget_findings"]})]

    @admin.display(description=_("findings"))
    def budget_findings(self, obj):
        return render_findings(check_plan(obj)) if obj.pk else "–"


admin.site.unregister(Plan)
admin.site.register(Plan, PlanWithBudgetAdmin)
