import re

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from initiatives.models import Plan
from kraeftplan.downloads import file_response
from kraeftplan.files import stored_file_response
from kraeftplan.formatting import ascii_slug
from kraeftplan.paging import page_of
from kraeftplan.views import Crumb, crumbs

from .forms import ReportFilterForm
from .models import AnnualReport, ReportVersion
from .pdf import RenderLimitExceeded, render_pdf
from .rendering import print_html, report_content


def table_of_contents(body: str) -> list[tuple[str, str]]:
    """(anchor, heading) of each section of a report body."""
    return [
        (anchor, strip_tags(heading))
        for anchor, heading in re.findall(
            r'<section id="([^"]+)"[^>]*>\s*<h2>(.*?)</h2>', body, re.S
        )
    ]


def _public_version(plan_slug, year, number=None) -> ReportVersion:
    """A public version of a published report: the latest, or the one numbered."""
    report = get_object_or_404(
        AnnualReport.objects.published().select_related("plan"), plan__slug=plan_slug, year=year
    )
    versions = report.versions.filter(published_at__lte=timezone.now()).select_related(
        "report__plan"
    )
    # Version 0 is no version (numbers start at 1), not the latest.
    version = versions.filter(number=number).first() if number is not None else versions.first()
    if version is None:
        raise Http404
    return version


def _report_crumbs(title: str) -> list[Crumb]:
    return crumbs((_("Reports"), reverse("reports:report_list")), (title, None, "da"))


def _pdf_unavailable(request, page_url: str, *, preview: bool = False) -> HttpResponse:
    response = render(
        request,
        "reports/pdf_unavailable.html",
        {"page_url": page_url, "preview": preview},
        status=503,
    )
    response["Retry-After"] = "60"
    return response


# Reports per page of each list of /rapporter/.
REPORTS_PER_PAGE = 50


@require_safe
def report_list(request):
    """The published reports and those published outside the portal, each list paged
    (REPORTS_PER_PAGE) with how many there are in all; ?plan=<slug> shows one plan's (the plan
    and initiative pages link here). An unknown plan is a 400 with the form's message."""
    plans = list(Plan.objects.order_by("start_year", "name"))
    form = ReportFilterForm(request.GET or None, plans=plans)
    valid = not form.is_bound or form.is_valid()
    chosen = form.cleaned_data.get("plan") if form.is_bound and valid else ""
    chosen_plan = next((plan for plan in plans if plan.slug == chosen), None)
    public_versions = ReportVersion.objects.filter(
        report=OuterRef("pk"), published_at__lte=timezone.now()
    )
    reports = (
        AnnualReport.objects.published()
        .filter(Exists(public_versions))
        # Each is listed by the title and date of the version its link leads to.
        .annotate(
            published_title=Subquery(public_versions.order_by("-number").values("title")[:1]),
            published_dated=Subquery(public_versions.order_by("-number").values("dated")[:1]),
        )
        .select_related("plan")
        .order_by("plan__start_year", "-year", "pk")
    )
    elsewhere = (
        AnnualReport.objects.filter(state=AnnualReport.State.EXTERNAL)
        .select_related("plan")
        .order_by("plan__start_year", "-year", "pk")
    )
    if not valid:
        reports, elsewhere = reports.none(), elsewhere.none()
    elif chosen_plan is not None:
        reports, elsewhere = reports.filter(plan=chosen_plan), elsewhere.filter(plan=chosen_plan)
    page = page_of(request, reports.count(), REPORTS_PER_PAGE)
    elsewhere_page = page_of(request, elsewhere.count(), REPORTS_PER_PAGE, "page_elsewhere")
    return render(
        request,
        "reports/report_list.html",
        {
            "form": form,
            "chosen_plan": chosen_plan,
            "reports": reports[page.offset : page.end],
            "page": page,
            "elsewhere": elsewhere[elsewhere_page.offset : elsewhere_page.end],
            "elsewhere_page": elsewhere_page,
            "crumbs": crumbs((_("Reports"), None)),
        },
        status=200 if valid else 400,
    )


@require_safe
def report_detail(request, plan_slug, year, number=None):
    """The frozen web version of a published report, titled as it was published; it does not
    follow later changes of the data or of the report's texts."""
    version = _public_version(plan_slug, year, number)
    report = version.report
    versions = report.versions.filter(published_at__lte=timezone.now()).order_by("-number")
    pdf_url = (
        reverse("reports:report_version_pdf", args=[plan_slug, year, version.number])
        if number
        else reverse("reports:report_pdf", args=[plan_slug, year])
    )
    return render(
        request,
        "reports/report_page.html",
        {
            "report": report,
            "title": version.title,
            "dated": version.dated,
            "plan": report.plan,
            "version": version,
            "versions": versions,
            "is_latest": version.number == versions[0].number,
            "body": mark_safe(version.web_html),  # rendered by our templates at publication
            "pdf_url": pdf_url,
            "toc": table_of_contents(version.web_html),
            "crumbs": _report_crumbs(version.title),
        },
    )


@require_safe
def report_pdf(request, plan_slug, year, number=None):
    """The published version's PDF, as the worker rendered it when the version was published."""
    version = _public_version(plan_slug, year, number)
    name = ascii_slug(version.title) + (f"-v{version.number}" if number else "")
    if not version.has_pdf_file():
        version.queue_pdf()
        page = "reports:report_version" if number else "reports:report_detail"
        args = [plan_slug, year, number] if number else [plan_slug, year]
        return _pdf_unavailable(request, reverse(page, args=args))
    return stored_file_response(request, version.pdf_name, f"{name}.pdf", inline=True)


@require_safe
@staff_member_required
def report_preview(request, plan_slug, year):
    """Staff see a report as it would be published now, from the live data, drafts included."""
    report = get_object_or_404(
        AnnualReport.objects.select_related("plan"), plan__slug=plan_slug, year=year
    )
    body = render_to_string("reports/inc/body.html", report_content(report), request=request)
    return render(
        request,
        "reports/report_page.html",
        {
            "report": report,
            "title": report.title,
            "dated": report.dated,
            "plan": report.plan,
            "preview": True,
            "body": mark_safe(body),
            "toc": table_of_contents(body),
            "pdf_url": reverse("reports:report_preview_pdf", args=[plan_slug, year]),
            "crumbs": _report_crumbs(report.title),
        },
    )


@require_safe
@staff_member_required
def report_preview_pdf(request, plan_slug, year):
    report = get_object_or_404(
        AnnualReport.objects.select_related("plan"), plan__slug=plan_slug, year=year
    )
    # Rendered in this request, in a child process within the renderer's limits, and stopped
    # before the web server would end the request (settings.PDF_PREVIEW_SECONDS).
    try:
        pdf = render_pdf(print_html(report), timeout=settings.PDF_PREVIEW_SECONDS)
    except RenderLimitExceeded:
        page = reverse("reports:report_preview", args=[plan_slug, year])
        return _pdf_unavailable(request, page, preview=True)
    return file_response(pdf, ascii_slug(report.title) + "-udkast.pdf", inline=True)
