"""Contributor pages under /bidrag/: organisations report yearly status; the ministry reviews."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.choices import MembershipRole
from accounts.http import AuthenticatedHttpRequest
from initiatives.choices import StatusCategory
from initiatives.models import Measure, MeasureStatus, PublicYear, PublishedStatus
from kraeftplan.downloads import (
    DOWNLOAD_PARAMETER,
    FORMATS,
    download,
    file_response,
    unknown_format_message,
)
from kraeftplan.formatting import ascii_slug
from kraeftplan.models import EditConflict

from . import excel
from .access import get_contribution, get_round, is_editor_of
from .choices import ContributionAction, ContributionState
from .forms import (
    MAX_CASES,
    ConsolidationForm,
    ContributionForm,
    ItemFormSet,
    ItemFormSetType,
    ProposedCaseFormSet,
    ReturnForm,
)
from .models import (
    Contribution,
    ContributionEvent,
    ContributionItem,
    Notification,
    ProposedCase,
    ReportingRound,
)
from .round_management import RoundManageForm


@login_required
def contribution_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    contributions = (
        Contribution.objects.visible_to(request.user)
        .select_related("round__plan", "organisation")
        .order_by("-round__year", "round__plan__start_year", "organisation__name")
    )
    return render(
        request,
        "contributions/contribution_list.html",
        {
            "contributions": contributions,
            "rounds": ReportingRound.objects.select_related("plan")
            if request.user.is_staff
            else [],
        },
    )


def _items(contribution: Contribution) -> QuerySet[ContributionItem]:
    """The contribution's items in published order, each with the status of its measure as last
    published before the round's year (published_year, _category and _wording; None if none):
    what the public saw, from the published copies, in the same query as the items."""
    earlier = (
        PublishedStatus.objects.public()
        .filter(measure=OuterRef("measure"), year__lt=contribution.round.year)
        .order_by("-year")
    )
    return (
        contribution.items.in_published_order()
        .select_related("measure__initiative")
        .prefetch_related("cases")
        .annotate(
            published_year=Subquery(earlier.values("year")[:1]),
            published_category=Subquery(earlier.values("category")[:1]),
            published_wording=Subquery(earlier.values("wording")[:1]),
        )
    )


def _forms(
    request: AuthenticatedHttpRequest, contribution: Contribution, data: QueryDict | None = None
) -> tuple[ContributionForm, ItemFormSetType]:
    """The contribution's form, its measures' formset and, on each measure's form as .cases,
    the formset of the cases proposed for that measure."""
    formset = ItemFormSet(data, queryset=_items(contribution), prefix="indsats")
    for item_form in formset:
        item_form.cases = ProposedCaseFormSet(
            data, instance=item_form.instance, prefix=f"sag-{item_form.instance.pk}"
        )
    form = ContributionForm(
        data, instance=contribution, initial={"revision": contribution.revision}, prefix="bidrag"
    )
    return form, formset


def _all_valid(form: ContributionForm, formset: ItemFormSetType) -> bool:
    # Every form is validated, so that every error is shown at once.
    return all(
        [form.is_valid(), formset.is_valid()]
        + [item_form.cases.is_valid() for item_form in formset]
    )


# An error in the summary at the top of the form: (id of the field it links to, or "" for an
# error of the whole form; the message, with the field's label and measure).
type SummaryError = tuple[str, str]


def _field_errors(form: forms.BaseForm, context: str = "") -> list[SummaryError]:
    return [
        ("" if field.is_hidden else field.id_for_label, f"{context}{field.label}: {error}")
        for field in form
        for error in field.errors
    ]


def _error_summary(form: ContributionForm, formset: ItemFormSetType) -> list[SummaryError]:
    """Every error of a validated contribution form, in the order of the page, for the error
    summary above the form."""
    errors: list[SummaryError] = [("", str(error)) for error in form.non_field_errors()]
    errors += [("", str(error)) for error in formset.non_form_errors()]
    for item_form in formset:
        item = item_form.instance
        measure = f"{item.measure} – " if item.measure_id else ""  # none for a tampered id
        errors += [("", f"{measure}{error}") for error in item_form.non_field_errors()]
        errors += _field_errors(item_form, measure)
        cases = item_form.cases
        first = cases.forms[0]["title"].id_for_label if cases.forms else ""
        errors += [(first, f"{measure}{error}") for error in cases.non_form_errors()]
        for case_form in cases:
            errors += [("", f"{measure}{error}") for error in case_form.non_field_errors()]
            errors += _field_errors(case_form, measure)
    errors += _field_errors(form)
    return errors


def _draft_key(pk: int) -> str:
    return f"kp-udkast-{pk}"


# What the contribution form sends besides its fields; every form of it sends the revision.
NOT_TYPED = {"csrfmiddlewaretoken", "gem", "indsend"}
REVISION = "bidrag-revision"


def _keeping_drafts(
    view: Callable[[AuthenticatedHttpRequest, int], HttpResponse],
) -> Callable[[HttpRequest, int], HttpResponse]:
    """login_required for the contribution page, except that a form sent after the session
    expired is kept in the (new) session before the writer is sent to log in again: the page
    then shows it as an unsaved draft (see _draft)."""
    required = login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
        # The contribution form, not the button that discards a draft.
        if not request.user.is_authenticated and REVISION in request.POST:
            request.session[_draft_key(pk)] = {
                name: request.POST.getlist(name) for name in request.POST if name not in NOT_TYPED
            }
            messages.warning(
                request,
                _(
                    "You were logged out, so the contribution was not saved. Log in again: "
                    "what you typed is kept and shown in the form, ready to be saved."
                ),
            )
            return redirect_to_login(request.get_full_path())
        return required(cast(AuthenticatedHttpRequest, request), pk)  # checked by login_required

    return wrapper


def _draft(request: AuthenticatedHttpRequest, contribution: Contribution) -> QueryDict | None:
    """The form as sent when the session had expired, if there is one (see _keeping_drafts)."""
    kept = request.session.get(_draft_key(contribution.pk))
    if not kept:
        return None
    data = QueryDict(mutable=True)
    for name, values in kept.items():
        data.setlist(name, values)
    return data


ON_BEHALF = "paa-vegne"  # staff enter the contribution on the organisation's behalf


def _on_behalf(request: AuthenticatedHttpRequest, contribution: Contribution) -> bool:
    """Whether ministry staff enter this contribution on the organisation's behalf."""
    asked = request.POST if request.method == "POST" else request.GET
    return (
        request.user.is_staff
        and asked.get(ON_BEHALF) == "1"
        and contribution.is_editable
        and not contribution.round.is_closed
    )


@_keeping_drafts
@require_http_methods(["GET", "POST"])
def contribution_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        contribution = get_contribution(request.user, pk)
        on_behalf = _on_behalf(request, contribution)
        if not on_behalf:
            contribution = get_contribution(request.user, pk, edit=True)
        # What was sent replaces a kept draft: it is saved now, or shown again with its errors.
        request.session.pop(_draft_key(pk), None)
        if "kasser-udkast" in request.POST:
            messages.success(request, _("The unsaved text was discarded."))
            return redirect(contribution)
        if not contribution.is_editable:
            messages.error(request, _("The contribution is locked and cannot be changed."))
            return redirect(contribution)
        form, formset = _forms(request, contribution, request.POST)
        conflict = False
        if _all_valid(form, formset):

            def write(current: Contribution) -> None:
                formset.save()
                for item_form in formset:
                    item_form.cases.save()
                current.general_comment = form.cleaned_data["general_comment"]

            try:
                contribution.save_changes(
                    request.user,
                    form.cleaned_data["revision"],
                    write,
                    submit="indsend" in request.POST,
                    on_behalf=on_behalf,
                )
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
        context = _context(contribution, form, formset, True, request)
        context["on_behalf"] = on_behalf
        return render(
            request,
            "contributions/contribution_detail.html",
            context,
            status=409 if conflict else 400,
        )
    contribution = get_contribution(request.user, pk)
    on_behalf = _on_behalf(request, contribution)
    can_edit = on_behalf or (
        contribution.is_editable
        and not contribution.round.is_closed
        and is_editor_of(request.user, contribution)
    )
    draft = _draft(request, contribution) if can_edit else None
    shown_form, shown_formset = _forms(request, contribution, draft) if can_edit else (None, None)
    context = _context(contribution, shown_form, shown_formset, can_edit, request)
    context["draft"] = draft is not None
    context["on_behalf"] = on_behalf
    context["can_enter_on_behalf"] = (
        request.user.is_staff
        and not on_behalf
        and contribution.is_editable
        and not contribution.round.is_closed
    )
    return render(request, "contributions/contribution_detail.html", context)


def _context(
    contribution: Contribution,
    form: ContributionForm | None,
    formset: ItemFormSetType | None,
    can_edit: bool,
    request: AuthenticatedHttpRequest,
) -> dict[str, Any]:
    events = list(contribution.events.select_related("actor"))
    returned = [event for event in events if event.action == ContributionAction.RETURNED]
    errors = []
    if form is not None and formset is not None and form.is_bound:
        _all_valid(form, formset)
        errors = _error_summary(form, formset)
    return {
        "contribution": contribution,
        "form": form,
        "formset": formset,
        "errors": errors,
        "items": None if can_edit else _items(contribution),  # the read-only view
        "categories": dict(StatusCategory.choices),
        "max_cases": MAX_CASES,
        "can_edit": can_edit,
        "can_review": request.user.is_staff and contribution.state == ContributionState.SUBMITTED,
        "return_form": ReturnForm(),
        # Staff's comment when they returned it: the writer's to-do, shown at the top.
        "returned": returned[-1]
        if returned and contribution.state == ContributionState.RETURNED
        else None,
        "events": events,
    }


@login_required
@require_POST
def contribution_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
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
def contribution_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Approving locks the contribution for good: the first press asks for confirmation, the
    confirming form sends bekraeft and approves."""
    contribution = get_contribution(request.user, pk, review=True)
    if "bekraeft" not in request.POST:
        if contribution.state != ContributionState.SUBMITTED:
            messages.error(request, _("Only a submitted contribution can be approved."))
            return redirect(contribution)
        return render(
            request,
            "contributions/contribution_approve.html",
            {"contribution": contribution, "measures": contribution.items.count()},
        )
    try:
        contribution.approve(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The contribution was approved and is now locked."))
    return redirect(contribution)


LATE = "for-sent"  # the overview's filter value for late contributions (not a state)
# A measure on the consolidation page: its status, the approved proposals and the form.
type ConsolidationFormRow = tuple[
    Measure, MeasureStatus | None, list[ContributionItem], ConsolidationForm
]


@login_required
def round_overview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ministry staff: who has submitted, who is late, what waits for review; CSV/XLSX."""
    round_ = get_round(request.user, pk)
    everything: list[Any] = list(
        round_.contributions.select_related("organisation")
        .annotate(
            editors=Count(
                "organisation__memberships",
                filter=Q(
                    organisation__memberships__role=MembershipRole.EDITOR,
                    organisation__memberships__user__is_active=True,
                ),
                distinct=True,
            ),
            started=Exists(
                ContributionEvent.objects.filter(contribution=OuterRef("pk")).exclude(
                    action__in=[
                        ContributionAction.OPENED,
                        ContributionAction.ADDED,
                        ContributionAction.DEADLINE_CHANGED,
                    ]
                )
            ),
            reminded=Exists(
                Notification.objects.filter(contribution=OuterRef("pk")).filter(
                    Q(key__startswith="deadline:") | Q(key__startswith="overdue:")
                )
            ),
        )
        .order_by("organisation__name")
    )
    shown = request.GET.get("tilstand", "")
    fmt = request.GET.get(DOWNLOAD_PARAMETER)
    context: dict[str, Any] = {
        "round": round_,
        "state": shown,
        "states": [*ContributionState.choices, (LATE, _("Late (not submitted by the deadline)"))],
        "counts": [
            (label, sum(c.state == value for c in everything))
            for value, label in ContributionState.choices
        ],
        "late_count": sum(c.is_late for c in everything),
        "total": len(everything),
        "unanswerable": [c.organisation.name for c in everything if not c.editors],
        "manage": RoundManageForm(round_),
        "removable": {c.pk for c in everything if not c.started and c.state == "draft"},
    }
    if shown and shown not in ContributionState.values and shown != LATE:
        context["error"] = _("Unknown state: %(state)s.") % {"state": shown}
    elif fmt is not None and fmt not in FORMATS:
        context["error"] = unknown_format_message(fmt)
    if "error" in context:
        return render(request, "contributions/round_overview.html", context, status=400)
    rows = [
        (c, c.is_late)
        for c in everything
        if not shown or c.state == shown or (shown == LATE and c.is_late)
    ]
    if fmt:
        return download(
            fmt,
            str(_("Contributions %(round)s") % {"round": round_}),
            [
                _("Organisation"),
                pgettext("workflow", "State"),
                _("Started"),
                _("Late"),
                _("Reminded"),
                _("Users who can answer"),
                _("Updated"),
            ],
            [
                [
                    c.organisation.name,
                    c.get_state_display(),
                    _("yes") if c.started else _("no"),
                    _("yes") if late else _("no"),
                    _("yes") if c.reminded else _("no"),
                    c.editors,
                    c.updated_at.date(),
                ]
                for c, late in rows
            ],
        )
    return render(request, "contributions/round_overview.html", context | {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def round_consolidate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ministry staff write each measure's status for the year from the approved contributions."""
    round_ = get_round(request.user, pk)
    if request.method == "POST" and "sag" in request.POST:
        return _adopt_case(request, round_)
    rows = round_.consolidation()
    forms: list[ConsolidationFormRow] = []
    for measure, status, items in rows:
        first = items[0] if items else None
        initial: dict[str, object] = {
            "category": status.category if status else (first.category if first else ""),
            "wording": status.wording if status else (first.wording if first else ""),
            "narrative": status.narrative
            if status
            else "\n\n".join(i.narrative for i in items if i.narrative),
        }
        data: QueryDict | None = (
            request.POST
            if request.method == "POST" and request.POST.get("indsats") == str(measure.pk)
            else None
        )
        initial["seen"] = status.revision if status else 0
        forms.append(
            (
                measure,
                status,
                items,
                ConsolidationForm(data, initial=initial, prefix=f"m{measure.pk}"),
            )
        )
    contents: list[list[Any]] = []  # [initiative, first measure, measures with approved proposals]
    for measure, _status, items, _form in forms:
        if not contents or contents[-1][0] != measure.initiative:
            contents.append([measure.initiative, measure, 0])
        contents[-1][2] += bool(items)
    context = {
        "round": round_,
        "forms": forms,
        "contents": contents,
        "public_year": PublicYear.objects.filter(plan=round_.plan, year=round_.year).first(),
        "comments": round_.contributions.filter(state=ContributionState.APPROVED)
        .exclude(general_comment="")
        .select_related("organisation")
        .order_by("organisation__name"),
    }
    if request.method != "POST":
        return render(request, "contributions/round_consolidate.html", context)
    bound = [(i, row) for i, row in enumerate(forms) if row[3].is_bound]
    if not bound:
        messages.error(request, _("Unknown measure."))
        return redirect("contributions:round_consolidate", pk=round_.pk)
    ((index, (measure, status, items, form)),) = bound
    status_code = 400
    if form.is_valid():
        try:
            round_.consolidate(measure, user=request.user, **form.cleaned_data)
        except EditConflict:
            # Keep the writer's text; a second save knowingly replaces what is there now.
            current = MeasureStatus.objects.filter(measure=measure, year=round_.year).first()
            data = request.POST.copy()
            data[form.add_prefix("seen")] = str(current.revision if current else 0)
            form = ConsolidationForm(data, prefix=form.prefix)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone else saved this status after you opened the page. Nothing was "
                    "saved; your text is still in the form. The saved status now reads: "
                    "“%(wording)s”. Save again to replace it with yours."
                )
                % {"wording": current.wording if current else ""},
            )
            forms[index] = (measure, current, items, form)
            status_code = 409
        except ValidationError as error:  # e.g. the year is published and no correction open
            form.add_error(None, error.messages)
            status_code = 409
        else:
            messages.success(
                request, _("The status of %(measure)s was saved.") % {"measure": measure}
            )
            return redirect("contributions:round_consolidate", pk=round_.pk)
    return render(
        request,
        "contributions/round_consolidate.html",
        context,
        status=status_code,
    )


def _adopt_case(request: AuthenticatedHttpRequest, round_: ReportingRound) -> HttpResponseRedirect:
    value = request.POST.get("sag", "")
    proposal = (
        ProposedCase.objects.filter(pk=int(value), item__contribution__round=round_).first()
        if value.isascii() and value.isdigit() and len(value) < 10  # "²" is a digit to Python
        else None
    )
    if proposal is None:
        messages.error(request, _("Unknown case."))
    else:
        try:
            case = round_.adopt_case(proposal, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(title)s” is now %(label)s of the year's status.")
                % {"title": case.title, "label": case.label},
            )
    return redirect("contributions:round_consolidate", pk=round_.pk)


@login_required
@require_GET
def contribution_excel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The contribution as a pre-filled Excel template."""
    contribution = get_contribution(request.user, pk)
    name = ascii_slug(f"bidrag {contribution.organisation.name} {contribution.round}")
    return file_response(excel.template(contribution), f"{name}.xlsx")


def _session_key(contribution: Contribution) -> str:
    return f"kp-excel-{contribution.pk}"


@login_required
@require_POST
def contribution_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Read an uploaded template and show a preview with every row's errors; change nothing."""
    contribution = get_contribution(request.user, pk, edit=True)
    upload = request.FILES.get("fil")
    context: dict[str, Any] = {"contribution": contribution, "upload": None, "error": None}
    if not contribution.is_editable:
        context["error"] = _("The contribution is locked and cannot be changed.")
    elif contribution.round.is_closed:
        context["error"] = contribution.round.closed_message()
    elif upload is None:
        context["error"] = _("Choose a file to upload.")
    else:
        try:
            parsed = excel.parse(upload, contribution)
        except excel.UploadError as error:
            context["error"] = str(error)
        else:
            context["upload"] = parsed
            context["cases_now"] = ProposedCase.objects.filter(
                item__contribution=contribution
            ).count()
            if not parsed.has_errors:
                request.session[_session_key(contribution)] = {
                    "revision": contribution.revision,
                    "rows": [
                        [r.measure_id, r.category, r.wording, r.narrative] for r in parsed.rows
                    ],
                    "cases": None
                    if parsed.cases is None
                    else [[c.measure_id, c.title, c.text] for c in parsed.cases],
                }
                context["can_apply"] = True
    status = 200 if context.get("can_apply") else 400
    return render(request, "contributions/excel_preview.html", context, status=status)


@login_required
@require_POST
def contribution_apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    """Apply a previewed upload: every row or none."""
    contribution = get_contribution(request.user, pk, edit=True)
    pending = request.session.pop(_session_key(contribution), None)
    if not pending or not contribution.is_editable:
        messages.error(request, _("There is no upload to apply. Upload the file again."))
        return redirect(contribution)

    def write(current: Contribution) -> None:
        items = {item.measure_id: item for item in current.items.all()}
        for measure_id, category, wording, narrative in pending["rows"]:
            item = items[measure_id]
            item.category, item.wording, item.narrative = category, wording, narrative
            item.save()
        if pending.get("cases") is not None:  # the case sheet replaces the proposed cases
            ProposedCase.objects.filter(item__contribution=current).delete()
            ProposedCase.objects.bulk_create(
                ProposedCase(item=items[measure_id], title=title, text=text)
                for measure_id, title, text in pending["cases"]
            )

    try:
        contribution.save_changes(
            request.user, pending["revision"], write, note=_("From an Excel upload")
        )
    except EditConflict:
        messages.error(
            request,
            _(
                "The contribution was changed after the upload was read. Nothing was "
                "applied; upload the file again."
            ),
        )
        return redirect(contribution)
    except ValidationError as error:  # e.g. the round was closed meanwhile
        messages.error(request, " ".join(error.messages))
        return redirect(contribution)
    messages.success(
        request, _("The upload was applied to %(n)s measures.") % {"n": len(pending["rows"])}
    )
    return redirect(contribution)
