"""The targets' pages in the sitemaps (see kraeftplan.sitemaps): the list and each target."""

from kraeftplan.sitemaps import PortalSitemap

from .models import NationalTarget

PAGES = ["targets:target_list"]


class TargetSitemap(PortalSitemap[NationalTarget]):
    def items(self):
        return NationalTarget.objects.only("pk").order_by("plan__start_year", "number", "pk")


SITEMAPS = {"maal": TargetSitemap}
