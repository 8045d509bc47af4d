from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kraeftplan.admin_base import HistoryAdmin, ViewOnlyAdmin

from .forms import PublishForm
from .models import AnnualReport, ReportVersion

VERSION_FIELDS = ("number", "published_at", "published_by", "note", "created_at", "links")


class VersionInline(admin.TabularInline):
    model = ReportVersion
    extra = 0
    can_delete = False
    fields = VERSION_FIELDS
    readonly_fields = VERSION_FIELDS

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("read"))
    def links(self, obj):
        plan, year = obj.report.plan.slug, obj.report.year
        return format_html(
            '<a href="{}">HTML</a> · <a href="{}">PDF</a>',
            reverse("reports:report_version", args=[plan, year, obj.number]),
            reverse("reports:report_version_pdf", args=[plan, year, obj.number]),
        )


@admin.register(AnnualReport)
class AnnualReportAdmin(HistoryAdmin):
    list_display = ["title", "plan", "year", "dated", "state", "published_at", "version_count"]
    list_filter = ["plan", "state", "year"]
    search_fields = ["title", "overall_status"]
    date_hierarchy = "dated"
    readonly_fields = ["state", "published_at", "actions_for_staff"]
    fields = [
        *(name.removesuffix("_id") for name in AnnualReport.CONTENT),
        "state",
        "published_at",
        "actions_for_staff",
    ]
    inlines = [VersionInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_versions=Count("versions"))

    @admin.display(description=_("versions"), ordering="n_versions")
    def version_count(self, obj):
        return obj.n_versions

    @admin.display(description=_("publishing"))
    def actions_for_staff(self, obj):
        if not obj.pk:
            return "–"
        preview = format_html(
            '<a href="{}">{}</a>',
            reverse("reports:report_preview", args=[obj.plan.slug, obj.year]),
            _("Preview"),
        )
        if obj.state == AnnualReport.State.EXTERNAL:
            return _("Published outside the portal; its content is not here.")
        public = obj.public_year if obj.is_published else None
        if public is None:
            return format_html(
                '<a class="button" href="{}">{}</a> {}',
                reverse("admin:reports_annualreport_publish", args=[obj.pk]),
                _("Publish"),
                preview,
            )
        changes = obj.correction_changes()
        state = (
            _("A correction is open: %(n)s changes not yet published.") % {"n": len(changes)}
            if public.correction_is_open
            else _("The year is published and fixed; a change needs a correction.")
        )
        return format_html(
            '{} <a class="button" href="{}">{}</a> {}',
            state,
            reverse("admin:reports_annualreport_correction", args=[obj.pk]),
            _("Correction"),
            preview,
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/offentliggoer/",
                self.admin_site.admin_view(self.publish_view),
                name="reports_annualreport_publish",
            ),
            path(
                "<int:pk>/rettelse/",
                self.admin_site.admin_view(self.correction_view),
                name="reports_annualreport_correction",
            ),
            *super().get_urls(),
        ]

    def correction_view(self, request, pk):
        """Open, publish or discard a correction of a published year."""
        report = get_object_or_404(AnnualReport.objects.select_related("plan"), pk=pk)
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        public = report.public_year
        if public is None:
            messages.error(request, _("The report is not published; there is nothing to correct."))
            return redirect("admin:reports_annualreport_change", report.pk)
        if request.method == "POST":
            action = request.POST.get("action")
            try:
                if action == "open":
                    public.open_correction(request.user)
                    messages.success(request, _("The correction is open."))
                elif action == "discard":
                    report.discard_correction()
                    messages.success(
                        request, _("The correction is discarded; the year is as published.")
                    )
                else:
                    messages.error(request, _("Unknown choice."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("admin:reports_annualreport_correction", report.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Correction of %(report)s") % {"report": report},
            "report": report,
            "public": public,
            "changes": report.correction_changes(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/reports/correction.html", context)

    def publish_view(self, request, pk):
        report = get_object_or_404(AnnualReport.objects.select_related("plan"), pk=pk)
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        form = PublishForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                version = report.publish(
                    user=request.user,
                    note=form.cleaned_data["note"],
                    embargo_until=form.cleaned_data["embargo_until"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    _("%(report)s was published as version %(number)s.")
                    % {"report": report, "number": version.number},
                    messages.SUCCESS,
                )
                return redirect("admin:reports_annualreport_change", report.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish %(report)s") % {"report": report},
            "report": report,
            "form": form,
            "opts": self.model._meta,
            "versions": report.versions.all(),
            "public": report.public_year,
        }
        return TemplateResponse(request, "admin/reports/publish.html", context)


@admin.register(ReportVersion)
class ReportVersionAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """Frozen versions are read-only: a correction is a new version."""

    list_display = ["report", "number", "published_at", "published_by", "note"]
    list_filter = ["report__plan"]
    readonly_fields = ["report", "number", "published_at", "published_by", "note", "created_at"]
    exclude = ["web_html", "print_html", "data"]
