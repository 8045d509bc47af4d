from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from contributions.notifications import send_due_notifications


class Command(BaseCommand):
    help = (
        "Send the e-mails about contributions that are due (invited, submitted, returned, "
        "approved, deadline moved, near or passed) and have not been sent before. Links use "
        "settings.SITE_URL. Safe to run as often as you like, e.g. from cron."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--base-url",
            default=None,
            help="Address of the portal for the links, instead of settings.SITE_URL.",
        )
        parser.add_argument(
            "--days", type=int, default=3, help="Warn this many days before a deadline."
        )

    def handle(
        self, *args: Any, base_url: str | None = None, days: int = 3, **options: Any
    ) -> None:
        sent = send_due_notifications(base_url=base_url, days_before_deadline=days)
        self.stdout.write(_("%(count)s e-mail(s) sent.") % {"count": sent})
