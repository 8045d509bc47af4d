"""Read logic for the public overview pages: money per year and status counts, a query each."""

from collections import defaultdict

from django.db.models import Count, Sum

from budget.models import BudgetAmount

from .choices import StatusCategory
from .models import MeasureStatus


def status_rows(counts):
    """[(label, count)] in the vocabulary's order, for a {category: count} mapping."""
    return [(label, counts[value]) for value, label in StatusCategory.choices if counts.get(value)]


def money_per_year(plans=None):
    """{plan_id: {year: sum of the published amounts of the plan's top-level lines}}."""
    rows = BudgetAmount.objects.filter(line__parent__isnull=True)
    if plans is not None:
        rows = rows.filter(line__plan__in=plans)
    result = defaultdict(dict)
    for row in rows.values("line__plan", "year").annotate(total=Sum("amount")).order_by("year"):
        result[row["line__plan"]][row["year"]] = row["total"]
    return result


def latest_status_counts(plans=None):
    """{plan_id: (year, {category: count})} for each plan's latest year with public statuses."""
    rows = MeasureStatus.objects.public()
    if plans is not None:
        rows = rows.filter(measure__initiative__plan__in=plans)
    per_plan = defaultdict(lambda: defaultdict(dict))
    for row in rows.values("measure__initiative__plan", "year", "category").annotate(n=Count("pk")):
        per_plan[row["measure__initiative__plan"]][row["year"]][row["category"]] = row["n"]
    return {plan: (max(years), years[max(years)]) for plan, years in per_plan.items()}
