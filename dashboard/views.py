from typing import Any
from urllib.parse import urlencode

from django.db.models import OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext
from django.views.generic import TemplateView

from budget.checks import initiative_findings, plan_findings
from budget.models import BudgetAmount, BudgetLine
from initiatives.choices import InitiativeKind, StatusCategory
from initiatives.models import Finding as RecordedFinding
from initiatives.models import (
    Initiative,
    InitiativeComment,
    MainElement,
    Plan,
    PlanMilestone,
    PublishedCase,
    PublishedStatusText,
    Responsibility,
)
from initiatives.narratives import figures, parts
from initiatives.tables import status_html
from kraeftplan.charts import bar_chart
from kraeftplan.rows import instances, json_rows
from kraeftplan.views import crumbs
from targets.models import Indicator, NationalTarget
from targets.views import MEASUREMENTS, with_matrices

from .queries import (
    PLAN_PAGE_INITIATIVES,
    initiatives_for_plan_page,
    latest_status_counts,
    latest_status_year,
    money_per_year,
    plan_contents,
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
            plan.status_total = sum(counts.values())
            plan.contents = plan_contents(plan)
        funded = [plan for plan in plans if plan.money]
        money_chart = bar_chart(
            "kp-penge-pr-aar",
            years,
            {plan.short_name: [plan.money.get(year) for year in years] for plan in funded},
            title=_("Money per year by plan"),
            y_title=_("mio. kr."),
            danish=["series"],
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
                units=lambda count: npgettext("beside a figure", "measure", "measures", int(count)),
                danish=["series"],
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
            plan.contents = plan_contents(plan)
        successors = {plan.predecessor_id: plan for plan in plans if plan.predecessor_id}
        for plan in plans:
            plan.next_plan = successors.get(plan.pk)
        return super().get_context_data(plans=plans, crumbs=crumbs((_("Plans"), None)), **kwargs)


class PlanDetailView(TemplateView):
    """One plan: facts, budget summary, status counts, its initiatives by main element (at most
    PLAN_PAGE_INITIATIVES of each, with a link to all of them), targets, figures and findings,
    in a bounded number of queries and rows however large the plan is."""

    template_name = "dashboard/plan_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        successors = Plan.objects.filter(predecessor=OuterRef("pk")).order_by("start_year", "name")
        of_plan = {"plan": OuterRef("pk")}
        # The plan's short lists come with it, as JSON (kraeftplan.rows): one query for them all.
        plan: Any = get_object_or_404(
            Plan.objects.select_related("predecessor").annotate(
                successor_slug=Subquery(successors.values("slug")[:1]),
                successor_name=Subquery(successors.values("name")[:1]),
                status_year=latest_status_year(),
                party_rows=json_rows(
                    Plan.parties.through.objects.filter(**of_plan), "plan", ["organisation"]
                ),
                milestone_rows=json_rows(PlanMilestone.objects.filter(**of_plan), "plan"),
                element_rows=json_rows(MainElement.objects.filter(**of_plan), "plan"),
                target_rows=json_rows(NationalTarget.objects.filter(**of_plan), "plan"),
                figure_rows=json_rows(
                    Indicator.objects.filter(**of_plan, target=None, initiative=None), "plan"
                ),
            ),
            slug=kwargs.pop("slug"),
        )
        successor = (
            Plan(slug=plan.successor_slug, name=plan.successor_name)
            if plan.successor_slug
            else None
        )
        # Each initiative gains its status summary, each main element its initiatives.
        initiatives, continuing = initiatives_for_plan_page(plan, PLAN_PAGE_INITIATIVES)
        status_year, counts, wordings = status_counts_and_wordings(plan, initiatives)
        groups: dict[tuple[str, int | None], list[Any]] = {}
        for initiative in initiatives:
            initiative.status_summary = [
                status_html(*row) for row in wordings.get(initiative.pk, [])
            ]
            groups.setdefault((initiative.kind, initiative.main_element_id), []).append(initiative)
        elements: list[Any] = instances(MainElement, plan.element_rows, order=["position"])
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
        figures = instances(Indicator, plan.figure_rows, order=["position"])
        prefetch_related_objects(figures, MEASUREMENTS)  # no query when there are none
        parties = [row.organisation for row in instances(Plan.parties.through, plan.party_rows)]
        return super().get_context_data(
            plan=plan,
            successor=successor,
            parties=sorted(parties, key=lambda organisation: organisation.name),
            milestones=instances(PlanMilestone, plan.milestone_rows, order=["date", "pk"]),
            elements=elements,
            # Where the portal titled every main element, one note says so, not each heading.
            elements_named_by_portal=bool(elements)
            and all(element.named_by_portal for element in elements),
            has_initiatives=bool(initiatives),
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
            targets=instances(NationalTarget, plan.target_rows, order=["number"]),
            continuing=continuing[:PLAN_PAGE_INITIATIVES],
            more_continuing=len(continuing) > PLAN_PAGE_INITIATIVES,
            figures=with_matrices(figures),
            findings=plan_findings(plan),
            crumbs=crumbs(
                (_("Plans"), reverse("dashboard:plan_list")), (plan.short_name, None, "da")
            ),
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
    """One initiative: facts, measures with their public statuses, narratives, cases, budget
    lines with their findings, indicators and targets, in at most ten queries."""

    template_name = "dashboard/initiative_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The initiative's short lists come with it, as JSON (kraeftplan.rows).
        of_initiative = {"initiative": OuterRef("pk")}
        targeted = NationalTarget.initiatives.through.objects.filter(**of_initiative)
        annotated: Any = Initiative.objects.annotate(
            responsibility_rows=json_rows(
                Responsibility.objects.filter(**of_initiative), "initiative", ["organisation"]
            ),
            continued_as_rows=json_rows(
                Initiative.objects.filter(continued_from=OuterRef("pk")), "continued_from", ["plan"]
            ),
            comment_rows=json_rows(InitiativeComment.objects.filter(**of_initiative), "initiative"),
            target_rows=json_rows(targeted, "initiative", ["nationaltarget"]),
            finding_rows=json_rows(RecordedFinding.objects.filter(**of_initiative), "initiative"),
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
        plan = initiative.plan
        responsibilities = sorted(
            instances(Responsibility, initiative.responsibility_rows),
            key=lambda row: (row.role, row.organisation.name),
        )
        continued_as = instances(
            Initiative, initiative.continued_as_rows, order=["kind", "position"]
        )
        comments = instances(
            InitiativeComment, initiative.comment_rows, order=["made_on", "position"]
        )
        targets = sorted(
            (row.nationaltarget for row in instances(targeted.model, initiative.target_rows)),
            key=lambda target: target.number,
        )
        recorded = instances(RecordedFinding, initiative.finding_rows, order=["position"])
        for finding in recorded:
            finding.plan = plan
        # The initiative's lines, and the sub-lines of those lines that the findings check.
        # Each line gains its amounts in the order of the years (cells) for the template.
        fetched: list[Any] = list(
            BudgetLine.objects.filter(Q(initiative=initiative) | Q(parent__initiative=initiative))
            .select_related("parent")
            .prefetch_related(Prefetch("amounts", queryset=BudgetAmount.objects.order_by("year")))
            .order_by("position")
        )
        lines = [line for line in fetched if line.initiative_id == initiative.pk]
        for line in lines:
            line.sub_lines = [row for row in fetched if row.parent_id == line.pk]
        years = sorted({amount.year for line in lines for amount in line.amounts.all()})
        for line in lines:
            by_year = {amount.year: amount.amount for amount in line.amounts.all()}
            line.cells = [by_year.get(year) for year in years]
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
            responsibilities=responsibilities,
            lines=lines,
            findings=initiative_findings(initiative, lines, recorded),
            continued_as=continued_as,
            comments=comments,
            targets=targets,
            years=years,
            indicators=indicators,
            status_texts=status_texts,
            # The years whose status the page shows: each was published in that year's report,
            # where the initiative has a section of its own (#initiativ-<code>).
            report_years=sorted(
                {status.year for m in initiative.measures.all() for status in m.public_statuses}
                | {year for year, _parts in status_texts},
                reverse=True,
            ),
            crumbs=crumbs(
                (_("Initiatives"), reverse("initiatives:initiative_list")),
                (plan.short_name, plan.get_absolute_url(), "da"),
                (f"{initiative.number}. {initiative.title}", None, "da"),
            ),
            **kwargs,
        )
