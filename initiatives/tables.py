import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from kraeftplan.tables import PortalTable

from .choices import StatusCategory
from .models import Initiative, MeasureStatus


class InitiativeTable(PortalTable):
    plan = tables.Column(
        accessor="plan__short_name", verbose_name=_("Plan"), order_by=("plan__start_year",)
    )
    number = tables.Column(verbose_name=_("No."), order_by=("plan__start_year", "kind", "position"))
    title = tables.Column(verbose_name=_("Initiative"), linkify=True)
    main_element = tables.Column(accessor="main_element__title", verbose_name=_("Main element"))
    kind = tables.Column(verbose_name=_("Kind"))
    responsible = tables.Column(empty_values=(), orderable=False, verbose_name=_("Responsible"))
    status = tables.Column(empty_values=(), orderable=False, verbose_name=_("Status"))

    class Meta(PortalTable.Meta):
        model = Initiative
        fields = ["plan", "number", "title", "main_element", "kind", "responsible", "status"]

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self._status_counts = None
        self._counted = []
        if year:
            self.columns["status"].column.verbose_name = _("Status %(year)s") % {"year": year}

    def render_responsible(self, record):
        return ", ".join(
            r.organisation.short_name or r.organisation.name for r in record.responsibilities.all()
        )

    def value_responsible(self, record):
        return self.render_responsible(record)

    def status_summary(self, record):
        """[(label, n)] of the record's public statuses in the chosen year, counted in one query
        for the rows shown (the page, or every row in a download)."""
        if self._status_counts is None or record.pk not in self._counted:
            self._counted = [row.record.pk for row in self.paginated_rows]
            if record.pk not in self._counted:  # a download renders every row, not the page
                self._counted = [initiative.pk for initiative in self.data]
            self._status_counts = (
                MeasureStatus.objects.public()
                .filter(year=self.year, measure__initiative__in=self._counted)
                .category_counts("measure__initiative")
            )
        return StatusCategory.labelled(self._status_counts.get(record.pk, {}))

    def render_status(self, record):
        summary = self.status_summary(record)
        if not summary:
            return "–"
        return format_html(
            '<ul class="nobullet-list kp-status-list">{}</ul>',
            format_html_join("", "<li>{} ({})</li>", summary),
        )

    def value_status(self, record):
        return "; ".join(f"{label} ({n})" for label, n in self.status_summary(record))
