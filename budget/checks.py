"""Consistency checks for published budgets.

Published documents contain arithmetic slips. The portal keeps every figure as published and
reports where a stated total, a line's sub-lines or a stated overall figure disagree with what
the published yearly amounts add up to. Nothing here ever changes a figure.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from initiatives.choices import FindingTopic
from initiatives.findings import FindingRow
from initiatives.models import Finding as RecordedFinding
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
    code: str = ""  # stable identifier, see check_line() and check_plan()

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
            "plan_total": _(
                "The lines' stated totals (I alt) add up to %(stated)s, their yearly amounts to "
                "%(computed)s"
            ),
        }
        return texts[self.kind] % {
            "stated": format_money(self.stated),
            "computed": format_money(self.computed),
            "year": where.strip(),
        }


def lines_for_checks(*plans):
    """Top-level and sub-lines of the plans with everything the checks read, in three
    queries."""
    amounts = Prefetch("amounts", queryset=BudgetAmount.objects.order_by("year"))
    return list(
        BudgetLine.objects.filter(plan__in=plans)
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


def check_line(line, plan_name: str = "", plan_slug: str = "") -> list[Finding]:
    """Findings for one line; reads only `amounts` and `children` (prefetch them)."""
    findings = []

    def finding(kind, stated, computed, year=None):
        code = f"{plan_slug}-budget-line-{line.position}-{kind}".replace("_", "-")
        findings.append(
            Finding(
                plan_name,
                line.label,
                kind,
                stated,
                computed,
                year=year,
                line_id=line.pk,
                code=f"{code}-{year}" if year else code,
            )
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


def check_plan(plan, lines=None, figures=None) -> list[Finding]:
    """Every finding for a plan: per line, then the checked figures stated in the text.

    Pass the plan's lines from lines_for_checks() and its checked stated figures when you have
    them already."""
    lines = lines_for_checks(plan) if lines is None else lines
    if figures is None:
        figures = StatedFigure.objects.filter(plan=plan, checked=True).order_by("position")
    findings = [finding for line in lines for finding in check_line(line, plan.name, plan.slug)]
    top = [line for line in lines if line.parent_id is None]
    if top and all(line.stated_total is not None for line in top):
        stated = sum((line.stated_total for line in top), Decimal(0))
        computed = sum((a.amount for line in top for a in line.amounts.all()), Decimal(0))
        if stated != computed:
            findings.append(
                Finding(
                    plan.name,
                    _("The budget's totals"),
                    "plan_total",
                    stated,
                    computed,
                    code=f"{plan.slug}-budget-totals",
                )
            )
    for figure in figures:
        computed = _figure_sum(figure, lines)
        if computed != figure.amount:
            findings.append(
                Finding(
                    plan.name,
                    figure.text,
                    "figure",
                    figure.amount,
                    computed,
                    code=f"{plan.slug}-budget-figure-{figure.position}",
                )
            )
    return findings


def as_row(finding: Finding, plan) -> FindingRow:
    """A computed budget finding in the shape every surface shows."""
    year = f" {finding.year}" if finding.year else ""
    where = {
        "total": (_("the line's total (I alt)"), _("the line's yearly amounts")),
        "sublines_year": (_("the line") + year, _("its sub-lines (Heraf)") + year),
        "sublines_total": (_("the line's total (I alt)"), _("its sub-lines' totals")),
        "sublines_permanent": (_("the line's permanent amount"), _("its sub-lines'")),
        "figure": (_("the text"), _("the budget lines")),
        "plan_total": (
            _("the sum of the lines' published totals (I alt), added up by the portal"),
            _("the lines' yearly amounts"),
        ),
    }[finding.kind]
    return FindingRow(
        code=finding.code,
        plan=plan.slug,
        topic=FindingTopic.BUDGET,
        kind=finding.kind,
        subject=finding.subject.rstrip("."),
        stated=format_money(finding.stated),
        stated_at=f"{plan.budget_source or _('The budget table')}, {where[0]}",
        computed=format_money(finding.computed),
        line_id=finding.line_id,
    )


def plan_findings(plan, lines=None) -> list[FindingRow]:
    """Every finding of a plan: the budget's, computed from its lines, then those the portal
    recorded from the sources' text and tables (initiatives.Finding). The one list the pages,
    the report, the API, the zip and budget_check show. Pass the plan's lines from
    lines_for_checks() when you have them already."""
    return findings_of_plans([plan], None if lines is None else {plan.pk: lines})


def findings_of_plans(plans, lines=None) -> list[FindingRow]:
    """plan_findings() for several plans in five queries, however many plans there are;
    lines: {plan id: its lines from lines_for_checks()} where already at hand."""
    plans = list(plans)
    if lines is None:
        lines = {plan.pk: [] for plan in plans}
        for line in lines_for_checks(*plans):
            lines[line.plan_id].append(line)
    figures: dict[int, list] = {plan.pk: [] for plan in plans}
    for figure in StatedFigure.objects.filter(plan__in=plans, checked=True).order_by("position"):
        figures[figure.plan_id].append(figure)
    recorded: dict[int, list[FindingRow]] = {plan.pk: [] for plan in plans}
    for finding in (
        RecordedFinding.objects.filter(plan__in=plans).select_related("plan").order_by("position")
    ):
        recorded[finding.plan_id].append(finding.row())
    return [
        row
        for plan in plans
        for row in [
            *(as_row(f, plan) for f in check_plan(plan, lines[plan.pk], figures[plan.pk])),
            *recorded[plan.pk],
        ]
    ]
