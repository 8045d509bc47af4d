import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


class PortalTable(tables.Table):  # type: ignore[misc]  # django_tables2 has no types
    """Base for the public tables: DKFDS table styling, a Danish empty text, sortable headers,
    and a caption (set by the view) that names the table."""

    caption = ""

    class Meta:
        template_name = "inc/table.html"
        attrs = {"class": "table table--compact table--zebra"}
        empty_text = _("No results match the chosen filters.")
