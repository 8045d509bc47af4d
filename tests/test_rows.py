"""kraeftplan.rows: a short list read as JSON with the row it belongs to gives the instances
the ORM gives, field by field and type by type (dates, times, decimals and their places,
booleans, nulls), with the related rows it names; on SQLite and on PostgreSQL."""

from decimal import Decimal

import pytest
from django.db.models import OuterRef

from budget.models import BudgetAmount, BudgetLine, StatedFigure
from fixtures.generate import generate
from initiatives.models import (
    Initiative,
    MainElement,
    Measure,
    Plan,
    PlanMilestone,
    PublicYear,
    Responsibility,
)
from kraeftplan.rows import instances, json_rows

pytestmark = pytest.mark.django_db

# (the row's model, the list's model, the list's key to the row, related rows to read along)
LISTS = [
    (Plan, PublicYear, "plan", ["plan"]),  # date-times
    (Plan, PlanMilestone, "plan", []),  # dates, long text
    (Plan, MainElement, "plan", []),  # booleans
    (Plan, StatedFigure, "plan", []),  # decimals, nulls
    (BudgetLine, BudgetAmount, "line", ["line"]),  # decimals of whole and broken amounts
    (Initiative, Responsibility, "initiative", ["organisation"]),
    (Initiative, Measure, "initiative", []),
]


def _same(read, expected):
    """Every concrete field holds the same value of the same type (and decimal places)."""
    for field in expected._meta.concrete_fields:
        got, want = getattr(read, field.attname), getattr(expected, field.attname)
        assert type(got) is type(want) and got == want, (field.attname, got, want)
        if isinstance(want, Decimal):
            assert got.as_tuple().exponent == want.as_tuple().exponent, (field.attname, got)


@pytest.mark.parametrize(("model", "listed", "key", "related"), LISTS)
def test_each_list_is_read_as_the_orm_reads_it(model, listed, key, related):
    generate(1, prefix="rows")
    rows = model.objects.annotate(
        items=json_rows(listed.objects.filter(**{key: OuterRef("pk")}), key, related)
    ).order_by("pk")
    checked = 0
    for row in rows:
        read = instances(listed, row.items, order=["pk"])
        expected = list(listed.objects.filter(**{key: row.pk}).order_by("pk"))
        assert [item.pk for item in read] == [item.pk for item in expected]
        for got, want in zip(read, expected, strict=True):
            _same(got, want)
            for name in related:
                _same(getattr(got, name), getattr(want, name))
            checked += 1
    assert checked == listed.objects.count() > 0  # every item, once


def test_a_row_without_a_list_reads_an_empty_one():
    plan = Plan.objects.create(
        slug="tom", name="Tom", short_name="Tom", state="running", start_year=2030
    )
    row = Plan.objects.annotate(
        items=json_rows(PlanMilestone.objects.filter(plan=OuterRef("pk")), "plan")
    ).get(pk=plan.pk)
    assert row.items is None and instances(PlanMilestone, row.items) == []


def test_the_list_is_sorted_as_asked_since_the_database_keeps_no_order_in_it():
    plan = Plan.objects.get(slug="kraeftplan-v")
    row = Plan.objects.annotate(
        items=json_rows(PlanMilestone.objects.filter(plan=OuterRef("pk")), "plan")
    ).get(pk=plan.pk)
    read = instances(PlanMilestone, row.items, order=["date", "pk"])
    assert [m.pk for m in read] == [m.pk for m in plan.milestones.order_by("date", "pk")]
    assert len(read) == 4
