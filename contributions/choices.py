from django.db import models
from django.utils.translation import gettext_lazy as _


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
    CONSOLIDATED = "consolidated", _("Used in the year's status")
    CASE_ADOPTED = "case_adopted", _("Case used in the year's status")
    ADDED = "added", _("Added to the open round")
    DEADLINE_CHANGED = "deadline_changed", _("Deadline changed")
    SAVED_ON_BEHALF = "saved_on_behalf", _("Saved by the ministry on the organisation's behalf")
