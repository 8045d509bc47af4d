from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "contributions"
    verbose_name = _("Yearly contributions")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from .models import ContributionEvent
        from .notifications import queue_emails_for_event

        post_save.connect(
            queue_emails_for_event,
            sender=ContributionEvent,
            dispatch_uid="contributions.queue_emails_for_event",
        )
