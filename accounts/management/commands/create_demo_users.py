from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.roles import create_demo_users


class Command(BaseCommand):
    help = (
        "Create the demo users (ministry staff, an editor at Region Hovedstaden, an editor at KL "
        "and a read-only member) and print their credentials. Development only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.KRAEFTPLAN_DEMO_USERS:
            raise CommandError(_("Demo users can only be created in development."))
        self.stdout.write(_("Demo users (development only):"))
        for demo in create_demo_users():
            self.stdout.write(f"  {demo.username:<20} {demo.password:<26} {demo.description}")
