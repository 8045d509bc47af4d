from typing import Any

from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from initiatives.models import Finding, Initiative
from initiatives.narratives import figures, parts
from kraeftplan.charts import bar_chart, line_chart
from kraeftplan.downloads import FORMATS, download
from kraeftplan.paging import page_of
from kraeftplan.views import crumbs

from .filtersets import TargetFilterSet
from .models import Indicator, Measurement, NationalTarget
from .presentation import indicator_matrix


def with_matrices(indicators: list[Indicator], chart_prefix: str | None = None) -> list[Indicator]:
    """The indicators, each with its table (.matrix) and, given a chart_prefix, its chart (.chart)
    for the templates."""
    indicator: Any  # gains the attributes above
    for indicator in indicators:
        indicator.matrix = indicator_matrix(indicator)
        indicator.chart = None
        if chart_prefix and indicator.matrix.rows:
            series = {
                label: [None if m is None else m.value for m in cells]
                for label, cells in indicator.matrix.rows
            }
            target = indicator.target
            chart = (
                line_chart
                if len(indicator.matrix.columns) > 1 and not indicator.matrix.column_title
                else bar_chart
            )
            # Rates and shares: never added up into an "Others" series.
            kwargs: dict[str, Any] = {"title": indicator.name, "y_title": indicator.unit}
            # The indicator as published: its name, rows, columns (periods or labels) and unit.
            kwargs["danish"] = ["title", "series", "categories", "unit"]
            if chart is bar_chart:
                kwargs["additive"] = False
            if chart is line_chart and target and target.target_value is not None:
                kwargs.update(
                    target=target.target_value,
                    target_label=_("Target %(year)s") % {"year": target.target_year},
                )
            indicator.chart = chart(
                f"{chart_prefix}-{indicator.pk}", indicator.matrix.columns, series, **kwargs
            )
    return indicators


MEASUREMENTS = Prefetch(
    "measurements", queryset=Measurement.objects.order_by("position", "period_start", "pk")
)


# Targets per page of /maal/; each page says how many there are and links to the next.
TARGETS_PER_PAGE = 50


class TargetListView(TemplateView):
    """The national targets, filtered by plan (TargetFilterSet) and paged. An unknown plan is a
    400 with the form's Danish message and no targets, as on /initiativer/."""

    template_name = "targets/target_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filterset = TargetFilterSet(request.GET or None, queryset=NationalTarget.objects.all())
        valid = not filterset.is_bound or filterset.is_valid()
        rows = filterset.qs if valid else NationalTarget.objects.none()
        page = page_of(request, rows.count(), TARGETS_PER_PAGE)
        targets = (
            rows.select_related("plan")
            .annotate(n_indicators=Count("indicators", distinct=True))
            .order_by("plan__start_year", "plan", "number", "pk")
        )[page.offset : page.end]
        context = self.get_context_data(
            filterset=filterset,
            chosen_plan=filterset.chosen_plan,
            targets=targets,
            page=page,
            crumbs=crumbs((_("National targets"), None)),
            **kwargs,
        )
        return self.render_to_response(context, status=200 if valid else 400)


class TargetDetailView(TemplateView):
    template_name = "targets/target_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        target = get_object_or_404(
            NationalTarget.objects.select_related("plan").prefetch_related(
                Prefetch(
                    "indicators",
                    queryset=Indicator.objects.select_related("target")
                    .prefetch_related(MEASUREMENTS)
                    .order_by("position"),
                ),
                Prefetch(
                    "initiatives",
                    queryset=Initiative.objects.select_related("plan").order_by("position"),
                ),
            ),
            pk=kwargs.pop("pk"),
        )
        indicators = with_matrices(list(target.indicators.all()), chart_prefix="kp-indikator")
        findings = [
            finding.row()
            for finding in Finding.objects.filter(
                plan=target.plan, target_number=target.number
            ).select_related("plan")
        ]
        return super().get_context_data(
            target=target,
            indicators=indicators,
            # The text names the tables it refers to; here they link to the figures below.
            text_parts=parts(target.status_text, {}, figures(indicators)),
            findings=findings,
            crumbs=crumbs(
                (_("National targets"), reverse("targets:target_list")), (target.title, None, "da")
            ),
            **kwargs,
        )


def indicator_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """An indicator's table as CSV or XLSX, in the shape shown on the page."""
    if fmt not in FORMATS:
        raise Http404
    indicator = get_object_or_404(Indicator.objects.prefetch_related(MEASUREMENTS), pk=pk)
    matrix = indicator_matrix(indicator)
    headers = [matrix.column_title or _("Breakdown"), *matrix.columns]
    rows = [
        [label, *[None if m is None else m.value for m in cells]] for label, cells in matrix.rows
    ]
    return download(fmt, indicator.name, headers, rows)
