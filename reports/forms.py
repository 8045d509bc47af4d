from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kraeftplan.forms import DanishDataSelect


class PublishForm(forms.Form):
    """What staff say when they publish a report: a note for a correction, an optional embargo."""

    note = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a correction of a published report."),
    )
    embargo_until = forms.DateTimeField(
        label=_("Public from"),
        required=False,
        help_text=_("Leave empty to publish now. Format: 2021-01-27 12:00."),
        input_formats=["%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%Y-%m-%d"],
    )


class ReportFilterForm(forms.Form):
    """The plan filter of /rapporter/ (?plan=<slug>), as the other public lists name it."""

    plan = forms.ChoiceField(label=_("Plan"), required=False, widget=DanishDataSelect)

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["plan"])
        field.choices = [("", _("All plans"))] + [(plan.slug, plan.name) for plan in plans]
        field.widget.attrs["class"] = "form-select"
