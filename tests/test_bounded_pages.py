"""Bounded work per request (#14): the budget's findings are summed in the database, and every
public page at the generated scale stays small, says how many items there are in all and links
to the rest."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget.checks import budget_findings, check_plan
from budget.models import BudgetLine, Recipient, StatedFigure
from fixtures.generate import generate, public_pages
from initiatives.models import Plan
from tests.conftest import make_line, make_plan

pytestmark = pytest.mark.django_db


def _figure(plan, position, amount, scope, year=None, recipient=Recipient.UNSTATED):
    return StatedFigure.objects.create(
        plan=plan,
        position=position,
        text=f"Figure {position}",
        amount=Decimal(amount),
        scope=scope,
        year=year,
        recipient=recipient,
        checked=True,
    )


def _slipping_plan():
    """A plan with a slip of every kind the checks know, and lines that add up beside them."""
    plan = make_plan()
    # Sub-lines that miss the line in 2030, have a year the line lacks (2032) and a year only
    # the line has (2033); totals and permanent amounts that do not add up either.
    parent = make_line(
        plan, "Linje", {2030: "10", 2031: "5", 2033: "0.3"}, total="15", permanent="4"
    )
    BudgetLine.objects.filter(pk=parent.pk).update(recipient=Recipient.REGIONS)
    make_line(plan, "Heraf a", {2030: "6", 2031: "5"}, parent=parent, total="11", permanent="1")
    make_line(plan, "Heraf b", {2030: "3", 2032: "0.1"}, parent=parent, total="3", permanent="2")
    # A line whose years do not add up to its stated total, and two that do (0,1 + 0,2 = 0,3:
    # a float sum would not).
    make_line(plan, "Skævt I alt", {2030: "1.1", 2031: "2.2"}, total="3.4")
    make_line(plan, "Rigtigt", {2030: "0.1", 2031: "0.2"}, total="0.3", permanent="7")
    make_line(plan, "Uden beløb", {}, total="9")
    _figure(plan, 1, "100", StatedFigure.Scope.PERIOD_TOTAL)
    _figure(plan, 2, "11.4", StatedFigure.Scope.YEAR, year=2030)
    _figure(plan, 3, "11", StatedFigure.Scope.PERMANENT)
    _figure(plan, 4, "9", StatedFigure.Scope.YEAR, year=2030, recipient=Recipient.REGIONS)
    _figure(plan, 5, "15.3", StatedFigure.Scope.PERIOD_TOTAL, recipient=Recipient.REGIONS)
    return plan


def test_the_database_finds_every_slip_the_python_checks_find_with_the_same_figures():
    plan = _slipping_plan()
    expected = check_plan(plan)
    kinds = sorted({(f.kind, f.year) for f in expected}, key=str)
    # The plan really has a slip of each kind, so that the comparison below means something.
    assert kinds == sorted(
        [
            ("total", None),
            ("sublines_year", 2030),
            ("sublines_year", 2032),
            ("sublines_year", 2033),
            ("sublines_total", None),
            ("sublines_permanent", None),
            ("plan_total", None),
            ("figure", None),
        ],
        key=str,
    )
    assert len([f for f in expected if f.kind == "figure"]) == 3  # 3 and 5 add up
    assert budget_findings([plan])[plan.pk] == expected


def test_the_database_agrees_with_the_python_checks_on_every_seeded_and_generated_plan():
    generate(1, prefix="fund")
    plans = list(Plan.objects.order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        found = budget_findings(plans)
    assert len(queries) == 3  # stated figures, lines with their sums, differing years
    assert sum(len(each) for each in found.values()) > 0  # Kræftplan IV's slips
    for plan in plans:
        assert found[plan.pk] == check_plan(plan), plan.slug


BOUND = 200 * 1024  # bytes: no public HTML page at the generated scale is larger
