from typing import Any, cast

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult
from simple_history.models import HistoricalRecords

from initiatives.models import YEAR_VALIDATORS, Plan, PublicYear
from kraeftplan.files import published_storage, store_atomically
from kraeftplan.fulltext import CONFIG, StoredVector
from kraeftplan.models import acting_user

from . import rendering
from .pdf import render_pdf


class AnnualReportQuerySet(models.QuerySet):
    def published(self) -> "AnnualReportQuerySet":
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
        # Known to have been published (title and date), but its content is not in the portal.
        EXTERNAL = "external", _("Published outside the portal")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("title"), max_length=300)
    dated = models.DateField(_("date of the report"), null=True, blank=True)
    publisher = models.CharField(
        _("published by"), max_length=200, blank=True, help_text=_('E.g. "Sundhedsministeriet".')
    )
    from_source = models.BooleanField(
        _("reproduces a published document"),
        default=False,
        help_text=_(
            "The report gives the content of a document published outside the portal: its "
            "texts summarise that document; figures, dates and statuses are as published."
        ),
    )
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    overall_status = models.TextField(_("overall status"), blank=True, help_text=_("Markdown."))
    targets_introduction = models.TextField(
        _("introduction to the national targets"), blank=True, help_text=_("Markdown.")
    )
    continuing_introduction = models.TextField(
        _("introduction to the initiatives continuing after the plan period"),
        blank=True,
        help_text=_("Markdown."),
    )
    initiatives_introduction = models.TextField(
        _("introduction to the appendix on each initiative"), blank=True, help_text=_("Markdown.")
    )
    budget_introduction = models.TextField(
        _("introduction to the budget appendix"), blank=True, help_text=_("Markdown.")
    )
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
                condition=Q(state__in=["draft", "external"]) | Q(published_at__isnull=False),
                name="report_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # What a published report says: fixed with its year, changed only through a correction.
    # In the order of the admin's form (reports.admin), which shows them.
    CONTENT = (
        "plan_id",
        "year",
        "title",
        "dated",
        "publisher",
        "from_source",
        "introduction",
        "overall_status",
        "continuing_introduction",
        "targets_introduction",
        "initiatives_introduction",
        "budget_introduction",
    )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if message := self.fixed_message() or self.unpublish_message():
            raise ValidationError(message)
        with transaction.atomic():
            before = AnnualReport.objects.filter(pk=self.pk).values("plan_id", "year").first()
            super().save(*args, **kwargs)
            if before and (before["plan_id"], before["year"]) != (self.plan_id, self.year):
                PublicYear.objects.filter(**before).delete()
            self._sync_public_year()

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            PublicYear.objects.filter(plan_id=self.plan_id, year=self.year).delete()
            return super().delete(*args, **kwargs)

    def _sync_public_year(self):
        """A published report makes its plan-year public from its publication time, with the
        year's statuses, cases and texts as they are then; a report set back to draft takes
        the year off the public pages again."""
        if self.state == self.State.PUBLISHED and self.published_at is not None:
            public, created = PublicYear.objects.update_or_create(
                plan_id=self.plan_id, year=self.year, defaults={"public_from": self.published_at}
            )
            if created:
                public.copy_to_public()
        else:
            for public in PublicYear.objects.filter(plan_id=self.plan_id, year=self.year):
                public.drop_public_copies()
                public.delete()

    def fixed_message(self) -> str | None:
        """Why the report's content cannot change now, or None: a published report's texts
        change only while a correction of its year is open."""
        if self.pk is None:
            return None
        stored = AnnualReport.objects.filter(pk=self.pk).first()
        if stored is None or stored.state != self.State.PUBLISHED:
            return None
        if all(getattr(stored, name) == getattr(self, name) for name in self.CONTENT):
            return None
        return PublicYear.fixed_message(stored.plan_id, stored.year)

    def unpublish_message(self) -> str | None:
        """Why the report's state or publication time cannot change, or None: a published
        report stays published from the time it was published (the public record). Whatever
        asks (a form, the history's revert, a command) meets this rule."""
        if self.pk is None:
            return None
        stored = AnnualReport.objects.filter(pk=self.pk).values("state", "published_at").first()
        if stored is None or stored["state"] != self.State.PUBLISHED:
            return None
        if (self.state, self.published_at) == (stored["state"], stored["published_at"]):
            return None
        return str(
            _(
                "A published report stays published from the time it was published; its "
                "state and publication time cannot change. Changes are published as a "
                "correction."
            )
        )

    def published_texts(self) -> "AnnualReport | None":
        """The report as its latest version published it (from its history), or None."""
        latest = self.latest_version
        if latest is None:
            return None
        try:
            return self.history.as_of(latest.created_at)
        except AnnualReport.DoesNotExist:
            return None

    def text_changes(self) -> list[str]:
        """The report's own texts changed since its latest version, one line each."""
        published = self.published_texts()
        if published is None:
            return []
        return [
            _("Changed: the report's %(field)s")
            % {"field": getattr(self._meta.get_field(name), "verbose_name", name)}
            for name in self.CONTENT
            if name not in ("plan_id", "year") and getattr(published, name) != getattr(self, name)
        ]

    def restore_published_texts(self) -> None:
        """Set the report's texts back to its latest version's (while a correction is open)."""
        published = self.published_texts()
        if published is None:
            return
        for name in self.CONTENT:
            setattr(self, name, getattr(published, name))
        self.save()

    def correction_changes(self) -> list[str]:
        """What a published correction would change: the year's data and the report's texts."""
        public = self.public_year
        return [*(public.unpublished_changes() if public else []), *self.text_changes()]

    def discard_correction(self) -> None:
        """Set the year's data and the report's texts back to the published version."""
        public = self.public_year
        if public is None or not public.correction_is_open:
            raise ValidationError(_("No correction of this year is open."))
        with transaction.atomic():
            self.restore_published_texts()
            public.discard_correction()

    @property
    def public_year(self) -> PublicYear | None:
        return PublicYear.objects.filter(plan_id=self.plan_id, year=self.year).first()

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()

    def publish(self, *, user=None, note: str = "", embargo_until=None) -> "ReportVersion":
        """Publish (or correct) the report: freeze its HTML and data as a new numbered version.

        The first publication needs no note; a correction must say what changed. With an embargo
        time the report, and with it the year's statuses, becomes public only then.
        """
        with transaction.atomic():
            report = AnnualReport.objects.select_for_update().get(pk=self.pk)
            if report.state == self.State.EXTERNAL:
                raise ValidationError(
                    _(
                        "The report was published outside the portal and its content is not "
                        "here; it cannot be published from the portal."
                    )
                )
            number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            public = report.public_year
            if number > 1 and public is not None and not public.correction_is_open:
                raise ValidationError(
                    _(
                        "The year is published. Open a correction, change what is needed, "
                        "and publish the correction."
                    )
                )
            if number > 1 and not note.strip():
                raise ValidationError(
                    {"note": _("A correction must say what changed since the last version.")}
                )
            now = timezone.now()
            correcting = public is not None
            if correcting and embargo_until and embargo_until > now:
                # The year stays public while it is corrected; a later time would take the
                # published version off the pages until then.
                raise ValidationError(
                    {
                        "embargo_until": _(
                            "A correction is published at once; a later time is only for the "
                            "first publication of a year."
                        )
                    }
                )
            if not correcting:
                report.state = self.State.PUBLISHED
                report.published_at = embargo_until or now
                report.save()
            if message := report.plan.follow_up_message(report.year):
                raise ValidationError(message)
            # The public now sees the year as published in this version.
            cast(PublicYear, report.public_year).copy_to_public()
            frozen = rendering.freeze(report)
            version = ReportVersion.objects.create(
                report=report,
                number=number,
                note=note.strip(),
                published_at=now if correcting else cast(Any, report.published_at),
                published_by=user,
                **frozen,
            )
            # Written in this transaction: the worker renders the PDF once the version is there.
            version.queue_pdf()
        self.refresh_from_db()
        return version

    def clean(self) -> None:
        if self.plan_id and self.year and (message := self.plan.follow_up_message(self.year)):
            raise ValidationError({"year": message})
        if message := self.fixed_message() or self.unpublish_message():
            raise ValidationError(message)
        if self.state == self.State.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()


class ReportVersionManager(models.Manager["ReportVersion"]):
    def get_queryset(self) -> models.QuerySet["ReportVersion"]:
        # The search vector is for the site search's WHERE clause only; no page reads it.
        return super().get_queryset().defer("search_vector")


class ReportVersion(models.Model):
    """A published, frozen version of an annual report: what the public reads never changes when
    the data does. A correction is a new version with a note; earlier versions stay available."""

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    # The report's title and date as this version published them: the report's own may change
    # later (a correction's draft), the public page of the version does not.
    title = models.CharField(_("title (as published)"), max_length=300)
    dated = models.DateField(_("date of the report (as published)"), null=True, blank=True)
    note = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(_("public from"))
    published_by = acting_user(_("published by"))
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True)
    web_html = models.TextField(_("web page (frozen)"))
    print_html = models.TextField(_("print document (frozen)"))
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    data = models.JSONField(_("data behind the report (frozen)"))
    # The frozen page's words for PostgreSQL's full-text search (kraeftplan.fulltext), built by
    # the database when the version is written; NULL on SQLite.
    search_vector = models.GeneratedField(
        expression=StoredVector("web_html", config=CONFIG),
        output_field=SearchVectorField(null=True),
        db_persist=True,
        verbose_name=_("search words"),
    )

    objects = ReportVersionManager()

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="report_version_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    @property
    def pdf_name(self) -> str:
        """Where the rendered PDF is kept in the published storage (kraeftplan.files)."""
        return f"reports/version-{self.pk}.pdf"

    def has_pdf_file(self) -> bool:
        if published_storage().exists(self.pdf_name):
            return True
        if self.pdf is not None:  # rendered before PDFs were files: keep what was served
            store_atomically(self.pdf_name, bytes(self.pdf))
            return True
        return False

    def queue_pdf(self) -> None:
        """Queue the rendering of the PDF, unless it is queued already."""
        waiting = DBTaskResult.objects.filter(
            task_path=render_version_pdf.module_path,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
            args_kwargs={"args": [self.pk], "kwargs": {}},
        )
        if not waiting.exists():
            render_version_pdf.enqueue(self.pk)

    @property
    def is_public(self) -> bool:
        return self.published_at <= timezone.now()


@task
def render_version_pdf(version_id: int) -> None:
    """Render a published version's frozen print document to its PDF file (within the
    renderer's limits; a failure keeps any earlier file)."""
    version = ReportVersion.objects.get(pk=version_id)
    store_atomically(version.pdf_name, render_pdf(version.print_html))
