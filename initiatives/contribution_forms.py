from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import StatusCategory
from .models import Contribution, ContributionItem


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
