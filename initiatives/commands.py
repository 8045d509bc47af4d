"""What the management commands of several apps need to find a plan."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from .models import Plan


def get_plan(slug: str) -> Plan:
    """The plan with the slug, or a CommandError that lists the known ones."""
    try:
        return Plan.objects.get(slug=slug)
    except Plan.DoesNotExist:
        known = ", ".join(Plan.objects.order_by("start_year").values_list("slug", flat=True))
        raise CommandError(
            _("Unknown plan %(slug)s. Known plans: %(known)s.") % {"slug": slug, "known": known}
        ) from None
