"""Shared admin pieces: history on every model, view-only records, year checks for inlines,
numbers typed the Danish way in every form and inline."""

from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django import forms
from django.contrib import admin
from django.db.models import Field, Model
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from kraeftplan.fields import IntegerFormField, number_formfield

if TYPE_CHECKING:
    from django.contrib.admin.options import BaseModelAdmin

    _ModelAdminBase = admin.ModelAdmin[Any]
    _BaseModelAdminBase = BaseModelAdmin[Any]
else:
    _ModelAdminBase = object
    _BaseModelAdminBase = object

_M = TypeVar("_M", bound=Model)
_P = TypeVar("_P", bound=Model)


class PlanPeriod(Protocol):
    """What the formset needs of a plan (initiatives.models.Plan)."""

    def year_outside_message(self, year: int) -> str | None: ...


class DanishNumbersMixin(_BaseModelAdminBase):
    """Every number in the form is a text input read the Danish way (85,3 · 1.051.042), never an
    <input type="number">, which drops the comma of "85,3" and sends 853. For admins and inlines
    alike; tests/test_number_inputs.py walks every admin form to see that none is left out."""

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        field = number_formfield(db_field, **kwargs)
        if field is None:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(field, IntegerFormField):
            field.widget.attrs.setdefault("class", "vIntegerField")  # the admin's narrow input
        return field


class TabularInline(DanishNumbersMixin, admin.TabularInline[_M, _P]):
    """An inline table whose numbers are typed the Danish way."""


class StackedInline(DanishNumbersMixin, admin.StackedInline[_M, _P]):
    """A stacked inline whose numbers are typed the Danish way."""


# simple_history has no types: its admin is Any to mypy.
class HistoryAdmin(DanishNumbersMixin, SimpleHistoryAdmin):  # type: ignore[misc]
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
