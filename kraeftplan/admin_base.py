"""Shared admin pieces: history on every model, view-only records, year checks for inlines."""

from typing import TYPE_CHECKING, Any, Protocol

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

if TYPE_CHECKING:
    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _ModelAdminBase = object


class PlanPeriod(Protocol):
    """What the formset needs of a plan (initiatives.models.Plan)."""

    def year_outside_message(self, year: int) -> str | None: ...


class HistoryAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history has no types
    """Every editable model keeps who/when/what; the admin shows it under "Historik"."""

    save_on_top = True


class ViewOnlyAdmin(_ModelAdminBase):
    """For records written elsewhere (logs, frozen versions, proposals): shown, never added or
    edited in the admin. Deleting is allowed only where the subclass says so."""

    deletable = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.deletable and super().has_delete_permission(request, obj)


class YearWithinPlanFormSet(forms.BaseInlineFormSet[Any, Any, Any]):
    """Rejects a row whose year lies outside the plan of the parent object.

    The model's own clean() cannot do this for a parent that is being created in the same
    request (it has no primary key yet), so the formset checks against the parent form's plan.
    """

    def plan(self) -> PlanPeriod | None:
        raise NotImplementedError

    def clean(self) -> None:
        super().clean()
        plan = self.plan()
        if plan is None:
            return
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            year = form.cleaned_data.get("year")
            if year and (message := plan.year_outside_message(year)):
                form.add_error("year", message)
