from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class PlanState(models.TextChoices):
    PREPARATION = "preparation", _("In preparation")
    RUNNING = "running", _("Running")
    CONCLUDED = "concluded", _("Concluded")


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative")
    RECOMMENDATION = "recommendation", _("Draft recommendation")
    REGIONAL = "regional", _("Regional initiative")


class GovernmentLevel(models.TextChoices):
    REGIONAL = "regional", _("Regional")
    MUNICIPAL = "municipal", _("Municipal")
    STATE = "state", _("State level")
    CROSS_CUTTING = "cross_cutting", _("Cross-cutting")


class ResponsibilityRole(models.TextChoices):
    LEAD = "lead", _("Responsible")
    SHARED = "shared", _("Co-responsible")
    CONTRIBUTOR = "contributor", _("Contributes")


class StatusCategory(models.TextChoices):
    """The status vocabulary of the yearly status reports; the published wording is kept apart."""

    ON_TRACK = "on_track", _("On track")
    PARTLY_ON_TRACK = "partly_on_track", _("Partly on track")
    DELAYED = "delayed", _("Schedule postponed")
    IMPLEMENTING = "implementing", _("Implementation under way")
    COMPLETED = "completed", _("Completed")
    DISCONTINUED = "discontinued", _("Discontinued")
    CHANGED = "changed", _("Continued in changed form")
    NOT_STARTED = "not_started", _("Not started")

    @classmethod
    def rows(cls, counts: Mapping[str, int]) -> list[tuple[StrOrPromise, int]]:
        """[(label, count)] in the vocabulary's order for a {category: count} mapping; categories
        with no statuses are left out."""
        return [(label, counts[value]) for value, label in cls.choices if counts.get(value)]


class FindingKind(models.TextChoices):
    """How two published figures or texts disagree. For sums and changes the portal computes
    the correct figure from the published parts; the other kinds are set side by side."""

    SUM = "sum", _("A stated total differs from the sum of its parts")
    CHANGE = "change", _("A stated change differs from the figures it is computed from")
    SAME_FIGURE = "same_figure", _("The same figure is stated differently in two places")
    WORDING = "wording", _("The same thing is worded differently in two places")
    PERIOD = "period", _("A period or title does not match the figures")


class FindingTopic(models.TextChoices):
    """Where a user would look for the finding."""

    PLAN = "plan", _("The plan")
    BUDGET = "budget", _("The budget")
    TARGET = "target", _("A national target or its figures")
    INITIATIVE = "initiative", _("An initiative")
