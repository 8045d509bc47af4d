import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (
    ContributionAction,
    ContributionState,
    GovernmentLevel,
    InitiativeKind,
    MembershipRole,
    OrganisationKind,
    PlanState,
    ResponsibilityRole,
    StatusCategory,
)

YEAR_VALIDATORS = [MinValueValidator(1990)]


class Organisation(models.Model):
    """A body that owns, funds, runs or reports on cancer-plan work (ministry, region, KL, …)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's place in an organisation: editors write contributions, readers only read them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def can_edit(self) -> bool:
        return self.role == MembershipRole.EDITOR


class PlanQuerySet(models.QuerySet):
    def for_home(self):
        """Plans with their number of initiatives and the sum of their published yearly amounts.

        Both figures are correlated subqueries so that the home page is one query however many
        initiatives and budget lines there are.
        """
        from budget.models import BudgetAmount

        initiatives = (
            Initiative.objects.filter(plan=OuterRef("pk"))
            .order_by()
            .values("plan")
            .annotate(n=Count("pk"))
            .values("n")
        )
        money = (
            BudgetAmount.objects.filter(line__plan=OuterRef("pk"), line__parent__isnull=True)
            .order_by()
            .values("line__plan")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return self.annotate(
            initiative_count=Coalesce(Subquery(initiatives), 0),
            budget_total=Subquery(money),
        ).order_by("start_year")


class Plan(models.Model):
    """A national cancer plan: its period, state, parties and place in the line of plans."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    state = models.CharField(_("stage"), max_length=20, choices=PlanState.choices)
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(
        _("last year"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Empty while the plan is in preparation or open-ended."),
    )
    permanent_from_year = models.PositiveSmallIntegerField(
        _("permanent funding from"),
        null=True,
        blank=True,
        help_text=_("First year of permanent yearly funding after the plan period, if any."),
    )
    adopted_on = models.DateField(_("agreed or adopted on"), null=True, blank=True)
    adoption = models.TextField(
        _("agreement"),
        blank=True,
        help_text=_("How the plan was agreed or adopted, as published."),
    )
    parties = models.ManyToManyField(
        Organisation, verbose_name=_("parties"), blank=True, related_name="plans"
    )
    predecessor = models.OneToOneField(
        "self",
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor",
    )
    vision = models.TextField(_("vision"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    funding = models.TextField(_("funding"), blank=True, help_text=_("As published."))
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["start_year", "name"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="plan_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(permanent_from_year__isnull=True)
                | Q(end_year__isnull=False, permanent_from_year__gt=models.F("end_year")),
                name="plan_permanent_after_end",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiatives:plan_detail", kwargs={"slug": self.slug})

    @property
    def period_label(self) -> str:
        if self.end_year is None:
            return f"{self.start_year}–"
        return f"{self.start_year}–{self.end_year}"

    def covers_year(self, year: int) -> bool:
        return year >= self.start_year and (self.end_year is None or year <= self.end_year)

    def year_outside_message(self, year: int) -> str | None:
        """The message for a year outside the plan period, or None when the year is inside."""
        if self.covers_year(year):
            return None
        return _("%(year)s is outside the plan period %(period)s.") % {
            "year": year,
            "period": self.period_label,
        }

    def clean(self):
        if self.predecessor_id and self.predecessor_id == self.pk:
            raise ValidationError({"predecessor": _("A plan cannot be its own predecessor.")})


class PlanMilestone(models.Model):
    """A dated step in a plan's life: a meeting, a hearing, a published status."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="milestones"
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"


class MainElement(models.Model):
    """A main element (hovedelement) of a plan; initiatives and budget sections hang under it."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="main_elements"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    start = models.CharField(
        _("start as published"), max_length=100, blank=True, help_text=_('E.g. "september 2015".')
    )
    starts_on = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("First day of the published start.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("main element")
        verbose_name_plural = _("main elements")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"], name="main_element_unique_position"
            ),
        ]

    def __str__(self):
        return self.title


class InitiativeQuerySet(models.QuerySet):
    def with_public_statuses(self):
        """Initiatives with plan, main element, responsible organisations, measures and the
        measures' public statuses (as ``public_statuses``), in five queries whatever the count."""
        public = MeasureStatus.objects.public().order_by("year")
        measures = Measure.objects.order_by("position").prefetch_related(
            Prefetch("statuses", queryset=public, to_attr="public_statuses")
        )
        return self.select_related("plan", "main_element").prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("organisation").order_by(
                    "role", "organisation__name"
                ),
            ),
            Prefetch("measures", queryset=measures),
        )

    def search(self, text: str):
        terms = text.split()
        query = Q()
        for term in terms:
            query &= (
                Q(title__icontains=term)
                | Q(purpose__icontains=term)
                | Q(number__iexact=term)
                | Q(measures__title__icontains=term)
            )
        return self.filter(query).distinct() if terms else self


class Initiative(models.Model):
    """An initiative of a plan, a draft recommendation, or a regional initiative under it."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="initiatives"
    )
    main_element = models.ForeignKey(
        MainElement,
        verbose_name=_("main element"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=InitiativeKind.choices, default=InitiativeKind.INITIATIVE
    )
    number = models.CharField(_("number"), max_length=20, help_text=_("As published."))
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("Unique within the plan; used in addresses."),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=500)
    purpose = models.TextField(_("purpose"), blank=True)
    level = models.CharField(
        _("level of government"), max_length=20, choices=GovernmentLevel.choices, blank=True
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("responsible organisations"),
        through="Responsibility",
        related_name="initiatives",
        blank=True,
    )
    start = models.CharField(_("start as published"), max_length=100, blank=True)
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    continued_from = models.ForeignKey(
        "self",
        verbose_name=_("continues"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continued_as",
    )
    continues_after_plan = models.BooleanField(_("continues after the plan period"), default=False)
    continuation = models.TextField(_("continuation after the plan period"), blank=True)
    history = HistoricalRecords()

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["plan__start_year", "kind", "position"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="initiative_unique_code"),
            models.UniqueConstraint(
                fields=["plan", "kind", "number"], name="initiative_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse(
            "initiatives:initiative_detail", kwargs={"plan_slug": self.plan.slug, "code": self.code}
        )

    def clean(self):
        if self.main_element_id and self.plan_id and self.main_element.plan_id != self.plan_id:
            raise ValidationError({"main_element": _("The main element belongs to another plan.")})
        if self.continued_from_id and self.continued_from_id == self.pk:
            raise ValidationError({"continued_from": _("An initiative cannot continue itself.")})


class Responsibility(models.Model):
    """Which organisation answers for an initiative, and in what role."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    role = models.CharField(_("role"), max_length=20, choices=ResponsibilityRole.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "role", "organisation__name"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation"], name="responsibility_unique_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class Measure(models.Model):
    """One row of an initiative's Initiativ / Økonomi / Status / Indikator table."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="measures"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    number = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_('Only where published, e.g. "8.a".')
    )
    heading = models.CharField(
        _("heading"), max_length=300, blank=True, help_text=_("Sub-heading where published.")
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    economy = models.TextField(_("economy as published"), blank=True)
    indicator = models.TextField(_("indicator as published"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "position"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "position"], name="measure_unique_position"
            ),
        ]

    def __str__(self):
        prefix = self.number or self.initiative.number
        return f"{prefix} {self.title}"


def year_is_published(plan_path: str):
    """Whether the annual report of the row's plan (reached by plan_path) and year is published:
    what a year's statuses and cases need before the public may see them."""
    from reports.models import AnnualReport

    return Exists(
        AnnualReport.objects.published().filter(plan=OuterRef(plan_path), year=OuterRef("year"))
    )


class MeasureStatusQuerySet(models.QuerySet):
    def public(self):
        """Statuses of years whose annual report is published: the only ones the public sees."""
        return self.filter(year_is_published("measure__initiative__plan"))

    def for_status_table(self, plan, year):
        return (
            self.filter(measure__initiative__plan=plan, year=year)
            .select_related("measure__initiative")
            .order_by(
                "measure__initiative__kind", "measure__initiative__position", "measure__position"
            )
        )


class StatusConflict(Exception):
    """The status changed after the writer opened it."""


class MeasureStatus(models.Model):
    """The status of one measure in one year: category, wording as published and narrative."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="statuses"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    category = models.CharField(_("category"), max_length=20, choices=StatusCategory.choices)
    wording = models.TextField(_("wording as published"))
    narrative = models.TextField(_("narrative"), blank=True, help_text=_("Markdown."))
    report = models.ForeignKey(
        "reports.AnnualReport",
        verbose_name=_("status report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statuses",
    )
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Where the status came from.")
    )
    contributions = models.ManyToManyField(
        "Contribution",
        verbose_name=_("based on contributions"),
        blank=True,
        related_name="consolidated_statuses",
    )
    history = HistoricalRecords()

    objects = MeasureStatusQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "year"]
        verbose_name = _("yearly status")
        verbose_name_plural = _("yearly statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year"],
                name="measure_status_unique_year",
                violation_error_message=_("The measure already has a status for this year."),
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.get_category_display()}"

    @staticmethod
    def fingerprint(status) -> str:
        """A short digest of what a status says ("" for none), to notice a change made by
        someone else between opening a form and saving it."""
        if status is None:
            return ""
        text = "\x1f".join([status.category, status.wording, status.narrative])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def clean(self):
        plan = self.measure.initiative.plan if self.measure_id else None
        if plan and self.year and (message := plan.year_outside_message(self.year)):
            raise ValidationError({"year": message})
        if self.report_id and self.measure_id and self.report.plan_id != plan.pk:
            raise ValidationError({"report": _("The report belongs to another plan.")})


class CaseQuerySet(models.QuerySet):
    def public(self):
        """Cases of years whose annual report is published."""
        return self.filter(year_is_published("initiative__plan"))

    def next_number(self, plan, year) -> int:
        """Cases are numbered through a year's report; the next free number."""
        current = self.filter(initiative__plan=plan, year=year).aggregate(n=models.Max("number"))[
            "n"
        ]
        return (current or 0) + 1


class Case(models.Model):
    """A case story (box) printed beside an initiative in a status report."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="cases"
    )
    label = models.CharField(
        _("label as published"), max_length=50, help_text=_('E.g. "Case 4" or "Pilotprojekt 1".')
    )
    number = models.PositiveSmallIntegerField(_("case number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    text = models.TextField(_("text"), help_text=_("Markdown."))
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "year", "number", "label"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "year", "label"], name="case_unique_label"
            ),
        ]

    def __str__(self):
        return f"{self.label}. {self.title}"


class InitiativeComment(models.Model):
    """A comment made on an initiative or draft recommendation, e.g. by a reference group."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="comments"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    made_on = models.DateField(_("date"))
    made_by = models.CharField(_("made by"), max_length=300)
    text = models.TextField(_("comment"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "made_on", "position"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "made_on", "position"], name="comment_unique_position"
            ),
        ]

    def __str__(self):
        return f"{self.made_by}, {self.made_on:%Y-%m-%d}"


class ReportingRound(models.Model):
    """The yearly round in which organisations report status for a plan's measures."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    deadline = models.DateField(_("deadline"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "plan__start_year"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="round_unique_year"),
        ]

    def __str__(self):
        return f"{self.plan.short_name} {self.year}"

    def consolidation(self):
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
        by_measure = {}
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
            .select_related("initiative")
            .order_by("initiative__kind", "initiative__position", "position")
        )
        return [(m, statuses.get(m.pk), by_measure.get(m.pk, [])) for m in measures]

    def consolidate(self, measure, *, category, wording, narrative, seen=None):
        """Write the year's status of a measure from the approved contributions about it.

        seen: the status's fingerprint when the writer opened it; if the status has changed
        since, nothing is written and StatusConflict is raised."""
        from reports.models import AnnualReport

        with transaction.atomic():
            current = (
                MeasureStatus.objects.select_for_update()
                .filter(measure=measure, year=self.year)
                .first()
            )
            if seen is not None and MeasureStatus.fingerprint(current) != seen:
                raise StatusConflict
            report = AnnualReport.objects.filter(plan=self.plan, year=self.year).first()
            status, _created = MeasureStatus.objects.update_or_create(
                measure=measure,
                year=self.year,
                defaults={
                    "category": category,
                    "wording": wording,
                    "narrative": narrative,
                    "report": report,
                    "source": _("Consolidated from the contributions of the %(round)s round")
                    % {"round": self},
                },
            )
            status.contributions.set(
                Contribution.objects.filter(
                    round=self, state=ContributionState.APPROVED, items__measure=measure
                )
            )
        return status

    def adopt_case(self, proposal):
        """Make a case proposed in an approved contribution of this round a case of the year's
        report, numbered after the year's other cases."""
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
        return proposal.adopted_as

    @staticmethod
    def default_assignments(plan) -> dict:
        """{organisation: {measure pk}}: each organisation responsible for an initiative of the
        plan reports on all of that initiative's measures."""
        by_initiative = {}
        for pk, initiative_id in Measure.objects.filter(initiative__plan=plan).values_list(
            "pk", "initiative_id"
        ):
            by_initiative.setdefault(initiative_id, set()).add(pk)
        assignments = {}
        for responsibility in Responsibility.objects.filter(initiative__plan=plan).select_related(
            "organisation"
        ):
            assignments.setdefault(responsibility.organisation, set()).update(
                by_initiative.get(responsibility.initiative_id, ())
            )
        return assignments

    @classmethod
    def open(cls, plan, year, deadline, *, user=None, assignments=None):
        """Open a round: one contribution per invited organisation, with an item per measure it
        reports on. assignments: {organisation: measure pks}, by default default_assignments()."""
        if message := plan.year_outside_message(year):
            raise ValidationError({"year": message})
        if assignments is None:
            assignments = cls.default_assignments(plan)
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


class ContributionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Ministry staff see every contribution; others only their own organisation's."""
        if user.is_staff:
            return self
        membership = getattr(user, "membership", None)
        if membership is None:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)


class Contribution(models.Model):
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
    revision = models.PositiveIntegerField(
        _("revision"), default=1, help_text=_("Raised on every save; guards against lost edits.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
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

    def __str__(self):
        return f"{self.organisation} – {self.round}"

    def get_absolute_url(self):
        return reverse("initiatives:contribution_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.state in (ContributionState.DRAFT, ContributionState.RETURNED)

    @property
    def is_late(self) -> bool:
        """Past the round's deadline and still with the organisation (a draft, or returned)."""
        return self.is_editable and self.round.deadline < timezone.localdate()

    def record(self, action, user, comment=""):
        return ContributionEvent.objects.create(
            contribution=self, action=action, actor=user, comment=comment
        )

    def _transition(self, allowed, new_state, action, user, comment=""):
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
            current.revision += 1
            current.save()
            current.record(action, user, comment)
        self.refresh_from_db()

    def submit(self, user):
        """Draft or returned → submitted; missing statuses block the submission."""
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

    def return_for_changes(self, user, comment: str):
        if not comment.strip():
            raise ValidationError({"comment": _("Say what should be changed.")})
        self._transition(
            {ContributionState.SUBMITTED},
            ContributionState.RETURNED,
            ContributionAction.RETURNED,
            user,
            comment.strip(),
        )

    def approve(self, user):
        self._transition(
            {ContributionState.SUBMITTED},
            ContributionState.APPROVED,
            ContributionAction.APPROVED,
            user,
        )


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

    class Meta:
        ordering = ["contribution", "measure__initiative__position", "measure__position"]
        verbose_name = _("proposed status")
        verbose_name_plural = _("proposed statuses")
        constraints = [
            models.UniqueConstraint(fields=["contribution", "measure"], name="item_unique_measure"),
        ]

    def __str__(self):
        return str(self.measure)


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

    def __str__(self):
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
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["contribution", "at", "pk"]
        verbose_name = _("contribution event")
        verbose_name_plural = _("contribution events")

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class LoginFailure(models.Model):
    """A failed login, kept to lock a user name out after repeated failures."""

    username = models.CharField(_("user name"), max_length=150, db_index=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self):
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


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

    def __str__(self):
        return f"{self.key} → {self.recipients}"
