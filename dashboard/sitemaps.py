"""The dashboard's pages in the sitemaps (see kraeftplan.sitemaps): one page per plan and per
initiative, each listed with one query."""

from django.db.models import QuerySet

from initiatives.models import Initiative, Plan
from kraeftplan.sitemaps import PortalSitemap

PAGES = ["dashboard:home", "dashboard:plan_list"]


class PlanSitemap(PortalSitemap[Plan]):
    def items(self) -> QuerySet[Plan]:
        return Plan.objects.only("slug").order_by("start_year", "pk")


class InitiativeSitemap(PortalSitemap[Initiative]):
    def items(self) -> QuerySet[Initiative]:
        return (
            Initiative.objects.select_related("plan")
            .only("code", "plan__slug")
            .order_by("plan__start_year", "plan", "kind", "position", "pk")
        )


SITEMAPS = {"planer": PlanSitemap, "initiativer": InitiativeSitemap}
