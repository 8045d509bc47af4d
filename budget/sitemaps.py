"""The budget pages in the sitemaps (see kraeftplan.sitemaps): one per plan with a budget."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from initiatives.models import Plan
from kraeftplan.sitemaps import PortalSitemap

from .models import BudgetLine


class BudgetSitemap(PortalSitemap[Plan]):
    def items(self):
        return (
            Plan.objects.filter(Exists(BudgetLine.objects.filter(plan=OuterRef("pk"))))
            .only("slug")
            .order_by("start_year", "pk")
        )

    def location(self, item: Plan) -> str:
        return reverse("budget:budget_detail", kwargs={"plan_slug": item.slug})


SITEMAPS = {"budget": BudgetSitemap}
