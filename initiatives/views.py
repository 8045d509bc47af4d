from django.utils.functional import lazy
from django.utils.translation import gettext
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
        return {"year": self.filterset.status_year, "empty_text": lazy(self.empty_text, str)()}

    def empty_text(self) -> str:
        """Why the table is empty (read only when it is): a plan carried out through main
        elements publishes no initiatives, which no other filter explains."""
        form = self.filterset.form
        valid = self.filterset.is_bound and form.is_valid()
        plan = form.cleaned_data.get("plan") if valid else None
        if plan is not None and not plan.initiatives.exists():
            if plan.main_elements.exists():
                return gettext(
                    "%(plan)s is carried out through main elements and publishes no initiatives; "
                    "the plan's page describes its main elements."
                ) % {"plan": plan.short_name}
            return gettext("The portal has no initiatives of %(plan)s.") % {"plan": plan.short_name}
        return gettext("No results match the chosen filters.")
