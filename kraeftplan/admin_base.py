"""Shared admin pieces: history on every model, year checks for inlines keyed by year."""

from django import forms
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """Every editable model keeps who/when/what; the admin shows it under "Historik"."""

    save_on_top = True


class YearWithinPlanFormSet(forms.BaseInlineFormSet):
    """Rejects a row whose year lies outside the plan of the parent object.

    The model's own clean() cannot do this for a parent that is being created in the same
    request (it has no primary key yet), so the formset checks against the parent form's plan.
    """

    def plan(self):
        raise NotImplementedError

    def clean(self):
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
