"""Read logic for the public overview pages: money per year and status counts, a query each."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Sum

from budget.models import BudgetAmount
from initiatives.models import Plan, PublishedStatus


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
