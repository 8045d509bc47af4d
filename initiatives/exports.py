"""The status table of a plan for one year, as a Table (see kraeftplan.tabular)."""

from django.utils.translation import gettext as _

from kraeftplan.tabular import Table

from .models import MeasureStatus


def status_table(plan, year: int) -> Table:
    table = Table(
        columns=[
            _("No."),
            _("Initiative"),
            _("Measure"),
            _("Category"),
            _("Status as published"),
        ]
    )
    for status in MeasureStatus.objects.for_status_table(plan, year):
        measure = status.measure
        initiative = measure.initiative
        table.add(
            [
                measure.number or initiative.number,
                initiative.title,
                measure.title,
                status.get_category_display(),
                status.wording,
            ]
        )
    return table
