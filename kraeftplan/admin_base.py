"""Shared admin pieces: history on every model, view-only records, year checks for inlines,
numbers typed the Danish way in every form and inline."""

import hashlib
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Field, Max, Model
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kraeftplan.fields import IntegerFormField, number_formfield

if TYPE_CHECKING:
    from django.contrib.admin.options import BaseModelAdmin, InlineModelAdmin

    _ModelAdminBase = admin.ModelAdmin[Any]
    _BaseModelAdminBase = BaseModelAdmin[Any]
    _InlineBase = InlineModelAdmin[Any, Any]
else:
    _ModelAdminBase = object
    _BaseModelAdminBase = object
    _InlineBase = object

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


SEEN = "seen_version"


# Columns that change without anyone editing the record (a user's last login).
VOLATILE = {"last_login"}


def record_version(instance: Model, lock: bool = False) -> str:
    """Which saved version of the record this is, as stored: its latest history entry
    (simple_history), or for a model without history a fingerprint of its stored row.
    lock: lock the row until the transaction ends, so that two saves at the same moment
    cannot both pass the check (the admin saves in one transaction)."""
    if instance.pk is None:
        return ""
    return record_versions(type(instance), [instance.pk], lock).get(instance.pk, "")


def record_versions(model: type[Model], pks: list[Any], lock: bool = False) -> dict[Any, str]:
    """record_version of each stored row of model among pks, in two queries however many."""
    if not pks:
        return {}
    key = model._meta.pk.attname
    rows = model._default_manager.filter(pk__in=pks).order_by("pk")
    if lock:
        rows = rows.select_for_update()
    stored = {row[key]: row for row in rows.values()}
    history = getattr(model, "history", None)
    if history is None:
        return {
            pk: hashlib.sha256(
                repr(sorted((n, v) for n, v in row.items() if n not in VOLATILE)).encode()
            ).hexdigest()[:32]
            for pk, row in stored.items()
        }
    latest = dict(
        history.filter(**{f"{key}__in": list(stored)})
        .order_by()
        .values_list(key)
        .annotate(latest=Max("history_id"))
        .values_list(key, "latest")
    )
    return {pk: str(latest.get(pk) or "") for pk in stored}


class SeenVersionField(forms.CharField):
    """The version the writer opened, sent back with the form. Never a change in itself: a row
    is saved for what the writer changed, not for carrying its version."""

    widget = forms.HiddenInput

    def has_changed(self, initial: Any, data: Any) -> bool:
        return False


class VersionedAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """An admin form (or inline row) that knows which version of the record it was opened on:
    a second person saving over someone else's save gets a clear conflict and nothing is saved
    (the optimistic locking of the contributor pages, for every record the admin edits)."""

    seen_version = SeenVersionField(required=False)
    # Set by VersionedInlineFormSet: the rows' versions, read under lock for all rows at once.
    locked_versions: dict[Any, str] | None = None

    def __init__(self, *args: Any, versions: dict[Any, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A bound form sends back the version it was opened with; only a new form needs it.
        if not self.is_bound:
            pk = self.instance.pk
            self.fields[SEEN].initial = (
                versions.get(pk, "") if versions is not None else record_version(self.instance)
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen = self.data.get(self.add_prefix(SEEN)) if self.is_bound else None
        # Read under a row lock: a save at the same moment waits, then sees the new version.
        if self.instance.pk is not None and seen is not None and seen != self.stored_version():
            raise forms.ValidationError(
                _(
                    "Someone else saved this record after you opened it. Nothing was "
                    "saved; open the page again to see their changes, then make yours."
                ),
                code="conflict",
            )
        return cleaned

    def stored_version(self) -> str:
        if self.locked_versions is not None:
            return self.locked_versions.get(self.instance.pk, "")
        return record_version(self.instance, lock=True)


class VersionedInlineFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """Reads the versions of all its rows in two queries (and again, under lock, when it is
    saved), instead of two for each row."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs(index)
        if not self.is_bound:
            kwargs["versions"] = self.row_versions
        return kwargs

    @cached_property
    def row_versions(self) -> dict[Any, str]:
        assert self.model is not None
        return record_versions(self.model, [row.pk for row in self.get_queryset()])

    def full_clean(self) -> None:
        if self.is_bound:
            assert self.model is not None
            existing = [form.instance.pk for form in self.initial_forms if form.instance.pk]
            locked = record_versions(self.model, existing, lock=True)
            for form in self.forms:
                if isinstance(form, VersionedAdminForm):
                    form.locked_versions = locked
        super().full_clean()


class VersionedInlineMixin(_InlineBase):
    """Inline rows carry their version too: saving the parent does not put back a row that
    someone changed on its own page meanwhile."""

    form: Any = VersionedAdminForm

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return with_seen_version(super().get_fieldsets(request, obj))

    def get_formset(self, request: HttpRequest, obj: Model | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        if issubclass(formset, VersionedInlineFormSet):
            return formset
        # The inline's own formset class (its checks) with the versions read in one go.
        return type(formset.__name__, (VersionedInlineFormSet, formset), {})


class TabularInline(VersionedInlineMixin, DanishNumbersMixin, admin.TabularInline[_M, _P]):
    """An inline table whose numbers are typed the Danish way, each row with its version."""


class StackedInline(VersionedInlineMixin, DanishNumbersMixin, admin.StackedInline[_M, _P]):
    """A stacked inline whose numbers are typed the Danish way, each row with its version."""


def with_seen_version(fieldsets: Any) -> Any:
    names = [name for _title, options in fieldsets for name in _flat(options["fields"])]
    if SEEN in names or not fieldsets:
        return fieldsets
    title, options = fieldsets[0]
    return [(title, {**options, "fields": [*options["fields"], SEEN]}), *fieldsets[1:]]


# simple_history has no types: its admin is Any to mypy.
class HistoryAdmin(DanishNumbersMixin, SimpleHistoryAdmin):  # type: ignore[misc]
    """Every editable model keeps who/when/what; the admin shows it under "Historik", and a
    second person saving over the first gets a conflict (VersionedAdminForm)."""

    save_on_top = True
    form = VersionedAdminForm

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is None else with_seen_version(fieldsets)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """A revert is a change of the record as it is now: refused where the record as it is
        now may not be changed here (a submitted contribution, a read-only record), whatever
        the old version allowed. The model's own rules still apply when it is saved."""
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                messages.error(
                    request,
                    _(
                        "This record cannot be changed here as it is now, so it cannot be "
                        "reverted to an earlier version either. Nothing was changed."
                    ),
                )
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_history",
                        args=[object_id],
                        current_app=self.admin_site.name,
                    )
                )
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return response


def _flat(fields: Any) -> list[str]:
    return [
        name for item in fields for name in (item if isinstance(item, list | tuple) else [item])
    ]


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
