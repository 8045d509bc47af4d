"""Read logic for the public overview pages: money per year and status counts, a query each."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from budget.models import BudgetAmount
from initiatives.models import Initiative, Plan, PublishedStatus


def plans_for_home() -> QuerySet[Plan]:
    """Plans with their number of initiatives and the sum of their published yearly amounts
    (budget_total), both correlated subqueries: one query however much data there is."""
    return Plan.objects.for_home().annotate(
        budget_total=BudgetAmount.objects.plan_total(OuterRef("pk"))
    )


def money_per_year(plans: Iterable[Plan] | None = None) -> dict[int, dict[int, Decimal]]:
    """{plan_id: {year: sum of the published amounts of the plan's top-level lines}}."""
    rows = BudgetAmount.objects.filter(line__parent__isnull=True)
    if plans is not None:
        rows = rows.filter(line__plan__in=plans)
    result: defaultdict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in rows.values("line__plan", "year").annotate(total=Sum("amount")).order_by("year"):
        result[row["line__plan"]][row["year"]] = row["total"]
    return result


def latest_status_counts(
    plans: Iterable[Plan] | None = None,
) -> dict[int, tuple[int, dict[str, int]]]:
    """{plan_id: (year, {category: count})} for each plan's latest year with public statuses."""
    statuses = PublishedStatus.objects.public()
    if plans is not None:
        statuses = statuses.filter(measure__initiative__plan__in=plans)
    per_plan: defaultdict[int, dict[int, dict[str, int]]] = defaultdict(dict)
    for (plan, year), counts in statuses.category_counts(
        "measure__initiative__plan", "year"
    ).items():
        per_plan[plan][year] = counts
    return {plan: (max(years), years[max(years)]) for plan, years in per_plan.items()}


# The plan page lists at most this many initiatives of each main element (and of each other
# group: recommendations, regional initiatives, initiatives without a main element); the rest
# are one link away in /initiativer/, filtered to the group, which says how many there are.
PLAN_PAGE_INITIATIVES = 25


def initiatives_for_plan_page(plan: Plan, per_group: int = PLAN_PAGE_INITIATIVES) -> list[Any]:
    """The first `per_group` initiatives of each group of the plan (kind and main element) in
    their published order, each with .group_size (how many its group has in all), in one query
    however many initiatives the plan has."""
    group = [F("kind"), F("main_element")]
    rows: list[Any] = list(
        Initiative.objects.filter(plan=plan)
        .annotate(
            rank=Window(RowNumber(), partition_by=group, order_by=[F("position"), F("pk")]),
            group_size=Window(Count("pk"), partition_by=group),
        )
        .filter(rank__lte=per_group)
        .order_by("kind", "position", "pk")
    )
    for initiative in rows:
        initiative.plan = plan  # for get_absolute_url, without a query
    return rows


def status_counts_and_wordings(
    plan: Plan, initiatives: Iterable[Initiative]
) -> tuple[int | None, dict[str, int], dict[int, list[tuple[str, str, int]]]]:
    """(latest public year, {category: count} over the plan's measures in that year,
    {initiative id: [(wording, category label, n)]} for the given initiatives): one query for
    the counts of every year, one for the wordings."""
    status_year, counts = latest_status_counts([plan]).get(plan.pk, (None, {}))
    wordings = (
        PublishedStatus.objects.public()
        .filter(year=status_year, measure__initiative__in=[i.pk for i in initiatives])
        .wordings("measure__initiative")
        if status_year
        else {}
    )
    return status_year, counts, wordings
