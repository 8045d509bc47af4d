from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Self, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from initiatives.choices import StatusCategory
from initiatives.models import (
    PUBLISHED_ORDER,
    YEAR_VALIDATORS,
    Case,
    Measure,
    MeasureStatus,
    Plan,
    PublicYear,
    Responsibility,
)
from kraeftplan.models import RevisionedModel, acting_user

from .choices import ContributionAction, ContributionState

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Per measure: the measure, its status of the year (if any) and the approved proposals.
type ConsolidationRow = tuple[Measure, MeasureStatus | None, list[ContributionItem]]
# {organisation: {measure pk}}: who reports on which measures.
type Assignments = dict[Organisation, set[int]]


class ReportingRound(models.Model):
    """The yearly round in which organisations report status for a plan's measures."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    deadline = models.DateField(_("deadline"))
    opened_by = acting_user(_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closes_on = models.DateField(
        _("closes after"),
        null=True,
        blank=True,
        help_text=_("The round takes no submissions after this day. Empty: until staff close it."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = acting_user(_("closed by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "plan__start_year"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="round_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.short_name} {self.year}"

    @property
    def is_closed(self) -> bool:
        """Closed by staff, or past the day it closes after."""
        return self.closed_at is not None or bool(
            self.closes_on and self.closes_on < timezone.localdate()
        )

    def closed_message(self) -> str:
        return _(
            "The round %(round)s is closed and takes no changes or submissions. Ask the "
            "ministry to reopen it."
        ) % {"round": self}

    def close(self, user: "User | None" = None) -> None:
        if self.is_closed:
            raise ValidationError(_("The round is already closed."))
        self.closed_at, self.closed_by = timezone.now(), user
        self.save(update_fields=["closed_at", "closed_by"])

    def reopen(self, user: "User | None" = None) -> None:
        """Open a closed round again (also one past the day it closed after)."""
        if not self.is_closed:
            raise ValidationError(_("The round is open."))
        self.closed_at, self.closed_by = None, None
        if self.closes_on and self.closes_on < timezone.localdate():
            self.closes_on = None
        self.save(update_fields=["closed_at", "closed_by", "closes_on"])

    def change_deadline(self, deadline: date, user: "User | None" = None) -> int:
        """Move the deadline; the organisations that have not submitted are told (an event on
        each of their contributions, which notifications e-mails). Returns how many."""
        if self.is_closed:
            raise ValidationError(self.closed_message())
        if deadline < timezone.localdate():
            raise ValidationError(
                {"deadline": _("The deadline has passed. Choose today or a later day.")}
            )
        if deadline == self.deadline:
            raise ValidationError({"deadline": _("The round already has this deadline.")})
        with transaction.atomic():
            self.deadline = deadline
            self.save(update_fields=["deadline"])
            waiting = self.contributions.filter(
                state__in=[ContributionState.DRAFT, ContributionState.RETURNED]
            )
            for contribution in waiting:
                contribution.record(
                    ContributionAction.DEADLINE_CHANGED, user, date_format(deadline, "j. F Y")
                )
        return len(waiting)

    def add_organisation(
        self, organisation: Organisation, measure_pks: Iterable[int], user: "User | None" = None
    ) -> "Contribution":
        """Invite one more organisation to the open round, for the given measures of the plan."""
        chosen = set(measure_pks)
        if self.is_closed:
            raise ValidationError(self.closed_message())
        if not chosen:
            raise ValidationError({"measures": _("Choose at least one measure.")})
        own = set(
            Measure.objects.filter(initiative__plan=self.plan, pk__in=chosen).values_list(
                "pk", flat=True
            )
        )
        if chosen - own:
            raise ValidationError(_("Only the plan's own measures can be reported on."))
        try:
            with transaction.atomic():
                contribution = Contribution.objects.create(round=self, organisation=organisation)
                ContributionItem.objects.bulk_create(
                    ContributionItem(contribution=contribution, measure_id=pk)
                    for pk in sorted(chosen)
                )
                contribution.record(ContributionAction.OPENED, user)
                contribution.record(ContributionAction.ADDED, user)
        except IntegrityError:
            raise ValidationError(
                {
                    "organisation": _("%(organisation)s is already in the round.")
                    % {"organisation": organisation}
                }
            ) from None
        return contribution

    def remove_organisation(self, contribution: "Contribution") -> None:
        """Take an organisation out of the round, if it has not started on its contribution."""
        if contribution.round_id != self.pk:
            raise ValidationError(_("The contribution is not part of this round."))
        if not contribution.is_untouched:
            raise ValidationError(
                _("%(organisation)s has started on its contribution and cannot be removed.")
                % {"organisation": contribution.organisation}
            )
        contribution.delete()

    def consolidation(self) -> list[ConsolidationRow]:
        """Per measure of the plan: its current status for the year and the approved proposals.

        Returns [(measure, status or None, [approved ContributionItem])] in published order,
        in five queries."""
        items = (
            ContributionItem.objects.filter(
                contribution__round=self, contribution__state=ContributionState.APPROVED
            )
            .select_related("contribution__organisation")
            .prefetch_related("cases__adopted_as")
            .order_by("contribution__organisation__name")
        )
        by_measure: dict[int, list[ContributionItem]] = {}
        for item in items:
            by_measure.setdefault(item.measure_id, []).append(item)
        statuses = {
            s.measure_id: s
            for s in MeasureStatus.objects.filter(
                measure__initiative__plan=self.plan, year=self.year
            ).prefetch_related(
                Prefetch(
                    "contributions",
                    queryset=Contribution.objects.select_related("organisation").order_by(
                        "organisation__name"
                    ),
                )
            )
        }
        measures = (
            Measure.objects.filter(initiative__plan=self.plan)
            .in_published_order()
            .select_related("initiative")
        )
        return [(m, statuses.get(m.pk), by_measure.get(m.pk, [])) for m in measures]

    def consolidate(
        self,
        measure: Measure,
        *,
        user: "User | None" = None,
        category: str,
        wording: str,
        narrative: str,
        seen: int | None = None,
    ) -> MeasureStatus:
        """Write the year's status of a measure from the approved contributions about it, and
        note on each of them that it was used.

        seen: the status's revision when the writer opened it (0: there was none); if it has
        changed since, nothing is written and EditConflict is raised."""
        if message := self.plan.follow_up_message(self.year):
            raise ValidationError(message)
        with transaction.atomic():
            status = MeasureStatus.locked(seen, measure=measure, year=self.year)
            status = status or MeasureStatus(measure=measure, year=self.year)
            status.category, status.wording, status.narrative = category, wording, narrative
            status.source = _("Consolidated from the contributions of the %(round)s round") % {
                "round": self
            }
            status.save()
            used = list(
                Contribution.objects.filter(
                    round=self, state=ContributionState.APPROVED, items__measure=measure
                )
            )
            status.contributions.set(used)
            ContributionEvent.objects.bulk_create(
                ContributionEvent(
                    contribution=contribution,
                    action=ContributionAction.CONSOLIDATED,
                    actor=user,
                    comment=str(measure),
                )
                for contribution in used
            )
        return status

    def adopt_case(self, proposal: "ProposedCase", user: "User | None" = None) -> Case:
        """Make a case proposed in an approved contribution of this round a case of the year's
        report, numbered after the year's other cases; the contribution's history says so."""
        with transaction.atomic():
            ReportingRound.objects.select_for_update().get(pk=self.pk)  # one number at a time
            proposal = (
                ProposedCase.objects.select_for_update()
                .select_related("item__measure", "item__contribution")
                .get(pk=proposal.pk)
            )
            contribution = proposal.item.contribution
            if contribution.round_id != self.pk or contribution.state != ContributionState.APPROVED:
                raise ValidationError(
                    _("Only cases from this round's approved contributions can be used.")
                )
            if proposal.adopted_as_id:
                raise ValidationError(_("The case is already used in the year's status."))
            number = Case.objects.next_number(self.plan, self.year)
            proposal.adopted_as = Case.objects.create(
                initiative_id=proposal.item.measure.initiative_id,
                label=f"Case {number}",
                number=number,
                title=proposal.title,
                organisation_id=contribution.organisation_id,
                year=self.year,
                text=proposal.text,
            )
            proposal.save()
            contribution.record(
                ContributionAction.CASE_ADOPTED,
                user,
                f"{proposal.adopted_as.label}: {proposal.title}",
            )
        return proposal.adopted_as

    @staticmethod
    def finished_measures(plan: Plan, year: int | None = None) -> dict[int, MeasureStatus]:
        """{measure pk: status} of the measures finished or stopped in the plan's last
        published year (before ``year``): a new round does not ask about them unless staff
        add them."""
        published = PublicYear.objects.filter(plan=plan)
        if year is not None:
            published = published.filter(year__lt=year)
        last = published.order_by("-year").first()
        if last is None:
            return {}
        return {
            status.measure_id: status
            for status in MeasureStatus.objects.filter(
                measure__initiative__plan=plan,
                year=last.year,
                category__in=[StatusCategory.COMPLETED, StatusCategory.DISCONTINUED],
            )
        }

    @classmethod
    def default_assignments(cls, plan: Plan, year: int | None = None) -> Assignments:
        """{organisation: {measure pk}}: each organisation responsible for an initiative of the
        plan reports on that initiative's measures, except those finished or stopped in the
        last published year."""
        finished = cls.finished_measures(plan, year)
        by_initiative: dict[int, set[int]] = {}
        for pk, initiative_id in (
            Measure.objects.filter(initiative__plan=plan)
            .exclude(pk__in=finished)
            .values_list("pk", "initiative_id")
        ):
            by_initiative.setdefault(initiative_id, set()).add(pk)
        assignments: Assignments = {}
        for responsibility in Responsibility.objects.filter(initiative__plan=plan).select_related(
            "organisation"
        ):
            assignments.setdefault(responsibility.organisation, set()).update(
                by_initiative.get(responsibility.initiative_id, ())
            )
        return assignments

    @classmethod
    def open(
        cls,
        plan: Plan,
        year: int,
        deadline: date,
        *,
        user: "User | None" = None,
        assignments: Mapping[Organisation, Iterable[int]] | None = None,
    ) -> Self:
        """Open a round: one contribution per invited organisation, with an item per measure it
        reports on. assignments: {organisation: measure pks}, by default default_assignments()."""
        if message := plan.follow_up_message(year):
            raise ValidationError({"year": message})
        if message := PublicYear.fixed_message(plan.pk, year):
            raise ValidationError({"year": message})
        if plan.reports.filter(year=year, state="external").exists():
            raise ValidationError(
                {
                    "year": _(
                        "The report for %(year)s was published outside the portal; the portal "
                        "cannot publish statuses for that year."
                    )
                    % {"year": year}
                }
            )
        if assignments is None:
            assignments = cls.default_assignments(plan, year)
        assignments = {org: set(pks) for org, pks in assignments.items() if pks}
        if not assignments:
            raise ValidationError(_("Choose at least one organisation and measure."))
        chosen = set().union(*assignments.values())
        own = set(
            Measure.objects.filter(initiative__plan=plan, pk__in=chosen).values_list(
                "pk", flat=True
            )
        )
        if chosen - own:
            raise ValidationError(_("Only the plan's own measures can be reported on."))
        taken = ValidationError(
            {
                "year": _("%(plan)s already has a reporting round for %(year)s.")
                % {"plan": plan.short_name, "year": year}
            }
        )
        if cls.objects.filter(plan=plan, year=year).exists():
            raise taken
        try:
            with transaction.atomic():
                round_ = cls.objects.create(plan=plan, year=year, deadline=deadline, opened_by=user)
                for organisation in sorted(assignments, key=lambda o: o.name):
                    contribution = Contribution.objects.create(
                        round=round_, organisation=organisation
                    )
                    ContributionItem.objects.bulk_create(
                        ContributionItem(contribution=contribution, measure_id=pk)
                        for pk in sorted(assignments[organisation])
                    )
                    contribution.record(ContributionAction.OPENED, user)
        except IntegrityError:  # opened by someone else in the meantime
            raise taken from None
        return round_


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def visible_to(self, user: "User") -> Self:
        """Ministry staff see every contribution; others only their own organisation's."""
        if user.is_staff:
            return self
        membership = getattr(user, "membership", None)
        if membership is None:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)


class Contribution(RevisionedModel):
    """One organisation's yearly status contribution in a round, through review to approval."""

    round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("reporting round"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ContributionState.choices,
        default=ContributionState.DRAFT,
    )
    general_comment = models.TextField(_("general comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    statuses = models.ManyToManyField(
        MeasureStatus,
        verbose_name=_("consolidated into statuses"),
        blank=True,
        related_name="contributions",
    )
    history = HistoricalRecords()

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["round", "organisation__name"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="contribution_unique_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.round}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if message := self.locked_message():
            raise ValidationError(message)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if message := self.locked_message(trust_loaded=True):
            raise ValidationError(message)

    def get_absolute_url(self) -> str:
        return reverse("contributions:contribution_detail", kwargs={"pk": self.pk})

    LOCKED_FIELDS = ("round_id", "organisation_id", "state", "general_comment")
    loaded_state: str | None = None  # the state the row was read with (from_db)

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Self:
        contribution = super().from_db(*args, **kwargs)
        contribution.loaded_state = contribution.state  # as the database said
        return contribution

    # The only state changes there are: the workflow's steps (submit, return, approve).
    TRANSITIONS = {
        ContributionState.DRAFT: {ContributionState.SUBMITTED},
        ContributionState.RETURNED: {ContributionState.SUBMITTED},
        ContributionState.SUBMITTED: {ContributionState.RETURNED, ContributionState.APPROVED},
        ContributionState.APPROVED: set(),
    }

    def locked_message(self, trust_loaded: bool = False) -> str | None:
        """Why the contribution cannot be saved like this (None if it can): its state moves only
        by a workflow step, a submitted one waits unchanged for review, and an approved one is
        final, also for the admin's history revert. trust_loaded: a form's check may trust the
        state the row was read with; saving always asks the database."""
        if self.pk is None or self._state.adding:
            return None
        loaded = self.loaded_state
        if (
            trust_loaded
            and loaded is not None
            and loaded == self.state
            and loaded
            in (
                ContributionState.DRAFT,
                ContributionState.RETURNED,
            )
        ):
            return None
        stored = Contribution.objects.filter(pk=self.pk).values(*self.LOCKED_FIELDS).first()
        if stored is None:
            return None
        before = ContributionState(stored["state"])
        if before == ContributionState.APPROVED and any(
            stored[name] != getattr(self, name) for name in self.LOCKED_FIELDS
        ):
            return str(_("The contribution is approved and locked; it cannot be changed."))
        if self.state != before and self.state not in self.TRANSITIONS[before]:
            return str(
                _(
                    "The contribution is %(before)s and cannot become %(after)s that way; only "
                    "the workflow's steps (submit, return, approve) change its state."
                )
                % {
                    "before": before.label.lower(),
                    "after": ContributionState(self.state).label.lower(),
                }
            )
        if before == ContributionState.SUBMITTED and any(
            stored[name] != getattr(self, name) for name in self.LOCKED_FIELDS if name != "state"
        ):
            return str(
                _("The contribution is submitted and waits for review; it cannot be changed.")
            )
        return None

    @property
    def is_editable(self) -> bool:
        return self.state in (ContributionState.DRAFT, ContributionState.RETURNED)

    @property
    def is_untouched(self) -> bool:
        """Nobody has saved anything in it yet (it can leave the round)."""
        return (
            self.state == ContributionState.DRAFT
            and not self.events.exclude(
                action__in=[
                    ContributionAction.OPENED,
                    ContributionAction.ADDED,
                    ContributionAction.DEADLINE_CHANGED,
                ]
            ).exists()
        )

    @property
    def is_late(self) -> bool:
        """Past the round's deadline and still with the organisation (a draft, or returned)."""
        return self.is_editable and self.round.deadline < timezone.localdate()

    def record(
        self, action: ContributionAction, user: "User | None", comment: str = ""
    ) -> "ContributionEvent":
        return ContributionEvent.objects.create(
            contribution=self, action=action, actor=user, comment=comment
        )

    def save_changes(
        self,
        user: "User",
        seen: int,
        write: Callable[["Contribution"], object],
        *,
        note: str = "",
        submit: bool = False,
        on_behalf: bool = False,
    ) -> None:
        """Save what an editor wrote: write(contribution) changes the locked contribution and
        its items and cases. Refused while the contribution is locked (ValidationError), or if
        someone saved it after revision `seen` was opened (EditConflict); with submit, the
        contribution is submitted in the same transaction, so a refused submission saves
        nothing either."""
        with transaction.atomic():
            # The contribution exists (seen is its revision, at least 1): locked() returns it or
            # raises EditConflict.
            current = cast(Contribution, Contribution.locked(seen, pk=self.pk))
            if not current.is_editable:
                raise ValidationError(_("The contribution is locked and cannot be changed."))
            if current.round.is_closed:
                raise ValidationError(current.round.closed_message())
            write(current)
            current.save()
            if on_behalf:  # ministry staff, writing what the organisation told them
                current.record(
                    ContributionAction.SAVED_ON_BEHALF,
                    user,
                    note
                    or _("On behalf of %(organisation)s") % {"organisation": current.organisation},
                )
            else:
                current.record(ContributionAction.SAVED, user, note)
            if submit:
                current.submit(user)
        self.refresh_from_db()

    def _transition(
        self,
        allowed: set[ContributionState],
        new_state: ContributionState,
        action: ContributionAction,
        user: "User | None",
        comment: str = "",
    ) -> None:
        with transaction.atomic():
            current = Contribution.objects.select_for_update().get(pk=self.pk)
            if current.state not in allowed:
                raise ValidationError(
                    _("The contribution is %(state)s, so this step is not possible: %(action)s.")
                    % {
                        "state": current.get_state_display().lower(),
                        "action": ContributionAction(action).label.lower(),
                    }
                )
            current.state = new_state
            current.save()
            current.record(action, user, comment)
        self.refresh_from_db()

    def submit(self, user: "User | None") -> None:
        """Draft or returned → submitted; missing statuses block the submission, and so does
        a closed round."""
        if self.round.is_closed:
            raise ValidationError(self.round.closed_message())
        missing = [
            str(item.measure)
            for item in self.items.select_related("measure__initiative")
            if not item.category or not item.wording.strip()
        ]
        if missing:
            raise ValidationError(
                _("Give every measure a status and a wording before submitting: %(measures)s.")
                % {"measures": "; ".join(missing)}
            )
        action = (
            ContributionAction.RESUBMITTED
            if self.state == ContributionState.RETURNED
            else ContributionAction.SUBMITTED
        )
        self._transition(
            {ContributionState.DRAFT, ContributionState.RETURNED},
            ContributionState.SUBMITTED,
            action,
            user,
        )

    def return_for_changes(self, user: "User | None", comment: str) -> None:
        if not comment.strip():
            raise ValidationError({"comment": _("Say what should be changed.")})
        self._transition(
            {ContributionState.SUBMITTED},
            ContributionState.RETURNED,
            ContributionAction.RETURNED,
            user,
            comment.strip(),
        )

    def approve(self, user: "User | None") -> None:
        self._transition(
            {ContributionState.SUBMITTED},
            ContributionState.APPROVED,
            ContributionAction.APPROVED,
            user,
        )


class ContributionItemQuerySet(models.QuerySet["ContributionItem"]):
    def in_published_order(self) -> Self:
        """The items in the order the reports print their measures (see PUBLISHED_ORDER)."""
        return self.order_by(*("measure__" + field for field in PUBLISHED_ORDER))


class ContributionItem(models.Model):
    """A contribution's proposed status for one measure."""

    contribution = models.ForeignKey(
        Contribution, verbose_name=_("contribution"), on_delete=models.CASCADE, related_name="items"
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.PROTECT,
        related_name="contribution_items",
    )
    category = models.CharField(
        _("category"), max_length=20, choices=StatusCategory.choices, blank=True
    )
    wording = models.TextField(_("wording"), blank=True)
    narrative = models.TextField(_("narrative"), blank=True, help_text=_("Markdown."))
    history = HistoricalRecords()

    objects = ContributionItemQuerySet.as_manager()

    class Meta:
        ordering = [
            "contribution",
            "measure__initiative__kind",
            "measure__initiative__position",
            "measure__position",
        ]
        verbose_name = _("proposed status")
        verbose_name_plural = _("proposed statuses")
        constraints = [
            models.UniqueConstraint(fields=["contribution", "measure"], name="item_unique_measure"),
        ]

    def __str__(self) -> str:
        return str(self.measure)

    def clean(self) -> None:
        if (
            self.contribution_id
            and self.measure_id
            and self.measure.initiative.plan_id != self.contribution.round.plan_id
        ):
            raise ValidationError(
                {"measure": _("Only the plan's own measures can be reported on.")}
            )


class ProposedCase(models.Model):
    """A case story an organisation proposes with its status for a measure; staff may adopt it
    as a case of the year's report."""

    item = models.ForeignKey(
        ContributionItem,
        verbose_name=_("proposed status"),
        on_delete=models.CASCADE,
        related_name="cases",
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), help_text=_("Markdown."))
    adopted_as = models.OneToOneField(
        Case,
        verbose_name=_("adopted as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("proposed case")
        verbose_name_plural = _("proposed cases")

    def __str__(self) -> str:
        return self.title


class ContributionEvent(models.Model):
    """Who did what to a contribution, when, and with which comment."""

    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=20, choices=ContributionAction.choices)
    actor = acting_user(_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["contribution", "at", "pk"]
        verbose_name = _("contribution event")
        verbose_name_plural = _("contribution events")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An e-mail sent about a contribution; the key makes sure no event is told twice."""

    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("event"), max_length=100)
    recipients = models.TextField(_("recipients"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["contribution", "key"], name="notification_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.recipients}"
