"""Consistency checks for published budgets.

Published documents contain arithmetic slips. The portal keeps every figure as published and
reports where a stated total, a line's sub-lines or a stated overall figure disagree with what
the published yearly amounts add up to. Nothing here ever changes a figure.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Abs, Coalesce
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


def check_line(line, plan_name: str = "", plan_slug: str = "", children=None) -> list[Finding]:
    """Findings for one line; reads only `amounts` and `children` (prefetch them, or pass the
    children, each with its amounts)."""
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

    children = list(line.children.all()) if children is None else children
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
        findings.extend(_totals_finding(plan, stated, computed))
    for figure in figures:
        computed = _figure_sum(figure, lines)
        findings.extend(_figure_finding(plan, figure, computed))
    return findings


# Sums of amounts in the database: wide enough for a plan's many years, one decimal like the
# amounts (on SQLite the sum is a float that Django rounds back to this).
SUM = DecimalField(max_digits=20, decimal_places=1)
# Two sums differ when they differ by more than half the smallest amount (0,1): exact on
# PostgreSQL, and safe from SQLite's float sums, whose errors are far smaller.
TOLERANCE = Decimal("0.05")


def _subquery_sum(rows: QuerySet, by: str, field: str) -> Subquery:
    """Sum(field) of the rows, which share the value of `by` (the outer reference), as a
    correlated subquery: NULL when there are none."""
    return Subquery(rows.order_by().values(by).annotate(v=Sum(field, output_field=SUM)).values("v"))


def _subquery_count(rows: QuerySet, by: str) -> Coalesce:
    return Coalesce(
        Subquery(rows.order_by().values(by).annotate(n=Count("pk")).values("n")), Value(0)
    )


def budget_findings(plans) -> dict[int, list[Finding]]:
    """check_plan() for every plan, with the sums made in the database: {plan id: findings}, in
    the same order and with the same figures as check_plan() gives, in three queries however
    many lines and years there are (check_plan() reads every yearly amount into Python)."""
    plans = list(plans)
    figures: dict[int, list] = {plan.pk: [] for plan in plans}
    for figure in StatedFigure.objects.filter(plan__in=plans, checked=True).order_by("position"):
        figures[figure.plan_id].append(figure)
    figure_years = sorted(
        {
            figure.year
            for each in figures.values()
            for figure in each
            if figure.scope == StatedFigure.Scope.YEAR and figure.year is not None
        }
    )
    amounts = BudgetAmount.objects.filter(line=OuterRef("pk"))
    children = BudgetLine.objects.filter(parent=OuterRef("pk"))
    lines = list(
        BudgetLine.objects.filter(plan__in=plans)
        .order_by("position")
        .values(
            "pk",
            "plan_id",
            "parent_id",
            "position",
            "label",
            "recipient",
            "stated_total",
            "permanent_amount",
        )
        .annotate(
            amount_sum=_subquery_sum(amounts, "line", "amount"),
            n_children=_subquery_count(children, "parent"),
            n_children_total=_subquery_count(children.filter(stated_total__isnull=False), "parent"),
            children_total=_subquery_sum(children, "parent", "stated_total"),
            n_children_permanent=_subquery_count(
                children.filter(permanent_amount__isnull=False), "parent"
            ),
            children_permanent=_subquery_sum(children, "parent", "permanent_amount"),
            **{
                f"year_{year}": _subquery_sum(amounts.filter(year=year), "line", "amount")
                for year in figure_years
            },
        )
    )
    # A line with sub-lines against its sub-lines, year by year: only the years that differ.
    # Grouped by the line with sub-lines (a sub-line's parent): its own amount and the sum of
    # its sub-lines' amounts, each absent counting as 0.
    parent_of = Coalesce("line__parent", "line")
    is_parent = Exists(BudgetLine.objects.filter(parent=OuterRef("line")))
    differing_years: dict[int, list[tuple[int, Decimal, Decimal]]] = {}
    for row in (
        BudgetAmount.objects.filter(line__plan__in=plans)
        .filter(Q(line__parent__isnull=False) | is_parent)
        .order_by()
        .values(key=parent_of, at=F("year"))
        .annotate(
            stated=Coalesce(
                Sum("amount", filter=Q(line__parent__isnull=True), output_field=SUM),
                Value(Decimal(0)),
                output_field=SUM,
            ),
            computed=Coalesce(
                Sum("amount", filter=Q(line__parent__isnull=False), output_field=SUM),
                Value(Decimal(0)),
                output_field=SUM,
            ),
        )
        .annotate(difference=Abs(F("stated") - F("computed"), output_field=SUM))
        .filter(difference__gt=TOLERANCE)
    ):
        differing_years.setdefault(row["key"], []).append(
            (row["at"], row["stated"], row["computed"])
        )
    by_plan: dict[int, list[Any]] = {plan.pk: [] for plan in plans}
    for line in lines:
        by_plan[line["plan_id"]].append(line)
    return {
        plan.pk: _findings_of_rows(plan, by_plan[plan.pk], figures[plan.pk], differing_years)
        for plan in plans
    }


def _findings_of_rows(plan, lines, figures, differing_years) -> list[Finding]:
    """check_plan()'s findings from the rows budget_findings() read."""
    findings = []
    for line in lines:

        def finding(kind, stated, computed, year=None, line=line):
            code = f"{plan.slug}-budget-line-{line['position']}-{kind}".replace("_", "-")
            findings.append(
                Finding(
                    plan.name,
                    line["label"],
                    kind,
                    stated,
                    computed,
                    year=year,
                    line_id=line["pk"],
                    code=f"{code}-{year}" if year else code,
                )
            )

        if (
            line["stated_total"] is not None
            and line["amount_sum"] is not None
            and line["amount_sum"] != line["stated_total"]
        ):
            finding("total", line["stated_total"], line["amount_sum"])
        if line["n_children"]:
            for year, stated, computed in sorted(differing_years.get(line["pk"], [])):
                finding("sublines_year", stated, computed, year=year)
            if (
                line["stated_total"] is not None
                and line["n_children_total"] == line["n_children"]
                and line["children_total"] != line["stated_total"]
            ):
                finding("sublines_total", line["stated_total"], line["children_total"])
            if (
                line["permanent_amount"] is not None
                and line["n_children_permanent"]
                and line["children_permanent"] != line["permanent_amount"]
            ):
                finding("sublines_permanent", line["permanent_amount"], line["children_permanent"])
    top = [line for line in lines if line["parent_id"] is None]
    if top and all(line["stated_total"] is not None for line in top):
        stated = sum((line["stated_total"] for line in top), Decimal(0))
        computed = sum((line["amount_sum"] or Decimal(0) for line in top), Decimal(0))
        findings.extend(_totals_finding(plan, stated, computed))
    recipients = {line["pk"]: line["recipient"] for line in lines}
    for figure in figures:
        if figure.recipient == Recipient.UNSTATED:
            chosen = top
        else:
            chosen = [
                line
                for line in lines
                if line["recipient"] == figure.recipient
                and (line["parent_id"] is None or recipients[line["parent_id"]] != figure.recipient)
            ]
        if figure.scope == StatedFigure.Scope.PERMANENT:
            field = "permanent_amount"
        elif figure.scope == StatedFigure.Scope.PERIOD_TOTAL:
            field = "amount_sum"
        else:
            field = f"year_{figure.year}"
        computed = sum((line.get(field) or Decimal(0) for line in chosen), Decimal(0))
        findings.extend(_figure_finding(plan, figure, computed))
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
        subject_published=finding.kind != "plan_total",
        source=plan.budget_source,
    )


def plan_findings(plan, lines=None) -> list[FindingRow]:
    """Every finding of a plan: the budget's, computed from its lines, then those the portal
    recorded from the sources' text and tables (initiatives.Finding). The one list the pages,
    the report, the API, the zip and budget_check show. Pass the plan's lines from
    lines_for_checks() when you have them already."""
    return findings_of_plans([plan], None if lines is None else {plan.pk: lines})


def findings_of_plans(plans, lines=None) -> list[FindingRow]:
    """plan_findings() for several plans in four queries, however many plans, lines and years
    there are (the budget's sums are made in the database, see budget_findings); lines:
    {plan id: its lines from lines_for_checks()} where already at hand."""
    plans = list(plans)
    if lines is None:
        computed = budget_findings(plans)
    else:
        figures: dict[int, list] = {plan.pk: [] for plan in plans}
        for figure in StatedFigure.objects.filter(plan__in=plans, checked=True).order_by(
            "position"
        ):
            figures[figure.plan_id].append(figure)
        computed = {plan.pk: check_plan(plan, lines[plan.pk], figures[plan.pk]) for plan in plans}
    recorded: dict[int, list[FindingRow]] = {plan.pk: [] for plan in plans}
    for finding in (
        RecordedFinding.objects.filter(plan__in=plans).select_related("plan").order_by("position")
    ):
        recorded[finding.plan_id].append(finding.row())
    return [
        row
        for plan in plans
        for row in [
            *(as_row(f, plan) for f in computed[plan.pk]),
            *recorded[plan.pk],
        ]
    ]


def initiative_findings(initiative, lines, recorded) -> list[FindingRow]:
    """The findings an initiative's page shows: those of its budget lines, then those the
    portal recorded for it (`recorded`, each with its plan); what plan_findings() gives for
    them. lines: the initiative's lines, each with its amounts prefetched and its sub-lines,
    each with theirs, as .sub_lines; nothing is read from the database."""
    plan = initiative.plan
    computed = [
        finding
        for line in lines
        for finding in check_line(line, plan.name, plan.slug, children=line.sub_lines)
    ]
    return [*(as_row(f, plan) for f in computed), *(finding.row() for finding in recorded)]


def _totals_finding(plan: Any, stated: Decimal, computed: Decimal) -> list[Finding]:
    """The finding when the budget's stated totals differ from its amounts (none if equal);
    the Python and the SQL checks both report it so."""
    if stated == computed:
        return []
    return [
        Finding(
            plan.name,
            _("The budget's totals"),
            "plan_total",
            stated,
            computed,
            code=f"{plan.slug}-budget-totals",
        )
    ]


def _figure_finding(plan: Any, figure: Any, computed: Decimal) -> list[Finding]:
    """The finding when a stated figure differs from the amounts it sums (none if equal)."""
    if computed == figure.amount:
        return []
    return [
        Finding(
            plan.name,
            figure.text,
            "figure",
            figure.amount,
            computed,
            code=f"{plan.slug}-budget-figure-{figure.position}",
        )
    ]
