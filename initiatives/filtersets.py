from typing import cast

import django_filters
from django.utils.translation import gettext_lazy as _

from kraeftplan.forms import DanishDataSelect, dkfds_classes

from .choices import InitiativeKind, StatusCategory
from .models import (
    Initiative,
    MainElement,
    Organisation,
    Plan,
    PublishedStatus,
    public_status_years,
    validate_search,
)


def published_years() -> list[int]:
    return sorted(public_status_years(), reverse=True)


class InitiativeFilterSet(django_filters.FilterSet):
    """Filters of /initiativer/; parameter names are Danish because people share these URLs."""

    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"), validators=[validate_search]
    )
    plan = django_filters.ModelChoiceFilter(
        queryset=Plan.objects.order_by("start_year"),
        to_field_name="slug",
        label=_("Plan"),
        empty_label=_("All plans"),
        widget=DanishDataSelect,
    )
    hovedelement = django_filters.ModelChoiceFilter(
        field_name="main_element",
        queryset=MainElement.objects.select_related("plan"),
        label=_("Main element"),
        empty_label=_("All main elements"),
        widget=DanishDataSelect,
    )
    type = django_filters.ChoiceFilter(
        field_name="kind",
        choices=InitiativeKind.choices,
        label=_("Kind"),
        empty_label=_("All kinds"),
    )
    organisation = django_filters.ModelChoiceFilter(
        field_name="organisations",
        queryset=Organisation.objects.filter(responsibilities__isnull=False)
        .distinct()
        .order_by("name"),
        to_field_name="slug",
        label=_("Responsible organisation"),
        empty_label=_("All organisations"),
        widget=DanishDataSelect,
    )
    aar = django_filters.ChoiceFilter(
        method="filter_noop",
        label=_("Status year"),
        empty_label=_("Latest published"),
    )
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=StatusCategory.choices,
        label=_("Status"),
        empty_label=_("All statuses"),
    )

    class Meta:
        model = Initiative
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = published_years()
        self.filters["aar"].extra["choices"] = [(y, str(y)) for y in self.years]
        self.form.fields["hovedelement"].label_from_instance = lambda e: (
            f"{e.plan.short_name}: {e.title}"
        )
        dkfds_classes(self.form.fields)

    @property
    def status_year(self) -> int | None:
        chosen = (
            self.form.cleaned_data.get("aar") if self.is_bound and self.form.is_valid() else None
        )
        return int(chosen) if chosen else (self.years[0] if self.years else None)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_status(self, queryset, name, value):
        # status_year is None only when no year is published, and then no status is public.
        year = cast(int, self.status_year)
        statuses = PublishedStatus.objects.public().filter(year=year, category=value)
        return queryset.filter(measures__published_statuses__in=statuses).distinct()
