"""The published reports in the sitemaps (see kraeftplan.sitemaps): the list, each report's
latest version and every one of its public versions. Only what the public may read: reports
that are published and past any embargo, versions past their publication time; never a draft
or a preview. Each section is one query."""

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from kraeftplan.sitemaps import PortalSitemap

from .models import AnnualReport, ReportVersion

PAGES = ["reports:report_list"]


class ReportSitemap(PortalSitemap[AnnualReport]):
    """A report's page shows its latest public version; it changed last when that came out."""

    def items(self):
        now = timezone.now()
        return (
            AnnualReport.objects.published()
            .select_related("plan")
            .only("year", "plan__slug")
            .annotate(
                last_version_at=Max(
                    "versions__published_at", filter=Q(versions__published_at__lte=now)
                )
            )
            .filter(last_version_at__isnull=False)
            .order_by("plan__start_year", "year", "pk")
        )

    def location(self, item: AnnualReport) -> str:
        return reverse("reports:report_detail", args=[item.plan.slug, item.year])

    def lastmod(self, item: AnnualReport):
        return item.last_version_at  # type: ignore[attr-defined]


class ReportVersionSitemap(PortalSitemap[ReportVersion]):
    """Every public version at its own address (a correction keeps the version it corrects)."""

    def items(self):
        return (
            ReportVersion.objects.filter(
                published_at__lte=timezone.now(), report__in=AnnualReport.objects.published()
            )
            .select_related("report__plan")
            .only("number", "published_at", "report__year", "report__plan__slug")
            .order_by("report__plan__start_year", "report__year", "number", "pk")
        )

    def location(self, item: ReportVersion) -> str:
        report = item.report
        return reverse("reports:report_version", args=[report.plan.slug, report.year, item.number])

    def lastmod(self, item: ReportVersion):
        return item.published_at


SITEMAPS = {"rapporter": ReportSitemap, "rapportversioner": ReportVersionSitemap}
