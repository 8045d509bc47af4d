from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from initiatives.models import YEAR_VALIDATORS, Plan


class AnnualReportQuerySet(models.QuerySet):
    def published(self):
        """Reports that are out: published, and past any embargo time."""
        return self.filter(state=AnnualReport.State.PUBLISHED, published_at__lte=timezone.now())


class AnnualReport(models.Model):
    """The yearly status report of a plan (e.g. "Status på udmøntning af Kræftplan IV - 2020").

    Publishing a year's report is what will make that year's statuses public; rendering and
    frozen versions come with the report pages.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("title"), max_length=300)
    dated = models.DateField(_("date of the report"), null=True, blank=True)
    overall_status = models.TextField(_("overall status"), blank=True, help_text=_("Markdown."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["plan__start_year", "year"]
        verbose_name = _("annual status report")
        verbose_name_plural = _("annual status reports")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="report_unique_year"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False),
                name="report_published_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def clean(self):
        if self.plan_id and self.year and (message := self.plan.year_outside_message(self.year)):
            raise ValidationError({"year": message})
        if self.state == self.State.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
