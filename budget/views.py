from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from initiatives.choices import FindingTopic
from initiatives.models import Plan
from kraeftplan.charts import bar_chart
from kraeftplan.downloads import DOWNLOAD_PARAMETER, FORMATS, download, unknown_format_message
from kraeftplan.tabular import LEVEL_COLUMN

from .checks import lines_for_checks, plan_findings
from .exports import budget_table
from .models import BudgetLine, Recipient

# {group label: {year: amount}}
type MoneyByYear = defaultdict[str, defaultdict[int, Decimal | int]]


def money_by(lines: Iterable[BudgetLine], key: Callable[[BudgetLine], str]) -> MoneyByYear:
    """{group label: {year: amount}} for the top-level lines, grouped by key(line)."""
    totals: MoneyByYear = defaultdict(lambda: defaultdict(int))
    for line in lines:
        if line.parent_id is None:
            for amount in line.amounts.all():
                totals[key(line)][amount.year] += amount.amount
    return totals


class BudgetView(TemplateView):
    """The budget in the published shape, with the consistency findings next to the numbers."""

    template_name = "budget/budget_detail.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get(DOWNLOAD_PARAMETER)
        if fmt in FORMATS:
            plan = get_object_or_404(Plan, slug=kwargs["plan_slug"])
            headers, rows = budget_table(plan).for_download(LEVEL_COLUMN)
            return download(fmt, _("Budget %(plan)s") % {"plan": plan.short_name}, headers, rows)
        if fmt is not None:
            context = self.get_context_data(**kwargs, format_error=unknown_format_message(fmt))
            return self.render_to_response(context, status=400)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        plan = get_object_or_404(Plan, slug=kwargs.pop("plan_slug"))
        lines = lines_for_checks(plan)
        table = budget_table(plan, lines)
        years = sorted({a.year for line in lines for a in line.amounts.all()})
        by_section = money_by(
            lines, lambda line: line.section.title if line.section else plan.short_name
        )
        by_recipient: MoneyByYear = defaultdict(lambda: defaultdict(int))
        recipients = {line.pk: line.recipient for line in lines}
        for line in lines:
            # Count money at the level where the recipient is stated, never twice.
            parent_recipient = recipients.get(line.parent_id)
            stated_here = line.recipient != Recipient.UNSTATED and parent_recipient in (
                None,
                Recipient.UNSTATED,
            )
            unstated_leaf = (
                line.recipient == Recipient.UNSTATED
                and not line.children.all()
                and parent_recipient in (None, Recipient.UNSTATED)
            )
            if stated_here or unstated_leaf:
                for amount in line.amounts.all():
                    by_recipient[line.get_recipient_display()][amount.year] += amount.amount
        charts = {}
        if years:
            charts["section"] = bar_chart(
                "kp-budget-afsnit",
                years,
                {name: [values.get(y, 0) for y in years] for name, values in by_section.items()},
                stacked=True,
                title=_("Money per year by main element"),
                y_title=_("mio. kr."),
            )
            charts["recipient"] = bar_chart(
                "kp-budget-modtager",
                years,
                {name: [values.get(y, 0) for y in years] for name, values in by_recipient.items()},
                stacked=True,
                title=_("Money per year by recipient"),
                y_title=_("mio. kr."),
            )
        return super().get_context_data(
            plan=plan,
            table=table,
            rows=table.as_dicts(),
            findings=[f for f in plan_findings(plan, lines) if f.topic == FindingTopic.BUDGET],
            charts=charts,
            years=years,
            by_section=[
                (name, [values.get(y, 0) for y in years]) for name, values in by_section.items()
            ],
            by_recipient=[
                (name, [values.get(y, 0) for y in years]) for name, values in by_recipient.items()
            ],
            **kwargs,
        )
