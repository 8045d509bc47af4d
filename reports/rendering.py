"""The annual status report of a plan and year: its content from the data, and its PDF.

The HTML page and the PDF share their partials (templates/reports/inc/); reports.pdf turns the
print HTML into a PDF.
"""

from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from budget.checks import lines_for_checks, plan_findings
from budget.exports import budget_table
from initiatives.choices import InitiativeKind, StatusCategory
from initiatives.findings import FindingRow
from initiatives.models import Case, Initiative, Measure, MeasureStatus, StatusText
from initiatives.narratives import figure_label, figures, parts, unplaced
from opendata.resources import BY_NAME
from targets.models import Indicator, NationalTarget
from targets.presentation import indicator_matrix
from targets.views import MEASUREMENTS

from .svg import bar_svg, line_svg

# The budget's figure columns (years and totals) a portrait page of the PDF holds; Kræftplan
# IV's budget has seven.
PORTRAIT_BUDGET_COLUMNS = 8


def report_content(report) -> dict[str, Any]:
    """Everything the report shows, from the data: statuses of the report's year only."""
    plan, year = report.plan, report.year
    statuses = MeasureStatus.objects.filter(year=year)
    measures = Measure.objects.order_by("position").prefetch_related(
        Prefetch("statuses", queryset=statuses, to_attr="year_statuses")
    )
    # Initiatives gain .notes (the portal notes on them) for the templates.
    initiatives: list[Any] = list(
        Initiative.objects.filter(plan=plan)
        .select_related("main_element")
        .prefetch_related(
            Prefetch("measures", queryset=measures),
            Prefetch("cases", queryset=Case.objects.filter(year=year).order_by("number", "label")),
            Prefetch("status_texts", queryset=StatusText.objects.filter(year=year)),
            "comments",
            Prefetch(
                "indicators",
                queryset=Indicator.objects.filter(target__isnull=True)
                .prefetch_related(MEASUREMENTS)
                .order_by("position"),
            ),
        )
        .order_by("kind", "position")
    )
    measure: Any  # gains .status (its status of the year) for the templates
    for initiative in initiatives:
        for measure in initiative.measures.all():
            measure.status = measure.year_statuses[0] if measure.year_statuses else None
    counts = MeasureStatus.objects.filter(
        measure__initiative__plan=plan, year=year
    ).category_counts()
    status_rows = StatusCategory.rows(counts)

    targets: list[Any] = list(  # each gains .notes for the templates
        NationalTarget.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.select_related("target")
                .prefetch_related(MEASUREMENTS)
                .order_by("position"),
            )
        )
        .order_by("number")
    )
    indicator: Any  # gains .matrix and .svg for the templates
    for target in targets:
        for indicator in target.indicators.all():
            indicator.matrix = indicator_matrix(indicator)
            indicator.svg = None
            if len(indicator.matrix.columns) > 1 and not indicator.matrix.column_title:
                indicator.svg = line_svg(
                    indicator.name,
                    indicator.matrix.columns,
                    {
                        label: [m.value if m else None for m in cells]
                        for label, cells in indicator.matrix.rows
                    },
                    target=target.target_value,
                    description=_("The figures are in the table below the chart."),
                )

    lines = lines_for_checks(plan)
    table = budget_table(plan, lines)
    budget_rows = table.as_dicts()
    # The portal's notes: every finding of the plan, numbered in the order a reader meets them
    # (targets, then the initiatives, then the budget's lines, then the rest); tables and
    # initiatives refer to the notes that concern them.
    notes = list(
        enumerate(_reading_order(plan_findings(plan, lines), targets, initiatives, table), 1)
    )
    for row in budget_rows:
        row["notes"] = [(n, f) for n, f in notes if f.line_id and f.line_id == row["key"]]
    for initiative in initiatives:
        initiative.notes = [(n, f) for n, f in notes if f.initiative_id == initiative.pk]
        for indicator in initiative.indicators.all():
            _with_figures(indicator, notes)
        _placed(initiative)
    for target in targets:
        target.notes = [(n, f) for n, f in notes if f.target_number == target.number]
        for indicator in target.indicators.all():
            indicator.notes = [
                (n, f) for n, f in notes if f.table_label and f.table_label == indicator.table_label
            ]
        # The target's text places its tables where the published document prints them.
        target.text_parts = parts(target.status_text, {}, figures(target.indicators.all()))
        target.other_indicators = unplaced(
            target.indicators.all(), figure_label, [target.status_text]
        )
    plan_figures = list(
        Indicator.objects.filter(plan=plan, target=None, initiative=None)
        .prefetch_related(MEASUREMENTS)
        .order_by("position")
    )
    for indicator in plan_figures:
        _with_figures(indicator, notes)
    continuing_parts = parts(report.continuing_introduction, {}, figures(plan_figures))
    return {
        "report": report,
        "plan": plan,
        "year": year,
        "status_rows": status_rows,
        "status_svg": bar_svg(
            _("Measures by status, %(year)s") % {"year": year},
            [label for label, _count in status_rows],
            [count for _label, count in status_rows],
            description=_("The figures are in the table next to the chart."),
        )
        if status_rows
        else None,
        "measure_count": sum(counts.values()),
        "initiatives": [i for i in initiatives if i.kind == InitiativeKind.INITIATIVE],
        "recommendations": [i for i in initiatives if i.kind == InitiativeKind.RECOMMENDATION],
        "regional": [i for i in initiatives if i.kind == InitiativeKind.REGIONAL],
        "continuing": [i for i in initiatives if i.continues_after_plan],
        "targets": targets,
        "budget": table,
        "budget_rows": budget_rows,
        # More figures a row than a portrait page holds: the PDF prints the budget landscape.
        "budget_wide": len(table.columns) - 2 > PORTRAIT_BUDGET_COLUMNS,
        "notes": notes,
        "continuing_parts": continuing_parts,
        "plan_figures": unplaced(plan_figures, figure_label, [report.continuing_introduction]),
    }


def _reading_order(
    findings: list[FindingRow], targets: list[Any], initiatives: list[Any], table: Any
) -> list[FindingRow]:
    """The findings in the order the report's sections refer to them."""
    keys: list[Any] = [("target", t.number) for t in targets]
    keys += [("initiative", i.pk) for i in initiatives]
    keys += [("line", key) for key in table.keys if key is not None]
    rank = {key: n for n, key in enumerate(keys)}

    def place(finding: FindingRow) -> int:
        for key in (
            ("target", finding.target_number),
            ("initiative", finding.initiative_id),
            ("line", finding.line_id),
        ):
            if key in rank:
                return rank[key]
        return len(keys)

    return sorted(findings, key=place)  # stable: the list's own order within a place


def _placed(initiative: Any) -> None:
    """The initiative's narratives of the year as parts, with its cases and tables placed where
    the published document prints them (.text_parts, each measure's .narrative_parts); the
    cases and tables no narrative places (.other_cases, .other_indicators) follow them."""
    cases = {case.label: case for case in initiative.cases.all()}
    tables = figures(initiative.indicators.all())
    texts = [text.text for text in initiative.status_texts.all()]
    initiative.text_parts = [part for text in texts for part in parts(text, cases, tables)]
    for measure in initiative.measures.all():
        narrative = measure.status.narrative if measure.status else ""
        measure.narrative_parts = parts(narrative, cases, tables)
        texts.append(narrative)
    initiative.other_cases = unplaced(initiative.cases.all(), lambda case: case.label, texts)
    initiative.other_indicators = unplaced(initiative.indicators.all(), figure_label, texts)


def _with_figures(indicator: Any, notes: list[tuple[int, FindingRow]]) -> None:
    """An indicator gains its table (.matrix) and the portal's notes on it (.notes)."""
    indicator.matrix = indicator_matrix(indicator)
    indicator.notes = [
        (n, f) for n, f in notes if f.table_label and f.table_label == indicator.table_label
    ]


def print_html(report, content: dict[str, Any] | None = None) -> str:
    """The PDF's HTML, always in Danish: the report is the ministry's Danish document."""
    with translation.override("da"):
        return render_to_string("reports/report_print.html", content or report_content(report))


def snapshot(report) -> dict[str, Any]:
    """The public data of the report's plan at publication, as the open-data API shows it."""
    slug = report.plan.slug
    data: dict[str, Any] = {"plan": BY_NAME["planer"].row(report.plan)}
    for name in (
        "hovedelementer",
        "initiativer",
        "indsatser",
        "budgetlinjer",
        "maal",
        "indikatorer",
        "maalinger",
    ):
        resource = BY_NAME[name]
        data[name] = [resource.row(obj) for obj in resource.filtered({"plan": slug})]
    # All of the year's statuses, also while an embargo keeps them from the public API.
    status = BY_NAME["status"]
    statuses = MeasureStatus.objects.filter(
        measure__initiative__plan=report.plan, year=report.year
    ).select_related("measure__initiative__plan")
    data["status"] = [
        status.row(obj)
        for obj in statuses.order_by("measure__initiative__position", "measure__position")
    ]
    texts = StatusText.objects.filter(initiative__plan=report.plan, year=report.year)
    data["statustekster"] = [
        BY_NAME["statustekster"].row(obj)
        for obj in texts.select_related("initiative__plan").order_by(
            "initiative__kind", "initiative__position"
        )
    ]
    return data


def freeze(report) -> dict[str, Any]:
    """The frozen parts of a version: its title and date, web HTML, print HTML and the data
    behind them."""
    content = report_content(report)
    with translation.override("da"):
        web_html = render_to_string("reports/inc/body.html", content)
    return {
        "title": report.title,
        "dated": report.dated,
        "web_html": web_html,
        "print_html": print_html(report, content),
        "data": snapshot(report),
    }
