from typing import Any

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from budget.checks import plan_findings
from budget.models import BudgetAmount, BudgetLine
from initiatives.choices import InitiativeKind, StatusCategory
from initiatives.models import (
    Initiative,
    MainElement,
    Plan,
    PublishedCase,
    PublishedStatus,
    PublishedStatusText,
)
from initiatives.narratives import figures, parts
from initiatives.tables import status_text
from kraeftplan.charts import bar_chart
from kraeftplan.views import crumbs
from targets.models import Indicator, NationalTarget
from targets.views import MEASUREMENTS, with_matrices

from .queries import (
    latest_status_counts,
    money_per_year,
    plans_for_home,
)


class HomeView(TemplateView):
    """The front page: each plan with period, stage, money per year and latest status counts."""

    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Each plan gains its money per year and its latest status counts for the template.
        plans: list[Any] = list(plans_for_home())
        money = money_per_year()
        statuses = latest_status_counts()
        years = sorted({year for per_plan in money.values() for year in per_plan})
        for plan in plans:
            plan.money = money.get(plan.pk, {})
            plan.status_year, counts = statuses.get(plan.pk, (None, {}))
            plan.status_rows = StatusCategory.rows(counts)
        funded = [plan for plan in plans if plan.money]
        money_chart = bar_chart(
            "kp-penge-pr-aar",
            years,
            {plan.short_name: [plan.money.get(year) for year in years] for plan in funded},
            title=_("Money per year by plan"),
            y_title=_("mio. kr."),
        )
        with_status = [plan for plan in plans if plan.status_rows]
        labels = [label for _value, label in StatusCategory.choices]
        status_chart = None
        if with_status:
            status_chart = bar_chart(
                "kp-status",
                labels,
                {
                    f"{plan.short_name} ({plan.status_year})": [
                        dict(plan.status_rows).get(label, 0) for label in labels
                    ]
                    for plan in with_status
                },
                title=_("Measures by status in each plan's latest published year"),
                y_title=_("measures"),
            )
        return super().get_context_data(
            plans=plans, years=years, money_chart=money_chart, status_chart=status_chart, **kwargs
        )


class PlanListView(TemplateView):
    """The plans side by side: period, money, initiatives, status distribution, lineage."""

    template_name = "dashboard/plan_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Each plan gains its latest status counts and its successor for the template.
        plans: list[Any] = list(plans_for_home().select_related("predecessor"))
        statuses = latest_status_counts()
        for plan in plans:
            plan.status_year, counts = statuses.get(plan.pk, (None, {}))
            plan.status_rows = StatusCategory.rows(counts)
        successors = {plan.predecessor_id: plan for plan in plans if plan.predecessor_id}
        for plan in plans:
            plan.next_plan = successors.get(plan.pk)
        return super().get_context_data(plans=plans, **kwargs)


class PlanDetailView(TemplateView):
    template_name = "dashboard/plan_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        plan = get_object_or_404(
            Plan.objects.select_related("predecessor").prefetch_related("parties", "milestones"),
            slug=kwargs.pop("slug"),
        )
        # Each initiative gains its status summary, each main element its initiatives.
        initiatives: list[Any] = list(
            Initiative.objects.filter(plan=plan)
            .with_public_statuses()
            .prefetch_related("comments")
            .order_by("kind", "position")
        )
        status_year, counts = latest_status_counts([plan]).get(plan.pk, (None, {}))
        wordings = (
            PublishedStatus.objects.public()
            .filter(measure__initiative__plan=plan, year=status_year)
            .wordings("measure__initiative")
            if status_year
            else {}
        )
        elements: list[Any] = list(MainElement.objects.filter(plan=plan).order_by("position"))
        for element in elements:
            element.initiative_list = [
                i
                for i in initiatives
                if i.main_element_id == element.pk and i.kind == InitiativeKind.INITIATIVE
            ]
        for initiative in initiatives:
            initiative.status_summary = [
                status_text(*row) for row in wordings.get(initiative.pk, [])
            ]
        money = money_per_year([plan]).get(plan.pk, {})
        return super().get_context_data(
            plan=plan,
            successor=Plan.objects.filter(predecessor=plan).first(),
            elements=elements,
            loose_initiatives=[
                i
                for i in initiatives
                if i.main_element_id is None and i.kind == InitiativeKind.INITIATIVE
            ],
            recommendations=[i for i in initiatives if i.kind == InitiativeKind.RECOMMENDATION],
            regional=[i for i in initiatives if i.kind == InitiativeKind.REGIONAL],
            status_year=status_year,
            status_rows=StatusCategory.rows(counts),
            money=sorted(money.items()),
            money_total=sum(money.values()) if money else None,
            targets=NationalTarget.objects.filter(plan=plan).order_by("number"),
            continuing=[i for i in initiatives if i.continues_after_plan],
            figures=with_matrices(
                list(
                    Indicator.objects.filter(plan=plan, target=None, initiative=None)
                    .prefetch_related(MEASUREMENTS)
                    .order_by("position")
                )
            ),
            findings=plan_findings(plan),
            crumbs=crumbs((_("Plans"), reverse("dashboard:plan_list")), (plan.short_name, None)),
            **kwargs,
        )


class InitiativeDetailView(TemplateView):
    template_name = "dashboard/initiative_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        initiative = get_object_or_404(
            Initiative.objects.with_public_statuses()
            .select_related("continued_from__plan")
            .prefetch_related(
                Prefetch("continued_as", queryset=Initiative.objects.select_related("plan")),
                Prefetch(
                    "published_cases",
                    queryset=PublishedCase.objects.public().select_related("organisation"),
                ),
                Prefetch(
                    "published_status_texts",
                    queryset=PublishedStatusText.objects.public().order_by("year"),
                ),
                "comments",
                Prefetch("targets", queryset=NationalTarget.objects.order_by("number")),
            ),
            plan__slug=kwargs.pop("plan_slug"),
            code=kwargs.pop("code"),
        )
        # Each line gains its amounts in the order of the years (cells) for the template.
        lines: list[Any] = list(
            BudgetLine.objects.filter(initiative=initiative)
            .select_related("parent")
            .prefetch_related(Prefetch("amounts", queryset=BudgetAmount.objects.order_by("year")))
            .order_by("position")
        )
        years = sorted({amount.year for line in lines for amount in line.amounts.all()})
        for line in lines:
            by_year = {amount.year: amount.amount for amount in line.amounts.all()}
            line.cells = [by_year.get(year) for year in years]
        plan = initiative.plan
        line_ids = {line.pk for line in lines}
        indicators = with_matrices(
            list(initiative.indicators.select_related("target").prefetch_related(MEASUREMENTS))
        )
        # Narratives as parts: a case or table they place becomes a link to it further down.
        tables = figures(indicators)

        def narrative_parts(text: str, year: int) -> list[Any]:
            cases = {c.label: c for c in initiative.published_cases.all() if c.year == year}
            return parts(text, cases, tables)

        status_texts = [
            (text.year, narrative_parts(text.text, text.year))
            for text in initiative.published_status_texts.all()
        ]
        measure: Any  # gains .latest and .narrative_parts for the template
        for measure in initiative.measures.all():
            measure.latest = measure.public_statuses[-1] if measure.public_statuses else None
            measure.narrative_parts = (
                narrative_parts(measure.latest.narrative, measure.latest.year)
                if measure.latest
                else []
            )
        return super().get_context_data(
            initiative=initiative,
            plan=plan,
            lines=lines,
            findings=[
                finding
                for finding in plan_findings(plan)
                if finding.initiative_id == initiative.pk or finding.line_id in line_ids
            ],
            years=years,
            indicators=indicators,
            status_texts=status_texts,
            crumbs=crumbs(
                (_("Initiatives"), reverse("initiatives:initiative_list")),
                (plan.short_name, plan.get_absolute_url()),
                (f"{initiative.number}. {initiative.title}", None),
            ),
            **kwargs,
        )
