from decimal import Decimal
from typing import Any, Self, cast

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from kraeftplan.formatting import format_number, format_percent, parse_decimal
from kraeftplan.models import RevisionedModel, acting_user
from kraeftplan.pagecache import public_data_changed

from .choices import (
    FindingKind,
    FindingTopic,
    GovernmentLevel,
    InitiativeKind,
    PlanState,
    ResponsibilityRole,
    StatusCategory,
)
from .findings import FindingRow
from .narratives import figures, markers

YEAR_VALIDATORS = [MinValueValidator(1990)]


# Sent when what the public sees of a plan-year changes (published, corrected, withdrawn), with
# public_from: apps that build files from public data (the open-data zip) rebuild them.
public_year_changed = Signal()


class PlanQuerySet(models.QuerySet["Plan"]):
    def for_home(self) -> Self:
        """Plans with their number of initiatives, a correlated subquery so that the home page
        is one query however many initiatives there are (budget totals: budget.models)."""
        initiatives = (
            Initiative.objects.filter(plan=OuterRef("pk"))
            .order_by()
            .values("plan")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(initiative_count=Coalesce(Subquery(initiatives), 0)).order_by(
            "start_year"
        )


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
    follow_up_until = models.PositiveSmallIntegerField(
        _("followed up until"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_(
            "Last year with yearly statuses, rounds and reports. Empty: the plan period's last "
            "year. Extend it to follow the plan after its budget period."
        ),
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
    budget_source = models.CharField(
        _("budget published in"),
        max_length=300,
        blank=True,
        help_text=_('Where the budget table is published, e.g. "Bilag 2 i …".'),
    )
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
            models.CheckConstraint(
                condition=Q(follow_up_until__isnull=True)
                | Q(end_year__isnull=False, follow_up_until__gte=models.F("end_year")),
                name="plan_follow_up_after_end",
                violation_error_message=_(
                    "The follow-up cannot end before the plan period, and an open-ended plan "
                    "is followed up as long as it runs."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dashboard:plan_detail", kwargs={"slug": self.slug})

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

    @property
    def last_follow_up_year(self) -> int | None:
        """The last year with statuses, rounds and reports (None: open-ended)."""
        return self.follow_up_until or self.end_year

    @property
    def follow_up_label(self) -> str:
        last = self.last_follow_up_year
        return f"{self.start_year}–{last}" if last else f"{self.start_year}–"

    @property
    def follow_up_extended(self) -> bool:
        return bool(self.follow_up_until and self.end_year and self.follow_up_until > self.end_year)

    def follows_up(self, year: int) -> bool:
        last = self.last_follow_up_year
        return year >= self.start_year and (last is None or year <= last)

    def follow_up_message(self, year: int) -> str | None:
        """Why a year takes no statuses, rounds or reports, or None when it does."""
        if self.follows_up(year):
            return None
        if year < self.start_year:
            return self.year_outside_message(year)
        return _(
            "%(year)s is outside the plan's follow-up period %(period)s. Staff can extend the "
            "follow-up on the plan in the administration."
        ) % {"year": year, "period": self.follow_up_label}

    def clean(self) -> None:
        if self.predecessor_id and self.predecessor_id == self.pk:
            raise ValidationError({"predecessor": _("A plan cannot be its own predecessor.")})
        last = self.last_follow_up_year
        if self.pk and last is not None:
            # Shortening the follow-up must not leave statuses, rounds or reports outside it.
            later = {
                _("statuses"): MeasureStatus.objects.filter(measure__initiative__plan=self),
                _("reporting rounds"): self.rounds.all(),
                _("reports"): self.reports.exclude(state="external"),
            }
            found = [str(what) for what, rows in later.items() if rows.filter(year__gt=last)]
            if found:
                raise ValidationError(
                    {
                        "follow_up_until": _(
                            "The plan already has %(what)s after %(year)s; the follow-up "
                            "cannot end before them."
                        )
                        % {"what": ", ".join(found), "year": last}
                    }
                )


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

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class MainElement(models.Model):
    """A main element (hovedelement) of a plan; initiatives and budget sections hang under it."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="main_elements"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    named_by_portal = models.BooleanField(
        _("title given by the portal"),
        default=False,
        help_text=_("The source lists the element without a title; the portal named it."),
    )
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

    def __str__(self) -> str:
        return self.title


# A search is a few words: each adds a condition, and a few hundred exceed what the database
# will parse (SQLite's expression depth) long before they find anything more.
SEARCH_MAX_WORDS = 10
SEARCH_MAX_LENGTH = 200


def validate_search(text: str) -> None:
    """Refuse, with a Danish message, a search text longer than a search."""
    if len(text) > SEARCH_MAX_LENGTH or len(text.split()) > SEARCH_MAX_WORDS:
        raise ValidationError(
            _("A search can have at most %(words)s words and %(length)s characters."),
            code="search_too_long",
            params={"words": SEARCH_MAX_WORDS, "length": SEARCH_MAX_LENGTH},
        )


class InitiativeQuerySet(models.QuerySet["Initiative"]):
    def for_initiative_list(self) -> Self:
        """Initiatives with plan, main element and responsible organisations, for the list
        page's rows (the table counts the rows' statuses itself, one query per page)."""
        return self.select_related("plan", "main_element").prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("organisation").order_by(
                    "role", "organisation__name"
                ),
            )
        )

    def with_public_statuses(self) -> Self:
        """Initiatives with plan, main element, measures and the measures' public statuses (as
        ``public_statuses``), in three queries whatever the count."""
        public = PublishedStatus.objects.public().order_by("year")
        measures = Measure.objects.order_by("position").prefetch_related(
            Prefetch("published_statuses", queryset=public, to_attr="public_statuses")
        )
        return self.select_related("plan", "main_element").prefetch_related(
            Prefetch("measures", queryset=measures)
        )

    def search(self, text: str) -> Self:
        """Initiatives with every word of the text in their title, purpose, number or a measure's
        title. Raises ValidationError for a text longer than a search (see validate_search)."""
        validate_search(text)
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

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "dashboard:initiative_detail", kwargs={"plan_slug": self.plan.slug, "code": self.code}
        )

    def clean(self) -> None:
        if (
            self.main_element_id
            and self.plan_id
            and cast(MainElement, self.main_element).plan_id != self.plan_id
        ):
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

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


# Measures as the status reports print them: initiatives before draft recommendations before
# regional initiatives, each in its published order. Every list of measures uses it.
PUBLISHED_ORDER = ("initiative__kind", "initiative__position", "position")


class MeasureQuerySet(models.QuerySet["Measure"]):
    def in_published_order(self, path: str = "") -> Self:
        """Ordered as the reports print them; path reaches the measure from another model."""
        return self.order_by(*(path + field for field in PUBLISHED_ORDER))


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

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "position"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "position"], name="measure_unique_position"
            ),
        ]

    def __str__(self) -> str:
        prefix = self.number or self.initiative.number
        return f"{prefix} {self.title}"


class PublicYearQuerySet(models.QuerySet["PublicYear"]):
    def current(self) -> Self:
        """Plan-years that are public now (past any embargo time)."""
        return self.filter(public_from__lte=timezone.now())


class PublicYear(models.Model):
    """A plan-year whose statuses and cases the public may see, from a given time.

    Publishing the year's annual report (reports.AnnualReport) sets it; the data apps only ask
    whether a year is public, never how it was published."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="public_years"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    public_from = models.DateTimeField(_("public from"))
    correction_opened_at = models.DateTimeField(
        _("correction opened at"),
        null=True,
        blank=True,
        help_text=_(
            "While a correction is open, staff may change the year's statuses, cases and texts; "
            "the public sees the published version until the correction is published."
        ),
    )
    correction_opened_by = acting_user(_("correction opened by"))

    objects = PublicYearQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "year"]
        verbose_name = _("public plan-year")
        verbose_name_plural = _("public plan-years")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="public_year_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.short_name} {self.year}"

    @property
    def correction_is_open(self) -> bool:
        return self.correction_opened_at is not None

    @classmethod
    def fixed_message(cls, plan_id: int, year: int) -> str | None:
        """Why the plan-year's statuses, cases and texts cannot change now, or None: a
        published year changes only through a correction."""
        public = cls.objects.filter(plan_id=plan_id, year=year).select_related("plan").first()
        if public is None or public.correction_is_open:
            return None
        return _(
            "%(plan)s %(year)s is published and stays as published. To change it, open a "
            "correction of the year's report; the change becomes public when the correction "
            "is published as a new version."
        ) % {"plan": public.plan.short_name, "year": year}

    def open_correction(self, user: Any = None) -> None:
        if self.correction_is_open:
            raise ValidationError(_("A correction of this year is already open."))
        self.correction_opened_at, self.correction_opened_by = timezone.now(), user
        self.save(update_fields=["correction_opened_at", "correction_opened_by"])

    def copy_to_public(self) -> None:
        """Make the year's working statuses, cases and texts what the public sees (on first
        publication and on each published correction), and close the correction."""
        with transaction.atomic():
            for published, working, plan_path in PUBLISHED_COPIES:
                published.objects.filter(**{plan_path: self.plan_id, "year": self.year}).delete()
                rows = working.objects.filter(**{plan_path: self.plan_id, "year": self.year})
                published.objects.bulk_create(published.copy_of(row) for row in rows)
            public_data_changed()  # bulk_create sends no signals
            self.correction_opened_at, self.correction_opened_by = None, None
            if self.pk:
                self.save(update_fields=["correction_opened_at", "correction_opened_by"])
            public_year_changed.send(PublicYear, public_from=self.public_from)

    def discard_correction(self) -> None:
        """Set the year's working rows back to what the public sees, and close the correction."""
        with transaction.atomic():
            for published, working, plan_path in PUBLISHED_COPIES:
                lookup = {plan_path: self.plan_id, "year": self.year}
                kept = {row.pk: row for row in published.objects.filter(**lookup)}
                for row in working.objects.filter(**lookup).exclude(pk__in=kept):
                    row.delete()
                for pk, copy in kept.items():
                    row = working.objects.filter(pk=pk).first() or working(pk=pk)
                    copy.restore(row)
                    row.save()
            self.correction_opened_at, self.correction_opened_by = None, None
            self.save(update_fields=["correction_opened_at", "correction_opened_by"])

    def unpublished_changes(self) -> list[str]:
        """What differs between the year's working rows and what the public sees, one line
        each (empty when nothing does)."""
        changes: list[str] = []
        for published, working, plan_path in PUBLISHED_COPIES:
            lookup = {plan_path: self.plan_id, "year": self.year}
            public = {row.pk: row for row in published.objects.filter(**lookup)}
            for row in working.objects.filter(**lookup):
                copy = public.pop(row.pk, None)
                if copy is None:
                    changes.append(_("New: %(row)s") % {"row": published.describe(row)})
                elif published.copy_of(row).values() != copy.values():
                    changes.append(_("Changed: %(row)s") % {"row": published.describe(row)})
            changes += [
                _("Removed: %(row)s") % {"row": published.describe(copy)}
                for copy in public.values()
            ]
        return changes

    def drop_public_copies(self) -> None:
        for published, _working, plan_path in PUBLISHED_COPIES:
            published.objects.filter(**{plan_path: self.plan_id, "year": self.year}).delete()
        public_year_changed.send(PublicYear, public_from=None)


def refuse_fixed_years(queryset: models.QuerySet[Any], plan_field: str) -> None:
    """Deleting many rows meets the same rule as deleting one (FixedOncePublished)."""
    for plan_id, year in set(queryset.order_by().values_list(plan_field, "year")):
        if message := PublicYear.fixed_message(plan_id, year):
            raise ValidationError(message)


class FixedOncePublishedQuerySet[M: models.Model](models.QuerySet[M]):
    def delete(self) -> tuple[int, dict[str, int]]:
        refuse_fixed_years(self, "initiative__plan")
        return super().delete()


class FixedOncePublished(models.Model):
    """A row of a plan-year (status, case, text): once the year is published it changes only
    while a correction of the year is open (PublicYear.fixed_message), in forms, the admin's
    history, commands and views alike."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if message := self.fixed_message():
            raise ValidationError(message)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if message := self.fixed_message(deleting=True):
            raise ValidationError(message)
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if message := self.fixed_message():
            raise ValidationError(message)

    def plan_year(self) -> tuple[int | None, int | None]:
        raise NotImplementedError

    def stored(self) -> Self | None:
        if self.pk is None or self._state.adding:
            return None
        return type(self)._base_manager.filter(pk=self.pk).first()

    def same_as(self, stored: Self) -> bool:
        """Whether the row is as stored (the revision counter aside)."""
        return all(
            getattr(stored, field.attname) == getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if field.attname != "revision"
        )

    def fixed_message(self, deleting: bool = False) -> str | None:
        stored = self.stored()  # read once: the check compares with it and asks its year
        if stored is not None and not deleting and self.same_as(stored):
            return None  # e.g. an inline form saved along with its parent, as it was
        years = {self.plan_year(), stored.plan_year() if stored else (None, None)}
        for plan_id, year in years:
            if plan_id and year and (message := PublicYear.fixed_message(plan_id, year)):
                return message
        return None


def year_is_published(plan_path: str) -> Exists:
    """Whether the row's plan (reached by plan_path) and year is public: what a year's statuses
    and cases need before the public may see them."""
    return Exists(
        PublicYear.objects.current().filter(plan=OuterRef(plan_path), year=OuterRef("year"))
    )


class StatusQuerySet[M: models.Model](models.QuerySet[M]):
    """What working and published statuses share: counting them and grouping their wordings."""

    def wordings(self, by: str) -> dict[Any, list[tuple[str, str, int]]]:
        """The statuses grouped by a field (e.g. the initiative), each group as
        [(wording as published, category label, n)] in the order of the first measure with that
        wording: what list pages show, so that a reader sees the published wording and the
        category beside it, not the category instead of it."""
        return self.wordings_and_counts(by)[0]

    def wordings_and_counts(
        self, by: str
    ) -> tuple[dict[Any, list[tuple[str, str, int]]], dict[str, int]]:
        """wordings(), and how many statuses there are in each category over them all
        ({category: n}, as category_counts()), from the same query."""
        rows = (
            self.order_by()
            .values(by, "wording", "category")
            .annotate(n=Count("pk"), first=Min("measure__position"))
            .order_by(by, "first", "wording")
        )
        grouped: dict[Any, list[tuple[str, str, int]]] = {}
        counts: dict[str, int] = {}
        for row in rows:
            label = str(StatusCategory(row["category"]).label)
            grouped.setdefault(row[by], []).append((row["wording"], label, row["n"]))
            counts[row["category"]] = counts.get(row["category"], 0) + row["n"]
        return grouped, counts

    def category_counts(self, *by: str) -> dict[Any, Any]:
        """How many statuses there are in each category, counted in the database: the one place
        that counts statuses. Without fields {category: n}; grouped by fields
        {(their values…): {category: n}}."""
        rows = self.order_by().values(*by, "category").annotate(n=Count("pk"))
        if not by:
            return {row["category"]: row["n"] for row in rows}
        grouped: dict[Any, dict[str, int]] = {}
        for row in rows:
            grouped.setdefault(tuple(row[field] for field in by), {})[row["category"]] = row["n"]
        return grouped


class MeasureStatusQuerySet(StatusQuerySet["MeasureStatus"]):
    """The working statuses staff and consolidation write; the public reads PublishedStatus."""

    def delete(self) -> tuple[int, dict[str, int]]:
        refuse_fixed_years(self, "measure__initiative__plan")
        return super().delete()

    def for_status_table(self, plan: Plan, year: int) -> Self:
        return (
            self.filter(measure__initiative__plan=plan, year=year)
            .select_related("measure__initiative")
            .order_by(
                "measure__initiative__kind", "measure__initiative__position", "measure__position"
            )
        )


class MeasureStatus(FixedOncePublished, RevisionedModel):
    """The status of one measure in one year: category, wording as published and narrative."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="statuses"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    category = models.CharField(_("category"), max_length=20, choices=StatusCategory.choices)
    wording = models.TextField(_("wording as published"))
    narrative = models.TextField(_("narrative"), blank=True, help_text=_("Markdown."))
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Where the status came from.")
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

    def __str__(self) -> str:
        return f"{self.year}: {self.get_category_display()}"

    def plan_year(self) -> tuple[int | None, int | None]:
        return (self.measure.initiative.plan_id if self.measure_id else None), self.year

    def clean(self) -> None:
        plan = self.measure.initiative.plan if self.measure_id else None
        if plan and self.year and (message := plan.follow_up_message(self.year)):
            raise ValidationError({"year": message})
        if self.measure_id and self.year:
            check_markers(self.narrative, self.measure.initiative, self.year, "narrative")
        super().clean()


class CaseQuerySet(FixedOncePublishedQuerySet["Case"]):
    def next_number(self, plan: Plan, year: int) -> int:
        """Cases are numbered through a year's report; the next free number."""
        current = self.filter(plan=plan, year=year).aggregate(n=models.Max("number"))["n"]
        return (current or 0) + 1


class Case(FixedOncePublished):
    """A case story (box) printed beside an initiative in a status report."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="cases"
    )
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="cases",
        blank=True,
        editable=False,
        help_text=_(
            "The initiative's plan, kept here so that the database can keep the case "
            "numbers of a plan's yearly report unique."
        ),
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
            models.UniqueConstraint(
                fields=["plan", "year", "number"],
                condition=Q(number__isnull=False),
                name="case_unique_number",
                violation_error_message=_("The year's report already has a case with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}. {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.plan_id = self.initiative.plan_id
        super().save(*args, **kwargs)

    def plan_year(self) -> tuple[int | None, int | None]:
        return (self.initiative.plan_id if self.initiative_id else None), self.year

    def clean(self) -> None:
        if self.initiative_id:
            self.plan_id = self.initiative.plan_id
            if self.year and (message := self.initiative.plan.follow_up_message(self.year)):
                raise ValidationError({"year": message})
        super().clean()


def check_markers(text: str, initiative: Initiative, year: int, field: str) -> None:
    """Refuse a narrative that places a case or table the initiative does not have that year."""
    labels = set(initiative.cases.filter(year=year).values_list("label", flat=True))
    labels |= set(figures(initiative.indicators.all()))
    if unknown := [label for label in markers(text) if label not in labels]:
        raise ValidationError(
            {
                field: _(
                    "The text places %(labels)s, but the initiative has no case of the year "
                    "or table with that label."
                )
                % {"labels": ", ".join(f"[[{label}]]" for label in unknown)}
            }
        )


class StatusText(FixedOncePublished):
    """An initiative's running status text of a year.

    The published status tells some initiatives' year as one text for the whole initiative,
    not measure by measure; the text keeps the published order and places the initiative's
    cases and tables where the document prints them (initiatives.narratives)."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="status_texts",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    text = models.TextField(
        _("text"),
        help_text=_(
            "Markdown. A line holding only [[Case 12]] or [[Tabel 4]] places that case or "
            "table at that point, by its label as published."
        ),
    )
    history = HistoricalRecords()

    objects = FixedOncePublishedQuerySet["StatusText"].as_manager()

    class Meta:
        ordering = ["initiative", "year"]
        verbose_name = _("status text of the year")
        verbose_name_plural = _("status texts of the year")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "year"],
                name="status_text_unique_year",
                violation_error_message=_(
                    "The initiative already has a status text for this year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} {self.year}"

    def plan_year(self) -> tuple[int | None, int | None]:
        return (self.initiative.plan_id if self.initiative_id else None), self.year

    def clean(self) -> None:
        if not (self.initiative_id and self.year):
            return
        if message := self.initiative.plan.follow_up_message(self.year):
            raise ValidationError({"year": message})
        check_markers(self.text, self.initiative, self.year, "text")
        super().clean()


# What the public sees of a plan-year: copies of the working statuses, cases and texts, made
# when the year's report is published and again when a correction of it is (PublicYear).
# They keep the working row's id, so that addresses and API ids stay as they were.


class PublishedQuerySet[M: models.Model](models.QuerySet[M]):
    plan_path = "initiative__plan"

    def public(self) -> Self:
        """Rows of years that are public now (past any embargo time)."""
        return self.filter(year_is_published(self.plan_path))


class PublishedStatusQuerySet(StatusQuerySet["PublishedStatus"]):
    def public(self) -> Self:
        """The statuses the public sees: of years published and past any embargo time."""
        return self.filter(year_is_published("measure__initiative__plan"))


def public_status_years() -> set[int]:
    """The years that have public statuses: from the public plan-years that have a status (an
    index lookup each), not by reading every status of every year."""
    with_statuses = PublishedStatus.objects.filter(
        measure__initiative__plan=OuterRef("plan"), year=OuterRef("year")
    )
    return set(
        PublicYear.objects.current().filter(Exists(with_statuses)).values_list("year", flat=True)
    )


class PublishedCopy(models.Model):
    """A published copy of a working row: FIELDS are copied, compared and restored."""

    FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def copy_of(cls, row: Any) -> Self:
        return cls(pk=row.pk, **{name: getattr(row, name) for name in cls.FIELDS})

    def values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def restore(self, row: Any) -> None:
        for name in self.FIELDS:
            setattr(row, name, getattr(self, name))


class PublishedStatus(PublishedCopy):
    """A measure's status of a year as published (see PublicYear.copy_to_public)."""

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.CASCADE,
        related_name="published_statuses",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=20, choices=StatusCategory.choices)
    wording = models.TextField(_("wording as published"))
    narrative = models.TextField(_("narrative"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = PublishedStatusQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "year"]
        verbose_name = _("published status")
        verbose_name_plural = _("published statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year"], name="published_status_unique_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_category_display()}"

    FIELDS = ("measure_id", "year", "category", "wording", "narrative", "source")

    @staticmethod
    def describe(row: Any) -> str:
        return _("status %(year)s of %(measure)s") % {"year": row.year, "measure": row.measure}


class PublishedCase(PublishedCopy):
    """A case of a year's report as published (see PublicYear.copy_to_public)."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="published_cases",
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("label as published"), max_length=50)
    number = models.PositiveSmallIntegerField(_("case number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("text"))

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "year", "number", "label"]
        verbose_name = _("published case")
        verbose_name_plural = _("published cases")

    def __str__(self) -> str:
        return f"{self.label}. {self.title}"

    FIELDS = (
        "initiative_id",
        "plan_id",
        "label",
        "number",
        "title",
        "organisation_id",
        "year",
        "text",
    )

    @staticmethod
    def describe(row: Any) -> str:
        return _("%(case)s (%(year)s)") % {"case": row, "year": row.year}


class PublishedStatusText(PublishedCopy):
    """An initiative's status text of a year as published (see PublicYear.copy_to_public)."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="published_status_texts",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("text"))

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "year"]
        verbose_name = _("published status text")
        verbose_name_plural = _("published status texts")

    def __str__(self) -> str:
        return f"{self.initiative} {self.year}"

    FIELDS = ("initiative_id", "year", "text")

    @staticmethod
    def describe(row: Any) -> str:
        return _("status text %(year)s of %(initiative)s") % {
            "year": row.year,
            "initiative": row.initiative,
        }


# (published model, working model, path from a row to its plan)
PUBLISHED_COPIES: list[tuple[Any, Any, str]] = [
    (PublishedStatus, MeasureStatus, "measure__initiative__plan"),
    (PublishedCase, Case, "initiative__plan"),
    (PublishedStatusText, StatusText, "initiative__plan"),
]


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

    def __str__(self) -> str:
        return f"{self.made_by}, {self.made_on:%Y-%m-%d}"


class Finding(models.Model):
    """A disagreement inside the published sources, recorded by the portal: both figures (or
    wordings) as published and where each stands. The published figures are never changed;
    for a sum or a change the portal computes what the published parts give (see computed).

    Disagreements inside a budget table are computed from the budget lines instead (see
    budget.checks); budget.checks.plan_findings() lists both kinds together."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="findings"
    )
    code = models.SlugField(
        _("identifier"), max_length=80, unique=True, help_text=_("Stable; used in the open data.")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    topic = models.CharField(_("shown with"), max_length=20, choices=FindingTopic.choices)
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="findings",
    )
    target_number = models.PositiveSmallIntegerField(
        _("national target"),
        null=True,
        blank=True,
        help_text=_("The number of the plan's national target it concerns, if any."),
    )
    table_label = models.CharField(
        _("table"),
        max_length=50,
        blank=True,
        help_text=_('The published table it concerns, e.g. "Tabel 2".'),
    )
    subject = models.CharField(_("subject"), max_length=300)
    stated = models.TextField(_("as published"))
    stated_at = models.CharField(_("where"), max_length=300)
    other = models.TextField(_("elsewhere as published"), blank=True)
    other_at = models.CharField(_("where, elsewhere"), max_length=300, blank=True)
    parts = models.CharField(
        _("published parts"),
        max_length=300,
        blank=True,
        help_text=_(
            'For a sum, the parts separated by ";" ("12,3; 2,9; 6,3"); for a change, the '
            'figure before and after ("812.746; 1.051.042"). Danish notation.'
        ),
    )
    note = models.TextField(_("the portal's note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="finding_unique_position"),
        ]

    def __str__(self) -> str:
        return self.subject

    def row(self) -> FindingRow:
        return FindingRow(
            code=self.code,
            plan=self.plan.slug,
            topic=self.topic,
            kind=self.kind,
            subject=self.subject,
            stated=self.stated,
            stated_at=self.stated_at,
            other=self.other,
            other_at=self.other_at,
            computed=self.computed,
            note=self.note,
            initiative_id=self.initiative_id,
            table_label=self.table_label,
            target_number=self.target_number,
        )

    def published_parts(self) -> list[Decimal]:
        return [parse_decimal(part.strip()) for part in self.parts.split(";") if part.strip()]

    @property
    def computed(self) -> str:
        """What the published parts give, in Danish notation ("" where nothing is computed)."""
        parts = self.published_parts()
        if self.kind == FindingKind.SUM and parts:
            return format_number(sum(parts, Decimal(0)))
        if self.kind == FindingKind.CHANGE and len(parts) == 2 and parts[0]:
            change = (parts[1] - parts[0]) / parts[0] * 100
            return format_percent(change.quantize(Decimal("0.1")))
        return ""

    def clean(self) -> None:
        try:
            parts = self.published_parts()
        except ValueError as error:
            raise ValidationError({"parts": str(error)}) from None
        if self.kind in (FindingKind.SUM, FindingKind.CHANGE):
            if not parts or (self.kind == FindingKind.CHANGE and len(parts) != 2):
                raise ValidationError({"parts": _("Give the published parts it is computed from.")})
        elif not self.other:
            raise ValidationError({"other": _("Give the other figure or wording as published.")})
