from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from initiatives.commands import get_plan
from initiatives.exports import status_table
from kraeftplan.commands import add_format_argument, output


class Command(BaseCommand):
    help = (
        "Print a plan's status table for one year: initiative number and title, measure, status "
        "category and the wording as published."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="The plan's slug, e.g. kraeftplan-iv.")
        parser.add_argument("year", help="The status year, e.g. 2020.")
        add_format_argument(parser)

    def handle(self, *args, plan, year, format, **options):
        plan_obj = get_plan(plan)
        if not year.isdigit():
            raise CommandError(
                _("The year must be a number such as 2020, not %(year)s.") % {"year": year}
            )
        if message := plan_obj.follow_up_message(int(year)):
            raise CommandError(message)
        output(self, status_table(plan_obj, int(year)), format)
