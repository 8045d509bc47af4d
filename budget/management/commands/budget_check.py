from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from budget.checks import check_plan
from initiatives.commands import get_plan
from initiatives.models import Plan


class Command(BaseCommand):
    help = (
        "List every consistency finding in the budgets: stated totals, Heraf lines and figures "
        "stated in the text that disagree with the published yearly amounts. Figures are never "
        "changed. With --strict the command fails when there are findings."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", nargs="?", help="Only this plan (slug); default all plans.")
        parser.add_argument("--strict", action="store_true", help="Exit with an error on findings.")

    def handle(self, *args, plan=None, strict=False, **options):
        plans = [get_plan(plan)] if plan else list(Plan.objects.order_by("start_year"))
        findings = [finding for each in plans for finding in check_plan(each)]
        for finding in findings:
            self.stdout.write(f"{finding.plan} · {finding.subject}: {finding.message()}")
        self.stdout.write(
            _("%(count)s finding(s) in %(plans)s plan(s).")
            % {"count": len(findings), "plans": len(plans)}
        )
        if strict and findings:
            raise CommandError(_("The budgets contain differences."))
