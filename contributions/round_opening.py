"""Ministry staff open a reporting round and choose which organisations report on which measures."""

from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.choices import MembershipRole
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Organisation
from initiatives.models import Initiative, Measure, Plan, Responsibility
from kraeftplan.fields import YearFormField, YearInput

from .access import require_staff
from .models import Assignments, ReportingRound

ASSIGN = "tildel"  # one checkbox per cell, value "<organisation pk>-<measure pk>"
ALSO = "ogsaa"  # extra organisation columns, by slug
# Buttons that tick or clear a whole column ("o<organisation pk>") or row ("m<measure pk>") and
# show the table again, without opening the round (a small script does it in place).
SELECT_ALL, SELECT_NONE = "alle", "ingen"


class OpenRoundForm(forms.Form):
    year = YearFormField(
        label=gettext_lazy("Year reported on"),
        min_value=1990,
        max_value=2100,
        widget=YearInput(attrs={"class": "form-input input-width-xs"}),
    )
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"),
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-input input-width-s"}, format="%Y-%m-%d"
        ),
    )

    def clean_deadline(self) -> date:
        deadline: date = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise ValidationError(_("The deadline has passed. Choose today or a later day."))
        return deadline


OPEN_FIELDS = list(OpenRoundForm.base_fields)

# A ticked cell: (organisation pk, measure pk).
type Cell = tuple[int, int]
# [(organisation, checkbox value, ticked)] of one measure's row.
type RowCells = list[tuple[Organisation, str, bool]]


class AssignmentMatrix:
    """The plan's measures × organisations: a ticked cell asks the organisation to report on the
    measure. Ticked by default where the organisation is responsible for the initiative."""

    def __init__(self, plan: Plan, year: int, also: Iterable[str] = ()) -> None:
        self.measures = list(
            Measure.objects.filter(initiative__plan=plan)
            .in_published_order()
            .select_related("initiative")
        )
        self.default = {
            (organisation.pk, pk)
            for organisation, pks in ReportingRound.default_assignments(plan, year).items()
            for pk in pks
        }
        # Measures finished or stopped in the last published year: shown, not ticked.
        self.finished = ReportingRound.finished_measures(plan, year)
        responsible = {
            r.organisation_id for r in Responsibility.objects.filter(initiative__plan=plan)
        }
        self.organisations = list(
            Organisation.objects.filter(Q(pk__in=responsible) | Q(slug__in=also)).annotate(
                editors=Count(
                    "memberships",
                    filter=Q(
                        memberships__role=MembershipRole.EDITOR,
                        memberships__user__is_active=True,
                    ),
                )
            )
        )
        self.others = Organisation.objects.exclude(pk__in=[o.pk for o in self.organisations])
        self.without_editors = [o.name for o in self.organisations if not o.editors]
        self._cells = {f"{o.pk}-{m.pk}": (o, m) for o in self.organisations for m in self.measures}

    def groups(
        self, chosen: Collection[Cell]
    ) -> list[tuple[Initiative, list[tuple[Measure, RowCells]]]]:
        """[(initiative, [(measure, [(organisation, value, ticked)])])] for the table."""
        groups: list[tuple[Initiative, list[tuple[Measure, RowCells]]]] = []
        for measure in self.measures:
            if not groups or groups[-1][0] != measure.initiative:
                groups.append((measure.initiative, []))
            groups[-1][1].append(
                (
                    measure,
                    [
                        (o, f"{o.pk}-{measure.pk}", (o.pk, measure.pk) in chosen)
                        for o in self.organisations
                    ],
                )
            )
        return groups

    def parse(self, values: list[str]) -> set[Cell]:
        """The ticked cells as {(organisation pk, measure pk)}; ValidationError on a value that
        is not a cell of the table."""
        unknown = [value for value in values if value not in self._cells]
        if unknown:
            raise ValidationError(
                _("Unknown choice in the table: %(values)s.") % {"values": ", ".join(unknown[:5])}
            )
        return {(self._cells[v][0].pk, self._cells[v][1].pk) for v in values}

    def select(self, chosen: Collection[Cell], line: str, ticked: bool) -> set[Cell]:
        """The ticked cells with a whole column ("o<organisation pk>") or row ("m<measure
        pk>") ticked or cleared; ValidationError on a line that is not one of the table's."""
        cells = {(o.pk, m.pk) for o, m in self._cells.values()}
        index = {"o": 0, "m": 1}.get(line[:1])
        pk = line[1:]
        selected = {cell for cell in cells if index is not None and str(cell[index]) == pk}
        if not selected:
            raise ValidationError(_("Unknown choice in the table: %(values)s.") % {"values": line})
        return set(chosen) | selected if ticked else set(chosen) - selected

    def assignments(self, chosen: Iterable[Cell]) -> Assignments:
        by_pk = {o.pk: o for o in self.organisations}
        assignments: Assignments = {}
        for organisation_pk, measure_pk in chosen:
            assignments.setdefault(by_pk[organisation_pk], set()).add(measure_pk)
        return assignments


def _initial_year(plan: Plan, today: date) -> int:
    """Last year, as far as the follow-up period allows: rounds usually report on the year
    gone by."""
    year = max(today.year - 1, plan.start_year)
    last = plan.last_follow_up_year
    return min(year, last) if last else year


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_staff(request.user)
    plans = Plan.objects.filter(initiatives__measures__isnull=False).distinct()
    context: dict[str, Any] = {"plans": plans, "also": request.GET.getlist(ALSO), "error": None}
    slug = request.GET.get("plan", "")
    if not slug:
        return render(request, "contributions/round_open.html", context)
    # A slug is printable; a NUL byte could not even be sent to PostgreSQL.
    plan = plans.filter(slug=slug).first() if slug.isprintable() else None
    if plan is None:
        context["error"] = _("Unknown plan: %(plan)s.") % {"plan": slug}
        return render(request, "contributions/round_open.html", context, status=400)
    today = timezone.localdate()
    # The default ticks follow the year asked for (the year gone by until one is typed).
    typed = request.POST.get("year", "") if request.method == "POST" else ""
    # isdigit() alone takes "²⁰²⁰", which int() refuses.
    year = (
        int(typed)
        if typed.isascii() and typed.isdigit() and len(typed) == 4
        else _initial_year(plan, today)
    )
    matrix = AssignmentMatrix(plan, year, [s for s in context["also"] if s.isprintable()])
    unknown = set(context["also"]) - {o.slug for o in matrix.organisations}
    if unknown:
        context["error"] = _("Unknown organisation: %(organisation)s.") % {
            "organisation": ", ".join(sorted(unknown))
        }
        return render(request, "contributions/round_open.html", context, status=400)
    chosen = matrix.default
    line = request.POST.get(SELECT_ALL) or request.POST.get(SELECT_NONE)
    if request.method == "POST" and line:
        # Tick or clear a column or row: the table again, with what was typed, nothing opened.
        form = OpenRoundForm(initial={name: request.POST.get(name) for name in OPEN_FIELDS})
        try:
            chosen = matrix.select(
                matrix.parse(request.POST.getlist(ASSIGN)), line, SELECT_ALL in request.POST
            )
        except ValidationError as error:
            form = OpenRoundForm(request.POST)
            form.add_error(None, error)
            chosen = set()
    elif request.method == "POST":
        form = OpenRoundForm(request.POST)
        try:
            chosen = matrix.parse(request.POST.getlist(ASSIGN))
        except ValidationError as error:
            form.add_error(None, error)
            chosen = set()
        if form.is_valid():
            try:
                round_ = ReportingRound.open(
                    plan,
                    form.cleaned_data["year"],
                    form.cleaned_data["deadline"],
                    user=request.user,
                    assignments=matrix.assignments(chosen),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The round %(round)s is open; %(n)s organisations are asked to report.")
                    % {"round": round_, "n": round_.contributions.count()},
                )
                return redirect("contributions:round_overview", pk=round_.pk)
    else:
        form = OpenRoundForm(initial={"year": year})
    context |= {
        "plan": plan,
        "form": form,
        "matrix": matrix,
        "groups": matrix.groups(chosen),
        "assign": ASSIGN,
        "select_all": SELECT_ALL,
        "select_none": SELECT_NONE,
    }
    return render(
        request,
        "contributions/round_open.html",
        context,
        status=400 if form.is_bound else 200,
    )
