from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from initiatives.commands import get_plan
from reports.models import AnnualReport

ACTIONS = ("status", "open", "discard", "publish")


class Command(BaseCommand):
    help = (
        "Correct a published plan-year: 'status' lists the changes not yet published, 'open' "
        "opens a correction (the year's statuses, cases and texts may then change), 'discard' "
        "sets them back to the published version, 'publish' publishes the correction as a new "
        "version of the year's report (--note says what changed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", help=", ".join(ACTIONS))
        parser.add_argument("plan", help="The plan's slug, e.g. kraeftplan-iv.")
        parser.add_argument("year", help="The published year, e.g. 2020.")
        parser.add_argument("--note", default="", help="What the correction changed.")
        parser.add_argument("--user", default="", help="User name of the staff member.")

    def handle(self, *args, action, plan, year, note, user, **options):
        if action not in ACTIONS:
            raise CommandError(
                _("Unknown step %(action)s. Use one of: %(actions)s.")
                % {"action": action, "actions": ", ".join(ACTIONS)}
            )
        plan_obj = get_plan(plan)
        if not year.isdigit():
            raise CommandError(
                _("The year must be a number such as 2020, not %(year)s.") % {"year": year}
            )
        report = AnnualReport.objects.filter(plan=plan_obj, year=int(year)).first()
        public = report.public_year if report and report.is_published else None
        if report is None or public is None:
            raise CommandError(
                _("%(plan)s %(year)s is not published; there is nothing to correct.")
                % {"plan": plan_obj.short_name, "year": year}
            )
        staff = None
        if user:
            staff = get_user_model().objects.filter(username=user, is_staff=True).first()
            if staff is None:
                raise CommandError(_("No staff user is called %(user)s.") % {"user": user})
        try:
            with transaction.atomic():
                if action == "open":
                    public.open_correction(staff)
                elif action == "discard":
                    report.discard_correction()
                elif action == "publish":
                    if not public.correction_is_open:
                        raise ValidationError(_("No correction of this year is open."))
                    version = report.publish(user=staff, note=note)
                    self.stdout.write(
                        _("%(report)s was published as version %(number)s.")
                        % {"report": report, "number": version.number}
                    )
                    return
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        public.refresh_from_db()
        state = (
            _("A correction is open.") if public.correction_is_open else _("No correction is open.")
        )
        self.stdout.write(state)
        report.refresh_from_db()
        for line in report.correction_changes():
            self.stdout.write(f"- {line}")
