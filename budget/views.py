from typing import Any

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from initiatives.choices import FindingTopic
from initiatives.models import Plan
from kraeftplan.charts import bar_chart
from kraeftplan.downloads import DOWNLOAD_PARAMETER, FORMATS, download, unknown_format_message
from kraeftplan.paging import page_of
from kraeftplan.tabular import LEVEL_COLUMN
from kraeftplan.views import crumbs

from .checks import SUM, plan_findings
from .exports import budget_table
from .models import BudgetAmount, BudgetLine, Recipient

# Top-level lines per page of the budget page, each with its Heraf lines; the downloads hold
# every line.
BUDGET_PAGE_LINES = 50


def lines_of_page(plan: Plan, offset: int, end: int) -> list[BudgetLine]:
    """The plan's top-level lines[offset:end] (in their published order) and their Heraf
    lines, each with its amounts, in two queries however long the budget is."""
    top = (
        BudgetLine.objects.filter(plan=plan, parent=None)
        .order_by("position", "pk")
        .values("pk")[offset:end]
    )
    return list(
        BudgetLine.objects.filter(Q(pk__in=top) | Q(parent__in=top))
        .select_related("section")
        .order_by("position", "pk")
        .prefetch_related(Prefetch("amounts", queryset=BudgetAmount.objects.order_by("year")))
    )


type MoneyByYear = dict[str, dict[int, Any]]  # {group label: {year: amount}}


def money_of_plan(plan: Plan) -> tuple[list[int], MoneyByYear, MoneyByYear]:
    """(every year of the budget, {main element: {year: amount}}, {recipient: {year:
    amount}}), summed in the database in one query of a row per kind of line and year.

    By main element: the top-level lines. By recipient: money is counted where the recipient is
    stated, never twice: a line with a stated recipient under a line without one, and lines
    without sub-lines where no recipient is stated."""
    rows = (
        BudgetAmount.objects.filter(line__plan=plan)
        .annotate(has_children=Exists(BudgetLine.objects.filter(parent=OuterRef("line"))))
        .order_by()
        .values(
            "year",
            "has_children",
            section=F("line__section__title"),
            recipient=F("line__recipient"),
            parent_recipient=F("line__parent__recipient"),
        )
        .annotate(total=Sum("amount", output_field=SUM), first=Min("line__position"))
    )
    by_section: MoneyByYear = {}
    by_recipient: MoneyByYear = {}
    firsts: dict[tuple[str, str], int] = {}
    years = set()

    def add(kind: str, groups: MoneyByYear, name: str, row: Any) -> None:
        totals = groups.setdefault(name, {})
        totals[row["year"]] = totals.get(row["year"], 0) + row["total"]
        firsts[kind, name] = min(firsts.get((kind, name), row["first"]), row["first"])

    for row in rows:
        years.add(row["year"])
        top = row["parent_recipient"] is None
        if top:
            add("section", by_section, row["section"] or plan.short_name, row)
        outer_unstated = top or row["parent_recipient"] == Recipient.UNSTATED
        stated_here = row["recipient"] != Recipient.UNSTATED and outer_unstated
        unstated_leaf = (
            row["recipient"] == Recipient.UNSTATED and not row["has_children"] and outer_unstated
        )
        if stated_here or unstated_leaf:
            add("recipient", by_recipient, str(Recipient(row["recipient"]).label), row)

    def in_order(kind: str, groups: MoneyByYear) -> MoneyByYear:
        # In the order the lines are published: by each group's first line.
        return dict(sorted(groups.items(), key=lambda item: firsts[kind, item[0]]))

    return sorted(years), in_order("section", by_section), in_order("recipient", by_recipient)


class BudgetView(TemplateView):
    """The budget in the published shape, with the consistency findings next to the numbers."""

    template_name = "budget/budget_detail.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get(DOWNLOAD_PARAMETER)
        if fmt in FORMATS:
            plan = get_object_or_404(Plan, slug=kwargs["plan_slug"])
            headers, rows = budget_table(plan).for_download(LEVEL_COLUMN)
            return download(fmt, _("Budget %(plan)s") % {"plan": plan.short_name}, headers, rows)
        if fmt is not None:
            context = self.get_context_data(**kwargs, format_error=unknown_format_message(fmt))
            return self.render_to_response(context, status=400)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        top_lines = BudgetLine.objects.filter(plan=OuterRef("pk"), parent=None)
        plan: Any = get_object_or_404(
            Plan.objects.annotate(
                top_lines=Coalesce(
                    Subquery(
                        top_lines.order_by().values("plan").annotate(n=Count("pk")).values("n")
                    ),
                    0,
                )
            ),
            slug=kwargs.pop("plan_slug"),
        )
        page = page_of(self.request, plan.top_lines, BUDGET_PAGE_LINES)
        lines = lines_of_page(plan, page.offset, page.end)
        years, by_section, by_recipient = money_of_plan(plan)
        table = budget_table(plan, lines, years)
        charts = {}
        if years:
            charts["section"] = bar_chart(
                "kp-budget-afsnit",
                years,
                {name: [values.get(y, 0) for y in years] for name, values in by_section.items()},
                stacked=True,
                title=_("Money per year by main element"),
                y_title=_("mio. kr."),
                danish=["series"],
            )
            charts["recipient"] = bar_chart(
                "kp-budget-modtager",
                years,
                {name: [values.get(y, 0) for y in years] for name, values in by_recipient.items()},
                stacked=True,
                title=_("Money per year by recipient"),
                y_title=_("mio. kr."),
            )
        return super().get_context_data(
            plan=plan,
            table=table,
            rows=table.as_dicts(),
            findings=[f for f in plan_findings(plan) if f.topic == FindingTopic.BUDGET],
            page=page,
            charts=charts,
            years=years,
            by_section=[
                (name, [values.get(y, 0) for y in years]) for name, values in by_section.items()
            ],
            by_recipient=[
                (name, [values.get(y, 0) for y in years]) for name, values in by_recipient.items()
            ],
            crumbs=crumbs(
                (_("Plans"), reverse("dashboard:plan_list")),
                (plan.short_name, plan.get_absolute_url(), "da"),
                (_("Budget"), None),
            ),
            **kwargs,
        )
