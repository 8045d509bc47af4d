"""Contributor pages under /bidrag/: organisations report yearly status; the ministry reviews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .access import get_contribution
from .choices import ContributionAction
from .contribution_forms import ContributionForm, ItemFormSet, ReturnForm
from .models import Contribution


class EditConflict(Exception):
    """The contribution changed since the form was opened."""


@login_required
def contribution_list(request):
    contributions = (
        Contribution.objects.visible_to(request.user)
        .select_related("round__plan", "organisation")
        .order_by("-round__year", "round__plan__start_year", "organisation__name")
    )
    return render(
        request,
        "contributions/contribution_list.html",
        {"contributions": contributions, "today": timezone.localdate()},
    )


def _forms(request, contribution, data=None):
    items = contribution.items.select_related("measure__initiative").order_by(
        "measure__initiative__position", "measure__position"
    )
    formset = ItemFormSet(data, queryset=items, prefix="indsats")
    form = ContributionForm(
        data, instance=contribution, initial={"revision": contribution.revision}, prefix="bidrag"
    )
    return form, formset


@login_required
@require_http_methods(["GET", "POST"])
def contribution_detail(request, pk):
    contribution = get_contribution(request.user, pk)
    membership = getattr(request.user, "membership", None)
    can_edit = bool(
        contribution.is_editable
        and membership
        and membership.can_edit
        and membership.organisation_id == contribution.organisation_id
    )
    if request.method == "POST":
        contribution = get_contribution(request.user, pk, edit=True)
        if not contribution.is_editable:
            messages.error(request, _("The contribution is locked and cannot be changed."))
            return redirect(contribution)
        form, formset = _forms(request, contribution, request.POST)
        conflict = False
        if form.is_valid() and formset.is_valid():
            try:
                with transaction.atomic():
                    current = Contribution.objects.select_for_update().get(pk=contribution.pk)
                    if current.revision != form.cleaned_data["revision"]:
                        raise EditConflict
                    formset.save()
                    current.general_comment = form.cleaned_data["general_comment"]
                    current.revision += 1
                    current.save()
                    current.record(ContributionAction.SAVED, request.user)
                    if "indsend" in request.POST:
                        current.submit(request.user)  # a ValidationError undoes the save too
            except EditConflict:
                conflict = True
                form.add_error(
                    None,
                    _(
                        "Someone else saved this contribution after you opened it. Nothing "
                        "was saved; your text is still in the form. Open the contribution in "
                        "a new tab to see their changes, then save again."
                    ),
                )
            except ValidationError as error:
                contribution.refresh_from_db()
                form.add_error(None, error.messages)
            else:
                submitted = "indsend" in request.POST
                messages.success(
                    request,
                    _("The contribution was submitted.")
                    if submitted
                    else _("The contribution was saved."),
                )
                return redirect(contribution)
        return render(
            request,
            "contributions/contribution_detail.html",
            _context(contribution, form, formset, True, request),
            status=409 if conflict else 400,
        )
    form, formset = _forms(request, contribution)
    return render(
        request,
        "contributions/contribution_detail.html",
        _context(contribution, form, formset, can_edit, request),
    )


def _context(contribution, form, formset, can_edit, request):
    return {
        "contribution": contribution,
        "form": form,
        "formset": formset,
        "can_edit": can_edit,
        "can_review": request.user.is_staff and contribution.state == "submitted",
        "return_form": ReturnForm(),
        "events": contribution.events.select_related("actor"),
    }


@login_required
@require_POST
def contribution_return(request, pk):
    contribution = get_contribution(request.user, pk, review=True)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            contribution.return_for_changes(request.user, form.cleaned_data["comment"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The contribution was returned with your comment."))
    else:
        messages.error(request, _("Say what should be changed."))
    return redirect(contribution)


@login_required
@require_POST
def contribution_approve(request, pk):
    contribution = get_contribution(request.user, pk, review=True)
    try:
        contribution.approve(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The contribution was approved and is now locked."))
    return redirect(contribution)
