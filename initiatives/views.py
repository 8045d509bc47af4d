from django.utils.translation import gettext_lazy as _

from kraeftplan.views import FilteredTableView

from .filtersets import InitiativeFilterSet
from .models import Initiative
from .tables import InitiativeTable


class InitiativeListView(FilteredTableView):
    filterset_class = InitiativeFilterSet
    table_class = InitiativeTable
    title = _("Initiatives")
    intro = _(
        "All initiatives, draft recommendations and regional initiatives of the plans. Filter and "
        "sort the table; the filters are kept in the address so you can share it."
    )

    def queryset(self):
        return Initiative.objects.for_initiative_list().order_by(
            "plan__start_year", "kind", "position"
        )

    def table_kwargs(self):
        return {"year": self.filterset.status_year}
