from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from budget.checks import plan_findings
from initiatives.commands import get_plan
from initiatives.models import Plan


class Command(BaseCommand):
    help = (
        "List every finding: where the published budgets' totals, Heraf lines and figures stated "
        "in the text disagree with the published yearly amounts, and the disagreements the portal "
        "recorded between the sources' figures and wordings. The same list as the pages, the "
        "report, the API and the zip. Figures are never changed. With --strict the command fails "
        "when there are findings."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", nargs="?", help="Only this plan (slug); default all plans.")
        parser.add_argument("--strict", action="store_true", help="Exit with an error on findings.")

    def handle(self, *args, plan=None, strict=False, **options):
        plans = [get_plan(plan)] if plan else list(Plan.objects.order_by("start_year"))
        findings = [(each, finding) for each in plans for finding in plan_findings(each)]
        for each, finding in findings:
            self.stdout.write(
                f"{finding.code} · {each.name} · {finding.subject}: {finding.message()}"
            )
        self.stdout.write(
            _("%(count)s finding(s) in %(plans)s plan(s).")
            % {"count": len(findings), "plans": len(plans)}
        )
        if strict and findings:
            raise CommandError(_("The budgets contain differences."))
