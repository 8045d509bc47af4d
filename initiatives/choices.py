from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Agency")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Municipality")
    ASSOCIATION = "association", _("Association of regions or municipalities")
    HOSPITAL = "hospital", _("Hospital")
    NETWORK = "network", _("Professional network or centre")
    NGO = "ngo", _("Patient or civil society organisation")
    OTHER = "other", _("Other")


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


class MembershipRole(models.TextChoices):
    EDITOR = "editor", _("Editor")
    READER = "reader", _("Read-only member")


class ContributionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")


class ContributionAction(models.TextChoices):
    OPENED = "opened", _("Opened")
    SAVED = "saved", _("Saved")
    SUBMITTED = "submitted", _("Submitted")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")
