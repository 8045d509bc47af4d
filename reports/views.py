from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from kraeftplan.formatting import ascii_slug

from .models import AnnualReport
from .rendering import print_html, render_pdf, report_content


def _report(plan_slug, year, preview):
    reports = AnnualReport.objects.select_related("plan")
    if not preview:
        reports = reports.published()
    return get_object_or_404(reports, plan__slug=plan_slug, year=year)


@require_GET
def report_list(request):
    reports = (
        AnnualReport.objects.published()
        .select_related("plan")
        .order_by("plan__start_year", "-year")
    )
    return render(request, "reports/report_list.html", {"reports": reports})


def _page(request, plan_slug, year, preview):
    report = _report(plan_slug, year, preview)
    pdf_name = "report_preview_pdf" if preview else "report_pdf"
    context = {
        **report_content(report),
        "pdf_url": reverse(f"reports:{pdf_name}", args=[plan_slug, year]),
    }
    return render(request, "reports/report_page.html", context)


def _pdf(plan_slug, year, preview):
    report = _report(plan_slug, year, preview)
    pdf = render_pdf(print_html(report))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = ascii_slug(report.title) + (".udkast" if preview else "")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@require_GET
def report_detail(request, plan_slug, year):
    return _page(request, plan_slug, year, preview=False)


@require_GET
def report_pdf(request, plan_slug, year):
    return _pdf(plan_slug, year, preview=False)


@require_GET
@staff_member_required
def report_preview(request, plan_slug, year):
    return _page(request, plan_slug, year, preview=True)


@require_GET
@staff_member_required
def report_preview_pdf(request, plan_slug, year):
    return _pdf(plan_slug, year, preview=True)
