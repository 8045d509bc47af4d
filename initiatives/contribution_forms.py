from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import StatusCategory
from .models import Contribution, ContributionItem, ProposedCase


class ItemForm(forms.ModelForm):
    class Meta:
        model = ContributionItem
        fields = ["category", "wording", "narrative"]
        widgets = {
            "category": forms.Select(attrs={"class": "form-select"}),
            "wording": forms.Textarea(attrs={"class": "form-input", "rows": 2}),
            "narrative": forms.Textarea(attrs={"class": "form-input", "rows": 5}),
        }


ItemFormSet = forms.modelformset_factory(ContributionItem, form=ItemForm, extra=0, can_delete=False)


class ProposedCaseForm(forms.ModelForm):
    class Meta:
        model = ProposedCase
        fields = ["title", "text"]
        labels = {"title": _("Case title"), "text": _("Case text")}
        widgets = {
            "title": forms.TextInput(attrs={"class": "form-input"}),
            "text": forms.Textarea(attrs={"class": "form-input", "rows": 4}),
        }


class BaseProposedCaseFormSet(forms.BaseInlineFormSet):
    default_error_messages = {"too_many_forms": _("At most %(num)d cases per measure.")}

    def get_queryset(self):
        # The item's cases as prefetched with the contribution's items: one query for them all.
        if self.instance.pk is None:  # a tampered measure id; its form is invalid anyway
            return ProposedCase.objects.none()
        return self.instance.cases.all()

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-checkbox"


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


class ContributionForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Contribution
        fields = ["general_comment"]
        widgets = {"general_comment": forms.Textarea(attrs={"class": "form-input", "rows": 4})}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should be changed"),
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 4}),
    )


class ConsolidationForm(forms.Form):
    seen = forms.CharField(widget=forms.HiddenInput, required=False)  # MeasureStatus.fingerprint
    category = forms.ChoiceField(
        label=_("Category"),
        choices=StatusCategory.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    wording = forms.CharField(
        label=_("Wording"), widget=forms.Textarea(attrs={"class": "form-input", "rows": 2})
    )
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 6}),
        help_text=_("Markdown."),
    )
