from django.core.management.base import BaseCommand

from budget.exports import budget_table
from initiatives.commands import get_plan
from kraeftplan.commands import add_format_argument, output


class Command(BaseCommand):
    help = (
        "Print a plan's budget in its published shape: lines and Heraf lines, each year, the "
        "stated total (I alt), the computed total, the permanent amount and any differences."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="The plan's slug, e.g. kraeftplan-iv.")
        add_format_argument(parser)

    def handle(self, *args, plan, format, **options):
        output(self, budget_table(get_plan(plan)), format)
