"""The annual status report of a plan and year: its content from the data, and its PDF.

The HTML page and the PDF share their partials (templates/reports/inc/). The PDF is rendered by
WeasyPrint with a fetcher that only reads data: URIs and the portal's own static files, so text
a user typed can never make it read a local file or call a URL, and with a time limit.
"""

import concurrent.futures
import multiprocessing
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from budget.checks import check_plan, lines_for_checks
from budget.exports import budget_table
from initiatives.choices import InitiativeKind, StatusCategory
from initiatives.models import Case, Initiative, Measure, MeasureStatus
from opendata.resources import BY_NAME
from targets.models import Indicator, NationalTarget
from targets.presentation import indicator_matrix
from targets.views import MEASUREMENTS

from .svg import bar_svg, line_svg

STATIC_BASE = "https://kraeftplan.invalid/static/"
RENDER_TIMEOUT_SECONDS = 60


def report_content(report) -> dict:
    """Everything the report shows, from the data: statuses of the report's year only."""
    plan, year = report.plan, report.year
    statuses = MeasureStatus.objects.filter(year=year)
    measures = Measure.objects.order_by("position").prefetch_related(
        Prefetch("statuses", queryset=statuses, to_attr="year_statuses")
    )
    initiatives = list(
        Initiative.objects.filter(plan=plan)
        .select_related("main_element")
        .prefetch_related(
            Prefetch("measures", queryset=measures),
            Prefetch("cases", queryset=Case.objects.filter(year=year).order_by("number", "label")),
            "comments",
        )
        .order_by("kind", "position")
    )
    for initiative in initiatives:
        for measure in initiative.measures.all():
            measure.status = measure.year_statuses[0] if measure.year_statuses else None
    counts = MeasureStatus.objects.filter(
        measure__initiative__plan=plan, year=year
    ).category_counts()
    status_rows = StatusCategory.rows(counts)

    targets = list(
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
    findings = check_plan(plan, lines)
    table = budget_table(plan, lines)
    budget_rows = table.as_dicts()
    footnotes = []
    for row in budget_rows:
        if not row["heading"] and row["cells"][-1]:
            footnotes.append((len(footnotes) + 1, row["cells"][0], row["cells"][-1]))
            row["footnote"] = len(footnotes)
    for finding in findings:
        if finding.kind == "figure":
            footnotes.append((len(footnotes) + 1, finding.subject, finding.message()))
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
        "footnotes": footnotes,
    }


class StaticOnlyFetcher(URLFetcher):
    """Reads data: URIs and the portal's own static files; refuses everything else."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"data"}, **kwargs)

    def fetch(self, url, headers=None):
        if url.startswith(STATIC_BASE):
            relative = url[len(STATIC_BASE) :].split("?")[0]
            found = finders.find(relative) if ".." not in relative else None
            if not found:
                raise ValueError(f"Not a static file of the portal: {url}")
            path = Path(found)
            media = {
                ".css": "text/css",
                ".woff": "font/woff",
                ".ttf": "font/ttf",
                ".svg": "image/svg+xml",
            }
            content_type = media.get(path.suffix, "application/octet-stream")
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        return super().fetch(url, headers)  # data: only; any other scheme raises ValueError


def print_html(report, content=None) -> str:
    """The PDF's HTML, always in Danish: the report is the ministry's Danish document."""
    with translation.override("da"):
        return render_to_string("reports/report_print.html", content or report_content(report))


def _write_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher()).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )


def render_pdf(html: str, timeout: int = RENDER_TIMEOUT_SECONDS) -> bytes:
    """The PDF of an HTML document, rendered in a child process that is stopped after timeout."""
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(_write_pdf, html)
        try:
            return future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            for process in pool._processes.values():
                process.kill()
            raise


def snapshot(report) -> dict:
    """The public data of the report's plan at publication, as the open-data API shows it."""
    slug = report.plan.slug
    data = {"plan": BY_NAME["planer"].row(report.plan)}
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
    return data


def freeze(report) -> dict:
    """The frozen parts of a version: web HTML, print HTML and the data behind them."""
    content = report_content(report)
    with translation.override("da"):
        web_html = render_to_string("reports/inc/body.html", content)
    return {
        "web_html": web_html,
        "print_html": print_html(report, content),
        "data": snapshot(report),
    }
