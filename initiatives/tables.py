import django_tables2 as tables
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kraeftplan.formatting import format_number
from kraeftplan.tables import PortalTable

from .models import Initiative, PublishedStatus


def danish_data() -> str | None:
    """lang="da" for a cell of Danish data (names, titles, status wordings) on a page in
    another language."""
    return None if translation.get_language() == "da" else "da"


DANISH = {"td": {"lang": danish_data}}


class InitiativeTable(PortalTable):
    plan = tables.Column(
        accessor="plan__short_name",
        verbose_name=_("Plan"),
        order_by=("plan__start_year",),
        attrs=DANISH,
    )
    number = tables.Column(verbose_name=_("No."), order_by=("plan__start_year", "kind", "position"))
    title = tables.Column(verbose_name=_("Initiative"), linkify=True, attrs=DANISH)
    main_element = tables.Column(
        accessor="main_element__title", verbose_name=_("Main element"), attrs=DANISH
    )
    kind = tables.Column(verbose_name=_("Kind"))
    responsible = tables.Column(
        empty_values=(), orderable=False, verbose_name=_("Responsible"), attrs=DANISH
    )
    status = tables.Column(empty_values=(), orderable=False, verbose_name=_("Status"))

    class Meta(PortalTable.Meta):
        model = Initiative
        fields = ["plan", "number", "title", "main_element", "kind", "responsible", "status"]

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self._wordings = None
        self._wordings_of = []  # the initiatives _wordings was read for
        if year:
            self.columns["status"].column.verbose_name = _("Status %(year)s") % {"year": year}

    def render_responsible(self, record):
        return ", ".join(
            r.organisation.short_name or r.organisation.name for r in record.responsibilities.all()
        )

    def value_responsible(self, record):
        return self.render_responsible(record)

    def status_summary(self, record):
        """[(wording as published, category, n)] of the record's public statuses in the chosen
        year, in one query for the rows shown (the page, or every row in a download)."""
        if self._wordings is None or record.pk not in self._wordings_of:
            self._wordings_of = [row.record.pk for row in self.paginated_rows]
            if record.pk not in self._wordings_of:  # a download renders every row, not the page
                self._wordings_of = [initiative.pk for initiative in self.data]
            self._wordings = (
                PublishedStatus.objects.public()
                .filter(year=self.year, measure__initiative__in=self._wordings_of)
                .wordings("measure__initiative")
            )
        return self._wordings.get(record.pk, [])

    def render_status(self, record):
        summary = self.status_summary(record)
        if not summary:
            return "–"
        return format_html(
            '<ul class="nobullet-list kp-status-list">{}</ul>',
            format_html_join("", "<li>{}</li>", ((status_html(*row),) for row in summary)),
        )

    def value_status(self, record):
        return "; ".join(status_text(*row) for row in self.status_summary(record))


def _measures(n: int) -> str:
    return ngettext("%(n)s measure", "%(n)s measures", n) % {"n": format_number(n)}


def status_text(wording: str, category: str, n: int) -> str:
    """ "Følger tidsplanen (2 indsatser)", or with the category beside a wording of its own:
    "Udviklingsfasen er forlænget … – Tidsplanen er skubbet (1 indsats)"."""
    if wording.strip().rstrip(".").casefold() == category.casefold():
        return f"{wording} ({_measures(n)})"
    return f"{wording} – {category} ({_measures(n)})"


def status_html(wording: str, category: str, n: int) -> str:
    """status_text() for a page: the published wording is Danish, the category is in the page's
    language; on a page in another language the wording is marked lang="da"."""
    if translation.get_language() == "da":
        return status_text(wording, category, n)
    marked = format_html('<span lang="da">{}</span>', wording)
    if wording.strip().rstrip(".").casefold() == category.casefold():
        return format_html("{} ({})", marked, _measures(n))
    return format_html("{} – {} ({})", marked, category, _measures(n))
