from typing import cast

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from initiatives.models import YEAR_VALIDATORS, Initiative, MainElement, Measure, Plan
from kraeftplan.fields import MoneyField


class Recipient(models.TextChoices):
    REGIONS = "regions", _("Regions")
    MUNICIPALITIES = "municipalities", _("Municipalities")
    STATE = "state", _("State")
    HOSPICE = "hospice", _("Hospices")
    UNSTATED = "unstated", _("Not stated")


class BudgetLine(models.Model):
    """A line of a plan's budget table in mio. kr.; a "Heraf" line has the line it splits as parent.

    The stated total ("I alt") and the permanent yearly amount ("Fra 2021 og frem") are kept as
    published; consistency checks compare them with what the yearly amounts add up to.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    section = models.ForeignKey(
        MainElement,
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("sub-line of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("label as published"), max_length=300)
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    recipient = models.CharField(
        _("recipient"), max_length=20, choices=Recipient.choices, default=Recipient.UNSTATED
    )
    stated_total = MoneyField(_("stated total (I alt)"), null=True, blank=True)
    permanent_amount = MoneyField(_("permanent yearly amount"), null=True, blank=True)
    permanent_from_year = models.PositiveSmallIntegerField(
        _("permanent from year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"], name="budget_line_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(permanent_amount__isnull=True, permanent_from_year__isnull=True)
                | Q(permanent_amount__isnull=False, permanent_from_year__isnull=False),
                name="budget_line_permanent_has_year",
            ),
            models.CheckConstraint(
                condition=Q(stated_total__isnull=True) | Q(stated_total__gte=0),
                name="budget_line_total_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(permanent_amount__isnull=True) | Q(permanent_amount__gte=0),
                name="budget_line_permanent_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_subline(self) -> bool:
        return self.parent_id is not None

    def clean(self) -> None:
        errors = {}
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = _("A line cannot be its own sub-line.")
            elif cast(BudgetLine, self.parent).plan_id != self.plan_id:
                errors["parent"] = _("The parent line belongs to another plan.")
            elif cast(BudgetLine, self.parent).parent_id:
                errors["parent"] = _("Sub-lines can only be one level deep.")
        if self.section_id and cast(MainElement, self.section).plan_id != self.plan_id:
            errors["section"] = _("The section belongs to another plan.")
        if (self.permanent_amount is None) != (self.permanent_from_year is None):
            errors["permanent_from_year"] = _(
                "A permanent amount needs the year it applies from, and the other way round."
            )
        if (
            self.measure_id
            and self.initiative_id
            and cast(Measure, self.measure).initiative_id != self.initiative_id
        ):
            errors["measure"] = _("The measure belongs to another initiative.")
        if errors:
            raise ValidationError(errors)


class BudgetAmountQuerySet(models.QuerySet["BudgetAmount"]):
    def plan_total(self, plan: Plan | OuterRef) -> Subquery:
        """A subquery: the sum of the published yearly amounts of the plan's top-level lines,
        for annotating plans (plan is usually OuterRef("pk"))."""
        return Subquery(
            self.filter(line__plan=plan, line__parent__isnull=True)
            .order_by()
            .values("line__plan")
            .annotate(total=Sum("amount"))
            .values("total")
        )


class BudgetAmount(models.Model):
    """The published amount of one budget line in one year, in mio. kr."""

    line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.CASCADE, related_name="amounts"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    amount = MoneyField(_("amount (mio. kr.)"))
    history = HistoricalRecords()

    objects = BudgetAmountQuerySet.as_manager()

    class Meta:
        ordering = ["line", "year"]
        verbose_name = _("yearly amount")
        verbose_name_plural = _("yearly amounts")
        constraints = [
            models.UniqueConstraint(
                fields=["line", "year"],
                name="budget_amount_unique_year",
                violation_error_message=_("The line already has an amount for this year."),
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"

    def clean(self) -> None:
        if (
            self.line_id
            and self.year
            and (message := self.line.plan.year_outside_message(self.year))
        ):
            raise ValidationError({"year": message})


class StatedFigure(models.Model):
    """An overall amount stated in a plan's text, e.g. "årligt 384 mio. kr. fra 2021".

    Where the figure is exact and can be recomputed from the lines (checked), the consistency
    checks compare the two; rounded figures ("ca. 250 mio. kr.") are kept for the record only.
    """

    class Scope(models.TextChoices):
        PERIOD_TOTAL = "period_total", _("Total for the plan period")
        PERMANENT = "permanent", _("Permanent yearly amount")
        YEAR = "year", _("One year")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="stated_figures"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("text as published"), max_length=300)
    amount = MoneyField(_("amount (mio. kr.)"))
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    recipient = models.CharField(
        _("recipient"), max_length=20, choices=Recipient.choices, default=Recipient.UNSTATED
    )
    checked = models.BooleanField(
        _("compare with the budget lines"),
        default=False,
        help_text=_("Only for exact figures that the budget lines can reproduce."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("stated figure")
        verbose_name_plural = _("stated figures")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"], name="stated_figure_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(scope="year", year__isnull=False)
                | (~Q(scope="year") & Q(year__isnull=True)),
                name="stated_figure_year_matches_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.text
