from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from initiatives.choices import StatusCategory
from kraeftplan.formatting import format_number
from kraeftplan.forms import DkfdsForm, danish_inputs, dkfds_classes

from .models import Contribution, ContributionItem, ProposedCase

# How long typed texts may be, in characters: room for what a yearly status needs (the longest
# published wording is about 100 characters, the longest narrative about 2.000), and a clear
# message instead of a page that chokes on a pasted document. The Excel import uses them too.
WORDING_LIMIT = 500
NARRATIVE_LIMIT = 10_000
COMMENT_LIMIT = 5_000
CASE_TEXT_LIMIT = 10_000


def length(text: str) -> int:
    """Characters as the writer counts them: a line break is one, though a browser sends two."""
    return len(text.replace("\r\n", "\n"))


def too_long_message(limit: int, typed: int) -> str:
    return gettext("At most %(limit)s characters; you typed %(typed)s.") % {
        "limit": format_number(limit),
        "typed": format_number(typed),
    }


@deconstructible
class TextLimit:
    """A form validator: at most `limit` characters, and the message says how many were typed.

    Not the maxlength attribute: a browser would silently cut off a pasted text."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: str) -> None:
        if length(value) > self.limit:
            raise ValidationError(too_long_message(self.limit, length(value)), code="max_length")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextLimit) and other.limit == self.limit


def limit_length(field: forms.Field, limit: int) -> None:
    """Give a text field its limit, and say it in the field's hint."""
    field.validators.append(TextLimit(limit))
    hint = gettext("At most %(limit)s characters.") % {"limit": format_number(limit)}
    field.help_text = f"{field.help_text} {hint}" if field.help_text else hint


class LoadedRowsFormSet[M: Model, F: forms.ModelForm[Any]](forms.BaseModelFormSet[M, F]):
    """A model formset whose rows' ids are checked against the rows it has loaded already,
    instead of with a query per row (Django's default) – and so only ids of its own rows pass."""

    # Rows a sender may have that the formset no longer loads (deleted meanwhile).
    ROOM = 10

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django builds as many forms as TOTAL_FORMS says, up to absolute_max (max_num + 1000),
        # and renders them again on a refusal: a tampered count made one post cost seconds and
        # megabytes. The rows are known, so more forms than these is the formset's error.
        if self.is_bound:
            self.absolute_max = len(self.get_queryset()) + self.extra + self.ROOM

    def add_fields(self, form: F, index: int | None) -> None:
        super().add_fields(form, index)
        name = "id"  # the models' automatic primary key
        if not isinstance(form.fields.get(name), forms.ModelChoiceField):
            return  # an inline formset whose key is the parent's
        if not hasattr(self, "_loaded_rows"):
            self._loaded_rows = {str(row.pk): row for row in self.get_queryset()}
        old = form.fields[name]
        form.fields[name] = LoadedRowField(
            self._loaded_rows,
            initial=old.initial,
            required=False,
            widget=old.widget,
        )


class LoadedRowField(forms.ModelChoiceField[Any]):
    """The hidden id of one of a formset's loaded rows (see LoadedRowsFormSet)."""

    def __init__(self, rows: Mapping[str, Model], **kwargs: Any) -> None:
        super().__init__(queryset=None, **kwargs)
        self.rows = rows

    def to_python(self, value: Any) -> Model | None:
        if value in self.empty_values:
            return None
        if str(value) not in self.rows:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return self.rows[str(value)]


class ItemForm(DkfdsForm, forms.ModelForm[ContributionItem]):
    # The formset of the cases proposed for the measure; the view sets it (views._forms).
    cases: "forms.BaseInlineFormSet[ProposedCase, ContributionItem, ProposedCaseForm]"

    class Meta:
        model = ContributionItem
        fields = ["category", "wording", "narrative"]
        widgets = {
            "wording": forms.Textarea(attrs={"rows": 2}),
            "narrative": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_length(self.fields["wording"], WORDING_LIMIT)
        limit_length(self.fields["narrative"], NARRATIVE_LIMIT)
        danish_inputs(self.fields, "wording", "narrative")


ItemFormSet = forms.modelformset_factory(
    ContributionItem, form=ItemForm, formset=LoadedRowsFormSet, extra=0, can_delete=False
)
type ItemFormSetType = forms.BaseModelFormSet[ContributionItem, ItemForm]


class ProposedCaseForm(forms.ModelForm[ProposedCase]):  # classes: see the formset's add_fields
    class Meta:
        model = ProposedCase
        fields = ["title", "text"]
        labels = {"title": _("Case title"), "text": _("Case text")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_length(self.fields["text"], CASE_TEXT_LIMIT)
        danish_inputs(self.fields, "title", "text")


class BaseProposedCaseFormSet(
    LoadedRowsFormSet[ProposedCase, ProposedCaseForm],
    forms.BaseInlineFormSet[ProposedCase, ContributionItem, ProposedCaseForm],
):
    default_error_messages = {"too_many_forms": _("At most %(num)d cases per measure.")}

    def get_queryset(self) -> QuerySet[ProposedCase]:
        # The item's cases as prefetched with the contribution's items: one query for them all.
        if self.instance.pk is None:  # a tampered measure id; its form is invalid anyway
            return ProposedCase.objects.none()
        return self.instance.cases.all()

    def add_fields(self, form: ProposedCaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        dkfds_classes(form.fields)  # after the formset's own DELETE field is added


# One empty form per measure for a new case; at most MAX_CASES cases per measure.
MAX_CASES = 5
ProposedCaseFormSet = forms.inlineformset_factory(
    ContributionItem,
    ProposedCase,
    form=ProposedCaseForm,
    formset=BaseProposedCaseFormSet,
    extra=1,
    max_num=MAX_CASES,
    validate_max=True,
    can_delete=True,
)


class ContributionForm(DkfdsForm, forms.ModelForm[Contribution]):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Contribution
        fields = ["general_comment"]
        widgets = {"general_comment": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_length(self.fields["general_comment"], COMMENT_LIMIT)
        danish_inputs(self.fields, "general_comment")


class ReturnForm(DkfdsForm, forms.Form):
    comment = forms.CharField(
        label=_("What should be changed"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_length(self.fields["comment"], COMMENT_LIMIT)


class ConsolidationForm(DkfdsForm, forms.Form):
    # The status's revision when the page was opened (0: there was none yet).
    seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=StatusCategory.choices,
    )
    wording = forms.CharField(label=_("Wording"), widget=forms.Textarea(attrs={"rows": 2}))
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_length(self.fields["wording"], WORDING_LIMIT)
        limit_length(self.fields["narrative"], NARRATIVE_LIMIT)
        danish_inputs(self.fields, "wording", "narrative")
