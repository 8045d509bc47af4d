import re
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from initiatives.models import YEAR_VALIDATORS, Initiative, Plan

PERIOD_PATTERN = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


class NationalTarget(models.Model):
    """A national target of a plan (målsætning), with the level and year it aims for."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("target as published"))
    target_year = models.PositiveSmallIntegerField(
        _("target year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(_("unit of the target value"), max_length=50, blank=True)
    monitoring = models.TextField(_("how it is monitored"), blank=True)
    status_text = models.TextField(_("latest follow-up"), blank=True, help_text=_("Markdown."))
    initiatives = models.ManyToManyField(
        Initiative, verbose_name=_("served by initiatives"), blank=True, related_name="targets"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan__start_year", "number"]
        verbose_name = _("national target")
        verbose_name_plural = _("national targets")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="target_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("targets:target_detail", kwargs={"pk": self.pk})


class Indicator(models.Model):
    """A series that tells how a target or an initiative moves: unit, source and caveats."""

    target = models.ForeignKey(
        NationalTarget,
        verbose_name=_("national target"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=300)
    table_label = models.CharField(
        _("table as published"), max_length=50, blank=True, help_text=_('E.g. "Tabel 2".')
    )
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=50)
    source = models.TextField(_("source"), blank=True)
    caveats = models.TextField(_("caveats"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="indicator_unique_position"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def heading(self) -> str:
        """ "Tabel 1: 5 års overlevelse …", or the name where the source gives no table label."""
        return f"{self.table_label}: {self.name}" if self.table_label else self.name

    @property
    def further_description(self) -> str:
        """The description where it says more than the heading: some sources caption a table
        with its own title, which a page would otherwise print twice."""

        def bare(text: str) -> str:
            return " ".join(text.split()).rstrip(".").casefold()

        return "" if bare(self.description) == bare(self.heading) else self.description

    def clean(self) -> None:
        if (
            self.target_id
            and self.plan_id
            and cast(NationalTarget, self.target).plan_id != self.plan_id
        ):
            raise ValidationError({"target": _("The target belongs to another plan.")})
        if (
            self.initiative_id
            and self.plan_id
            and cast(Initiative, self.initiative).plan_id != self.plan_id
        ):
            raise ValidationError({"initiative": _("The initiative belongs to another plan.")})


class Measurement(models.Model):
    """One published figure of an indicator: a period ("2018", "2016-2018"), breakdown, value."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    period = models.CharField(
        _("period"), max_length=9, help_text=_('A year ("2018") or a span ("2016-2018").')
    )
    period_start = models.PositiveSmallIntegerField(_("first year"), editable=False)
    period_end = models.PositiveSmallIntegerField(_("last year"), editable=False)
    group = models.CharField(_("group"), max_length=200, blank=True)
    breakdown = models.CharField(
        _("breakdown"), max_length=200, blank=True, help_text=_("E.g. men, women, an age group.")
    )
    category = models.CharField(
        _("category"), max_length=200, blank=True, help_text=_("E.g. a column of the table.")
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Where a count is published with its percentage."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "position", "period_start", "period_end"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "group", "breakdown", "category"],
                name="measurement_unique_cell",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="measurement_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__gte=0, share__lte=100),
                name="measurement_share_is_percentage",
            ),
        ]

    def __str__(self) -> str:
        parts = [self.period, self.breakdown, self.category]
        return " / ".join(part for part in parts if part)

    def save(self, *args: Any, **kwargs: Any) -> None:
        match = PERIOD_PATTERN.match(self.period)
        if not match:
            raise ValueError(f"Invalid period {self.period!r}")
        self.period_start = int(match[1])
        self.period_end = int(match[2] or match[1])
        super().save(*args, **kwargs)

    def clean(self) -> None:
        match = PERIOD_PATTERN.match(self.period or "")
        if not match:
            raise ValidationError(
                {"period": _('Write the period as a year ("2018") or a span ("2016-2018").')}
            )
        start, end = int(match[1]), int(match[2] or match[1])
        if end < start:
            raise ValidationError({"period": _("The period ends before it starts.")})
        self.period_start, self.period_end = start, end
