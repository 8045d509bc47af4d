"""Consistency checks flag published slips and never change a figure."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from budget.checks import check_line, check_plan, lines_for_checks
from budget.models import BudgetAmount, BudgetLine, StatedFigure
from tests.conftest import make_line, make_plan

pytestmark = pytest.mark.django_db


def test_it_finds_the_hpv_slip_in_bilag_2_and_keeps_the_published_total(kp4):
    findings = check_plan(kp4)
    hpv = [f for f in findings if f.subject == "HPV-vaccination"]
    assert len(hpv) == 1
    assert (hpv[0].kind, hpv[0].stated, hpv[0].computed) == ("total", Decimal(5), Decimal("7.5"))
    assert BudgetLine.objects.get(label="HPV-vaccination").stated_total == Decimal(5)
    assert hpv[0].message() == "I alt er angivet til 5, men årene summerer til 7,5"


def test_it_compares_the_permanent_amount_stated_in_the_text_with_the_lines(kp4):
    (figure,) = [f for f in check_plan(kp4) if f.kind == "figure"]
    assert (figure.stated, figure.computed) == (Decimal(384), Decimal(388))


def test_rounded_figures_are_kept_but_not_compared(kp4):
    rounded = StatedFigure.objects.get(plan=kp4, text__startswith="Regionerne bliver løftet")
    assert rounded.amount == Decimal(250) and not rounded.checked
    assert all(f.subject != rounded.text for f in check_plan(kp4))


def test_jo_foer_jo_bedre_adds_up():
    from initiatives.models import Plan

    assert check_plan(Plan.objects.get(slug="jo-foer-jo-bedre")) == []


def test_it_reports_sub_lines_that_do_not_add_up_per_year_total_and_permanent():
    plan = make_plan()
    parent = make_line(plan, "Linje", {2030: "10", 2031: "5"}, total="15", permanent="4")
    make_line(plan, "Heraf a", {2030: "6", 2031: "5"}, parent=parent, total="11", permanent="1")
    make_line(plan, "Heraf b", {2030: "3"}, parent=parent, total="3", permanent="2")
    (line,) = [line for line in lines_for_checks(plan) if line.pk == parent.pk]
    kinds = {(f.kind, f.year): (f.stated, f.computed) for f in check_line(line)}
    assert kinds == {
        ("sublines_year", 2030): (Decimal(10), Decimal(9)),
        ("sublines_total", None): (Decimal(15), Decimal(14)),
        ("sublines_permanent", None): (Decimal(4), Decimal(3)),
    }


def test_a_consistent_budget_has_no_findings():
    plan = make_plan()
    parent = make_line(plan, "Linje", {2030: "1,5".replace(",", "."), 2031: "2"}, total="3.5")
    make_line(plan, "Heraf", {2030: "1.5", 2031: "2"}, parent=parent, total="3.5")
    assert check_plan(plan) == []


def test_checks_of_a_whole_plan_take_a_fixed_number_of_queries(kp4, django_assert_num_queries):
    # 1 lines (with sections), 2 their amounts, 3 their sub-lines, 4 the sub-lines' amounts,
    # 5 the checked stated figures.
    with django_assert_num_queries(5):
        check_plan(kp4)


def test_the_command_lists_every_finding_and_strict_fails():
    out = StringIO()
    call_command("budget_check", stdout=out)
    text = out.getvalue()
    assert "linjens I alt: 5; beregnet af portalen: 7,5" in text
    assert "teksten: 384; beregnet af portalen: 388" in text
    # The same list, by identifier, as the open data's.
    api = Client().get("/api/v1/findings/", {"limit": 500}).json()
    printed = [line.split(" · ")[0] for line in text.splitlines()[:-1]]
    assert printed == [row["id"] for row in api["results"]]
    assert f"{api['count']} afvigelse(r) i 3 plan(er)." in text
    with pytest.raises(CommandError, match="Budgetterne indeholder afvigelser"):
        call_command("budget_check", "kraeftplan-iv", "--strict", stdout=StringIO())
    call_command("budget_check", "jo-foer-jo-bedre", "--strict", stdout=StringIO())


def test_amounts_never_change_when_checked(kp4):
    before = list(BudgetAmount.objects.order_by("pk").values_list("amount", flat=True))
    check_plan(kp4)
    call_command("budget_check", stdout=StringIO())
    assert list(BudgetAmount.objects.order_by("pk").values_list("amount", flat=True)) == before
