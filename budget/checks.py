"""Consistency checks for published budgets.

Published documents contain arithmetic slips. The portal keeps every figure as published and
reports where a stated total, a line's sub-lines or a stated overall figure disagree with what
the published yearly amounts add up to. Nothing here ever changes a figure.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from kraeftplan.formatting import format_money

from .models import BudgetAmount, BudgetLine, Recipient, StatedFigure


@dataclass(frozen=True)
class Finding:
    """One disagreement between a figure as published and the sum it should equal."""

    plan: str
    subject: str
    kind: str
    stated: Decimal
    computed: Decimal
    year: int | None = None
    line_id: int | None = None

    KINDS = {
        "total": "stated total (I alt) differs from the sum of the years",
        "sublines_year": "the sub-lines (Heraf) do not add up to the line in one year",
        "sublines_total": "the sub-lines' totals do not add up to the line's total",
        "sublines_permanent": "the sub-lines' permanent amounts do not add up to the line's",
        "figure": "a figure stated in the text differs from the budget lines",
    }

    @property
    def difference(self) -> Decimal:
        return self.computed - self.stated

    def message(self) -> str:
        where = f" {self.year}" if self.year else ""
        texts = {
            "total": _("Stated total %(stated)s, the years add up to %(computed)s"),
            "sublines_year": _(
                "%(year)s: the line says %(stated)s, its sub-lines add up to %(computed)s"
            ),
            "sublines_total": _(
                "Stated total %(stated)s, the sub-lines' totals add up to %(computed)s"
            ),
            "sublines_permanent": _(
                "Permanent amount %(stated)s, the sub-lines' permanent amounts "
                "add up to %(computed)s"
            ),
            "figure": _("The text states %(stated)s, the budget lines add up to %(computed)s"),
        }
        return texts[self.kind] % {
            "stated": format_money(self.stated),
            "computed": format_money(self.computed),
            "year": where.strip(),
        }


def lines_for_checks(plan):
    """Top-level and sub-lines of a plan with everything the checks read, in three queries."""
    amounts = Prefetch("amounts", queryset=BudgetAmount.objects.order_by("year"))
    return list(
        BudgetLine.objects.filter(plan=plan)
        .select_related("section")
        .order_by("position")
        .prefetch_related(
            amounts,
            Prefetch(
                "children",
                queryset=BudgetLine.objects.order_by("position").prefetch_related(amounts),
            ),
        )
    )


def check_line(line, plan_name: str = "") -> list[Finding]:
    """Findings for one line; reads only `amounts` and `children` (prefetch them)."""
    findings = []

    def finding(kind, stated, computed, year=None):
        findings.append(
            Finding(plan_name, line.label, kind, stated, computed, year=year, line_id=line.pk)
        )

    by_year = {amount.year: amount.amount for amount in line.amounts.all()}
    if line.stated_total is not None and by_year:
        computed = sum(by_year.values(), Decimal(0))
        if computed != line.stated_total:
            finding("total", line.stated_total, computed)

    children = list(line.children.all())
    if children:
        child_years: dict[int, Decimal] = {}
        for child in children:
            for amount in child.amounts.all():
                child_years[amount.year] = child_years.get(amount.year, Decimal(0)) + amount.amount
        for year in sorted(set(by_year) | set(child_years)):
            stated = by_year.get(year, Decimal(0))
            computed = child_years.get(year, Decimal(0))
            if stated != computed:
                finding("sublines_year", stated, computed, year=year)
        totals = [child.stated_total for child in children]
        if line.stated_total is not None and all(total is not None for total in totals):
            computed = sum(totals, Decimal(0))
            if computed != line.stated_total:
                finding("sublines_total", line.stated_total, computed)
        permanents = [
            child.permanent_amount for child in children if child.permanent_amount is not None
        ]
        if line.permanent_amount is not None and permanents:
            computed = sum(permanents, Decimal(0))
            if computed != line.permanent_amount:
                finding("sublines_permanent", line.permanent_amount, computed)
    return findings


def _figure_sum(figure, lines) -> Decimal:
    if figure.recipient == Recipient.UNSTATED:
        chosen = [line for line in lines if line.parent_id is None]
    else:
        by_id = {line.pk: line for line in lines}
        chosen = [
            line
            for line in lines
            if line.recipient == figure.recipient
            and (line.parent_id is None or by_id[line.parent_id].recipient != figure.recipient)
        ]
    if figure.scope == StatedFigure.Scope.PERMANENT:
        return sum((line.permanent_amount or Decimal(0) for line in chosen), Decimal(0))
    return sum(
        (
            amount.amount
            for line in chosen
            for amount in line.amounts.all()
            if figure.scope == StatedFigure.Scope.PERIOD_TOTAL or amount.year == figure.year
        ),
        Decimal(0),
    )


def check_plan(plan, lines=None) -> list[Finding]:
    """Every finding for a plan: per line, then the checked figures stated in the text.

    Pass the plan's lines from lines_for_checks() when you have them already."""
    lines = lines_for_checks(plan) if lines is None else lines
    findings = [finding for line in lines for finding in check_line(line, plan.name)]
    for figure in StatedFigure.objects.filter(plan=plan, checked=True).order_by("position"):
        computed = _figure_sum(figure, lines)
        if computed != figure.amount:
            findings.append(Finding(plan.name, figure.text, "figure", figure.amount, computed))
    return findings
