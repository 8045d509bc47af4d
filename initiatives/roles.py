"""The ministry staff group and the demo cast used in development."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .choices import MembershipRole
from .models import Membership, Organisation

MINISTRY_GROUP = "Ministeriets medarbejdere"
EDITABLE_APPS = ["initiatives", "budget", "targets", "reports"]


def ensure_ministry_group() -> Group:
    """Ministry staff may view, add, change and delete everything in the portal's own apps."""
    group, _created = Group.objects.get_or_create(name=MINISTRY_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITABLE_APPS))
    return group


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    organisation: str
    role: str
    staff: bool
    description: object  # a lazily translated string


DEMO_USERS = [
    DemoUser(
        "ministeriet",
        "demo-ministeriet",
        "sundhedsministeriet",
        MembershipRole.EDITOR,
        True,
        _("Ministry staff: the admin, every plan, budget and report"),
    ),
    DemoUser(
        "region-hovedstaden",
        "demo-region-hovedstaden",
        "region-hovedstaden",
        MembershipRole.EDITOR,
        False,
        _("Editor at Region Hovedstaden"),
    ),
    DemoUser("kl", "demo-kl", "kl", MembershipRole.EDITOR, False, _("Editor at KL")),
    DemoUser(
        "laeser",
        "demo-laeser",
        "region-hovedstaden",
        MembershipRole.READER,
        False,
        _("Read-only member at Region Hovedstaden"),
    ),
]


@transaction.atomic
def create_demo_users() -> list[DemoUser]:
    """Create (or reset) the demo cast; requires the organisations from the seeds."""
    group = ensure_ministry_group()
    users = get_user_model()
    for demo in DEMO_USERS:
        user, _created = users.objects.get_or_create(username=demo.username)
        user.is_staff = demo.staff
        user.set_password(demo.password)
        user.save()
        if demo.staff:
            user.groups.add(group)
        Membership.objects.update_or_create(
            user=user,
            defaults={
                "organisation": Organisation.objects.get(slug=demo.organisation),
                "role": demo.role,
            },
        )
    return DEMO_USERS
