from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from contributions.notifications import queue_emails


class Command(BaseCommand):
    help = (
        "Queue the sending of the e-mails about contributions that are due (invited, "
        "submitted, returned, approved, deadline moved, near or passed) and have not been sent "
        "before; the task worker (db_worker) sends them. Links use settings.SITE_URL. The "
        "transitions queue their own e-mails; run this every hour (the worker service does, or "
        "cron) for the deadlines that time makes due."
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
        queue_emails(base_url=base_url, days_before_deadline=days)
        self.stdout.write(_("The e-mails that are due are queued for the task worker."))
