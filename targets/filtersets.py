from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from initiatives.models import Plan
from kraeftplan.forms import DanishDataSelect, dkfds_classes

from .models import NationalTarget


class TargetFilterSet(django_filters.FilterSet):
    """Filters of /maal/; parameter names are Danish because people share these URLs (as on
    /initiativer/)."""

    plan = django_filters.ChoiceFilter(
        field_name="plan__slug",
        label=_("Plan"),
        empty_label=_("All plans"),
        widget=DanishDataSelect,
    )

    class Meta:
        model = NationalTarget
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The plans are read once: for the choices, and for what the page says of the chosen one.
        self.plans = {plan.slug: plan for plan in Plan.objects.order_by("start_year", "name")}
        self.filters["plan"].extra["choices"] = [
            (slug, plan.name) for slug, plan in self.plans.items()
        ]
        dkfds_classes(self.form.fields)

    @property
    def chosen_plan(self) -> Plan | None:
        if not (self.is_bound and self.form.is_valid()):
            return None
        return self.plans.get(self.form.cleaned_data.get("plan") or "")
