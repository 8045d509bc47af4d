import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from kraeftplan.tables import PortalTable

from .models import Initiative


def status_summary(initiative, year):
    """(category label, count) for the initiative's measures' public statuses in one year."""
    counts = {}
    for measure in initiative.measures.all():
        for status in measure.public_statuses:
            if status.year == year:
                label = status.get_category_display()
                counts[label] = counts.get(label, 0) + 1
    return list(counts.items())


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
        if year:
            self.columns["status"].column.verbose_name = _("Status %(year)s") % {"year": year}

    def render_responsible(self, record):
        return ", ".join(
            r.organisation.short_name or r.organisation.name for r in record.responsibilities.all()
        )

    def value_responsible(self, record):
        return self.render_responsible(record)

    def render_status(self, record):
        summary = status_summary(record, self.year)
        if not summary:
            return "–"
        return format_html(
            '<ul class="nobullet-list kp-status-list">{}</ul>',
            format_html_join("", "<li>{} ({})</li>", summary),
        )

    def value_status(self, record):
        return "; ".join(f"{label} ({n})" for label, n in status_summary(record, self.year))
