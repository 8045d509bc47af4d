"""Read logic for the public overview pages: money per year and status counts, a query each."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import ngettext

from budget.models import BudgetAmount
from initiatives.choices import InitiativeKind
from initiatives.models import Initiative, MainElement, Measure, Plan, PublicYear, PublishedStatus
from kraeftplan.formatting import format_number


def latest_status_year() -> Subquery:
    """A subquery for annotating plans: the plan's latest public year with public statuses
    (NULL if none), read from the public years and an index lookup each, not by counting every
    status of every year."""
    with_statuses = PublishedStatus.objects.filter(
        measure__initiative__plan=OuterRef("plan"), year=OuterRef("year")
    )
    return Subquery(
        PublicYear.objects.current()
        .filter(plan=OuterRef("pk"))
        .filter(Exists(with_statuses))
        .order_by("-year")
        .values("year")[:1]
    )


def _count(rows: QuerySet[Any], by: str) -> Coalesce:
    """A subquery for annotating plans: how many of the rows (filtered on the plan through
    `by`) there are."""
    counted = rows.filter(**{by: OuterRef("pk")}).order_by().values(by).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


def plans_for_home() -> QuerySet[Plan]:
    """Plans with the sum of their published yearly amounts (budget_total), their latest year
    with public statuses (status_year) and what they are made of, each counted as what it is:
    element_count; n_initiative, n_recommendation and n_regional, the initiatives of each kind;
    measure_count, the measures of the initiatives, which statuses are counted in. Each is a
    correlated subquery: one query however much data there is."""
    of_kind = {
        f"n_{kind}": _count(Initiative.objects.filter(kind=kind), "plan")
        for kind in InitiativeKind.values
    }
    return Plan.objects.for_home().annotate(
        budget_total=BudgetAmount.objects.plan_total(OuterRef("pk")),
        status_year=latest_status_year(),
        element_count=_count(MainElement.objects.all(), "plan"),
        measure_count=_count(
            Measure.objects.filter(initiative__kind=InitiativeKind.INITIATIVE),
            "initiative__plan",
        ),
        **of_kind,
    )


def plan_contents(plan: Any) -> list[str]:
    """What a plan of plans_for_home() is made of, each count with its own noun ("16
    initiatives with 25 measures", "9 draft recommendations"), for the pages that list plans
    beside each other: initiatives, measures, recommendations and elements are not the same
    thing and are never added up."""
    parts = []
    if plan.element_count:
        parts.append(
            ngettext("%(n)s main element", "%(n)s main elements", plan.element_count)
            % {"n": format_number(plan.element_count)}
        )
    if plan.n_initiative:
        initiatives = ngettext("%(n)s initiative", "%(n)s initiatives", plan.n_initiative) % {
            "n": format_number(plan.n_initiative)
        }
        measures = ngettext("with %(n)s measure", "with %(n)s measures", plan.measure_count) % {
            "n": format_number(plan.measure_count)
        }
        parts.append(f"{initiatives} {measures}")
    if plan.n_recommendation:
        parts.append(
            ngettext(
                "%(n)s draft recommendation",
                "%(n)s draft recommendations",
                plan.n_recommendation,
            )
            % {"n": format_number(plan.n_recommendation)}
        )
    if plan.n_regional:
        parts.append(
            ngettext("%(n)s regional initiative", "%(n)s regional initiatives", plan.n_regional)
            % {"n": format_number(plan.n_regional)}
        )
    return parts


def money_per_year(plans: Iterable[Plan] | None = None) -> dict[int, dict[int, Decimal]]:
    """{plan_id: {year: sum of the published amounts of the plan's top-level lines}}."""
    rows = BudgetAmount.objects.filter(line__parent__isnull=True)
    if plans is not None:
        rows = rows.filter(line__plan__in=plans)
    result: defaultdict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in rows.values("line__plan", "year").annotate(total=Sum("amount")).order_by("year"):
        result[row["line__plan"]][row["year"]] = row["total"]
    return result


def latest_status_counts(plans: Iterable[Any]) -> dict[int, tuple[int, dict[str, int]]]:
    """{plan_id: (year, {category: count})} for each plan's latest year with public statuses;
    the plans carry that year as .status_year (latest_status_year()). One query, which reaches
    the statuses of those years through the plans' measures by index rather than counting every
    status of every year."""
    years = {plan.pk: plan.status_year for plan in plans if plan.status_year}
    if not years:
        return {}
    counts = (
        PublishedStatus.objects.filter(
            measure__initiative__plan__in=list(years), year__in=set(years.values())
        )
        .public()
        .category_counts("measure__initiative__plan", "year")
    )
    return {plan: (year, counts.get((plan, year), {})) for plan, year in years.items()}


# The plan page lists at most this many initiatives of each main element (and of each other
# group: recommendations, regional initiatives, initiatives without a main element); the rest
# are one link away in /initiativer/, filtered to the group, which says how many there are.
PLAN_PAGE_INITIATIVES = 25


def initiatives_for_plan_page(
    plan: Plan, per_group: int = PLAN_PAGE_INITIATIVES
) -> tuple[list[Any], list[Any]]:
    """(the first `per_group` initiatives of each group of the plan (kind and main element) in
    their published order, each with .group_size (how many its group has in all); the first
    `per_group` + 1 initiatives that continue after the plan period, by kind and position), in
    one query however many initiatives the plan has."""
    group = [F("kind"), F("main_element")]
    rows: list[Any] = list(
        Initiative.objects.filter(plan=plan)
        .annotate(
            rank=Window(RowNumber(), partition_by=group, order_by=[F("position"), F("pk")]),
            group_size=Window(Count("pk"), partition_by=group),
            continuing_rank=Window(
                RowNumber(),
                partition_by=[F("continues_after_plan")],
                order_by=[F("kind"), F("position"), F("pk")],
            ),
        )
        .filter(
            Q(rank__lte=per_group)
            | Q(continues_after_plan=True, continuing_rank__lte=per_group + 1)
        )
        .order_by("kind", "position", "pk")
    )
    for initiative in rows:
        initiative.plan = plan  # for get_absolute_url, without a query
    listed = [initiative for initiative in rows if initiative.rank <= per_group]
    continuing = [
        initiative
        for initiative in rows
        if initiative.continues_after_plan and initiative.continuing_rank <= per_group + 1
    ]
    return listed, continuing


def status_counts_and_wordings(
    plan: Any, initiatives: Iterable[Initiative]
) -> tuple[int | None, dict[str, int], dict[int, list[tuple[str, str, int]]]]:
    """(the plan's latest year with public statuses (its .status_year, see
    latest_status_year()), {category: count} over the plan's measures in that year,
    {initiative id: [(wording, category label, n)]} for the given initiatives), in one query:
    the wordings of all the plan's initiatives that year, which the counts are summed from."""
    status_year = plan.status_year
    if not status_year:
        return None, {}, {}
    wordings, counts = (
        PublishedStatus.objects.public()
        .filter(year=status_year, measure__initiative__plan=plan)
        .wordings_and_counts("measure__initiative")
    )
    listed = {initiative.pk for initiative in initiatives}
    return status_year, counts, {pk: rows for pk, rows in wordings.items() if pk in listed}
