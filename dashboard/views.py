from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from budget.checks import initiative_findings, plan_findings
from budget.models import BudgetAmount, BudgetLine
from initiatives.choices import InitiativeKind, StatusCategory
from initiatives.models import (
    Initiative,
    InitiativeComment,
    MainElement,
    Plan,
    PublishedCase,
    PublishedStatusText,
)
from initiatives.narratives import figures, parts
from initiatives.tables import status_text
from kraeftplan.charts import bar_chart
from kraeftplan.views import crumbs
from targets.models import Indicator, NationalTarget
from targets.views import MEASUREMENTS, with_matrices

from .queries import (
    PLAN_PAGE_INITIATIVES,
    initiatives_for_plan_page,
    latest_status_counts,
    latest_status_year,
    money_per_year,
    plans_for_home,
    status_counts_and_wordings,
)


class HomeView(TemplateView):
    """The front page: each plan with period, stage, money per year and latest status counts."""

    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Each plan gains its money per year and its latest status counts for the template.
        plans: list[Any] = list(plans_for_home())
        money = money_per_year()
        statuses = latest_status_counts(plans)
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
        statuses = latest_status_counts(plans)
        for plan in plans:
            plan.status_year, counts = statuses.get(plan.pk, (None, {}))
            plan.status_rows = StatusCategory.rows(counts)
        successors = {plan.predecessor_id: plan for plan in plans if plan.predecessor_id}
        for plan in plans:
            plan.next_plan = successors.get(plan.pk)
        return super().get_context_data(plans=plans, **kwargs)


class PlanDetailView(TemplateView):
    """One plan: facts, budget summary, status counts, its initiatives by main element (at most
    PLAN_PAGE_INITIATIVES of each, with a link to all of them), targets, figures and findings,
    in a bounded number of queries and rows however large the plan is."""

    template_name = "dashboard/plan_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        successors = Plan.objects.filter(predecessor=OuterRef("pk")).order_by("start_year", "name")
        continuing = Initiative.objects.filter(plan=OuterRef("pk"), continues_after_plan=True)
        plan: Any = get_object_or_404(
            Plan.objects.select_related("predecessor")
            .prefetch_related("parties", "milestones")
            .annotate(
                successor_slug=Subquery(successors.values("slug")[:1]),
                successor_name=Subquery(successors.values("name")[:1]),
                has_continuing=Exists(continuing),
                status_year=latest_status_year(),
            ),
            slug=kwargs.pop("slug"),
        )
        successor = (
            Plan(slug=plan.successor_slug, name=plan.successor_name)
            if plan.successor_slug
            else None
        )
        # Each initiative gains its status summary, each main element its initiatives.
        initiatives = initiatives_for_plan_page(plan, PLAN_PAGE_INITIATIVES)
        status_year, counts, wordings = status_counts_and_wordings(plan, initiatives)
        groups: dict[tuple[str, int | None], list[Any]] = {}
        for initiative in initiatives:
            initiative.status_summary = [
                status_text(*row) for row in wordings.get(initiative.pk, [])
            ]
            groups.setdefault((initiative.kind, initiative.main_element_id), []).append(initiative)
        elements: list[Any] = list(MainElement.objects.filter(plan=plan).order_by("position"))
        for element in elements:
            element.initiative_list = groups.get((InitiativeKind.INITIATIVE, element.pk), [])
            element.initiative_count = _group_size(element.initiative_list)
            element.all_url = _initiative_list_url(plan, hovedelement=element.pk)

        def of_kind(kind: str) -> list[Any]:
            return [i for (k, _element), rows in groups.items() if k == kind for i in rows]

        recommendations = of_kind(InitiativeKind.RECOMMENDATION)
        prefetch_related_objects(recommendations, "comments")  # no query when there are none
        regional = of_kind(InitiativeKind.REGIONAL)
        loose = groups.get((InitiativeKind.INITIATIVE, None), [])
        money = money_per_year([plan]).get(plan.pk, {})
        # Few plans have any (a query only for those), and a page lists a bounded number.
        continuing_rows = (
            list(
                Initiative.objects.filter(plan=plan, continues_after_plan=True)
                .select_related("plan")
                .order_by("kind", "position")[: PLAN_PAGE_INITIATIVES + 1]
            )
            if plan.has_continuing
            else []
        )
        return super().get_context_data(
            plan=plan,
            successor=successor,
            elements=elements,
            loose_initiatives=loose,
            loose_count=_group_size(loose),
            recommendations=recommendations,
            recommendation_count=_kind_size(groups, InitiativeKind.RECOMMENDATION),
            regional=regional,
            regional_count=_kind_size(groups, InitiativeKind.REGIONAL),
            initiatives_url=_initiative_list_url(plan),
            status_year=status_year,
            status_rows=StatusCategory.rows(counts),
            money=sorted(money.items()),
            money_total=sum(money.values()) if money else None,
            targets=NationalTarget.objects.filter(plan=plan).order_by("number"),
            continuing=continuing_rows[:PLAN_PAGE_INITIATIVES],
            more_continuing=len(continuing_rows) > PLAN_PAGE_INITIATIVES,
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


def _group_size(rows: list[Any]) -> int:
    """How many initiatives the group of these (first few) rows has in all."""
    return rows[0].group_size if rows else 0


def _kind_size(groups: dict[tuple[str, int | None], list[Any]], kind: str) -> int:
    return sum(_group_size(rows) for (k, _element), rows in groups.items() if k == kind)


def _initiative_list_url(plan: Plan, **filters: object) -> str:
    """/initiativer/ filtered to the plan (and the given filters): where every initiative of a
    group the plan page shortens can be read."""
    return f"{reverse('initiatives:initiative_list')}?{urlencode({'plan': plan.slug, **filters})}"


class InitiativeDetailView(TemplateView):
    template_name = "dashboard/initiative_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Lists most initiatives lack are read only when there is something to read.
        targeted = NationalTarget.initiatives.through.objects.filter(initiative=OuterRef("pk"))
        annotated: Any = Initiative.objects.annotate(
            has_continued_as=Exists(Initiative.objects.filter(continued_from=OuterRef("pk"))),
            has_comments=Exists(InitiativeComment.objects.filter(initiative=OuterRef("pk"))),
            has_targets=Exists(targeted),
        )
        initiative: Any = get_object_or_404(
            annotated.with_public_statuses()
            .select_related("continued_from__plan")
            .prefetch_related(
                Prefetch(
                    "published_cases",
                    queryset=PublishedCase.objects.public().select_related("organisation"),
                ),
                Prefetch(
                    "published_status_texts",
                    queryset=PublishedStatusText.objects.public().order_by("year"),
                ),
            ),
            plan__slug=kwargs.pop("plan_slug"),
            code=kwargs.pop("code"),
        )
        continued_as = (
            list(initiative.continued_as.select_related("plan"))
            if initiative.has_continued_as
            else []
        )
        comments = list(initiative.comments.all()) if initiative.has_comments else []
        targets = list(initiative.targets.order_by("number")) if initiative.has_targets else []
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
            findings=initiative_findings(initiative, sorted(line_ids)),
            continued_as=continued_as,
            comments=comments,
            targets=targets,
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
