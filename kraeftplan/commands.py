"""Shared parts of the management commands that print tables."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from initiatives.models import Plan
from kraeftplan.tabular import Table, render_text, write_csv

FORMATS = ["text", "csv"]


def get_plan(slug: str) -> Plan:
    try:
        return Plan.objects.get(slug=slug)
    except Plan.DoesNotExist:
        known = ", ".join(Plan.objects.order_by("start_year").values_list("slug", flat=True))
        raise CommandError(
            _("Unknown plan %(slug)s. Known plans: %(known)s.") % {"slug": slug, "known": known}
        ) from None


def add_format_argument(parser):
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text: aligned columns for reading; csv: for spreadsheets and scripts.",
    )


def output(command, table: Table, fmt: str):
    if fmt == "csv":
        write_csv(table, command.stdout)
    else:
        command.stdout.write(render_text(table), ending="")
