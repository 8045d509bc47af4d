"""Ministry staff steer an open round from its overview: deadline, closing, who takes part."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Organisation
from initiatives.models import Measure
from kraeftplan.forms import DanishDataSelect
from kraeftplan.templatetags.kp import da

from .access import get_round
from .models import ReportingRound


class RoundManageForm(forms.Form):
    """Staff's steering of an open round: a new deadline, one more organisation."""

    deadline = forms.DateField(
        label=gettext_lazy("New deadline"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-input input-width-s"}, format="%Y-%m-%d"
        ),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=DanishDataSelect(attrs={"class": "form-select"}),
    )
    measures = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Measures it reports on"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "None ticked: the measures of the initiatives it is responsible for."
        ),
    )

    def __init__(self, round_: ReportingRound, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round_
        self.fields["organisation"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            contributions__round=round_
        ).order_by("name")
        self.fields["measures"].queryset = (  # type: ignore[attr-defined]
            Measure.objects.filter(initiative__plan=round_.plan)
            .in_published_order()
            .select_related("initiative")
        )
        # The measures' titles are Danish data: marked on a page in another language.
        self.fields["measures"].label_from_instance = lambda measure: da(str(measure))  # type: ignore[attr-defined]


@login_required
@require_POST
def round_manage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    """Staff: close or reopen the round, move its deadline, add or remove an organisation."""
    round_ = get_round(request.user, pk)
    action = request.POST.get("action", "")
    form = RoundManageForm(round_, request.POST)
    try:
        if action == "close":
            round_.close(request.user)
            messages.success(request, _("The round is closed."))
        elif action == "reopen":
            round_.reopen(request.user)
            messages.success(request, _("The round is open again."))
        elif action == "deadline" and form.is_valid() and form.cleaned_data["deadline"]:
            told = round_.change_deadline(form.cleaned_data["deadline"], request.user)
            messages.success(
                request,
                _("The deadline is moved; %(n)s organisations that have not submitted are told.")
                % {"n": told},
            )
        elif action == "add" and form.is_valid() and form.cleaned_data["organisation"]:
            organisation = form.cleaned_data["organisation"]
            chosen = [m.pk for m in form.cleaned_data["measures"]] or sorted(
                ReportingRound.default_assignments(round_.plan, round_.year).get(organisation, ())
            )
            round_.add_organisation(organisation, chosen, request.user)
            messages.success(
                request,
                _("%(organisation)s is invited to the round.") % {"organisation": organisation},
            )
        elif action == "remove":
            raw = request.POST.get("contribution", "")
            contribution = get_object_or_404(
                round_.contributions.select_related("organisation"),
                # isdigit() alone takes "²", which int() refuses.
                pk=int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0,
            )
            round_.remove_organisation(contribution)
            messages.success(
                request,
                _("%(organisation)s is taken out of the round.")
                % {"organisation": contribution.organisation},
            )
        else:
            errors = [str(e) for field in form.errors.values() for e in field]
            messages.error(request, " ".join(errors) or _("Fill in what the step needs."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("contributions:round_overview", pk=round_.pk)
