"""The ministry staff group and the demo cast used in development."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .choices import MembershipRole
from .models import Membership, Organisation

MINISTRY_GROUP = "Ministeriets medarbejdere"
EDITABLE_APPS = ["accounts", "initiatives", "budget", "targets", "contributions", "reports"]


# Ministry staff invite contributors: they create users and change them, but the admin keeps
# staff and superusers, and every privilege field, out of their reach (see PortalUserAdmin).
USER_PERMISSIONS = ["view_user", "add_user", "change_user"]
# They see failed logins (django-axes) and lift a lockout by deleting them.
LOCKOUT_PERMISSIONS = ["view_accessattempt", "delete_accessattempt"]
# They read the accessibility feedback, mark it handled and delete what is not feedback.
FEEDBACK_PERMISSIONS = ["view_feedback", "change_feedback", "delete_feedback"]


def ensure_ministry_group() -> Group:
    """Ministry staff may view, add, change and delete everything in the portal's own apps,
    manage the contributors' users, lift login lockouts and handle accessibility feedback."""
    group, _created = Group.objects.get_or_create(name=MINISTRY_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=EDITABLE_APPS)
        | Permission.objects.filter(content_type__app_label="auth", codename__in=USER_PERMISSIONS)
        | Permission.objects.filter(
            content_type__app_label="axes", codename__in=LOCKOUT_PERMISSIONS
        )
        | Permission.objects.filter(
            content_type__app_label="kraeftplan", codename__in=FEEDBACK_PERMISSIONS
        )
    )
    return group


def ensure_ministry_group_after_migrate(**kwargs: Any) -> None:
    """post_migrate: the group exists with its permissions on every database, not only where the
    demo users were created."""
    if Permission.objects.filter(content_type__app_label__in=EDITABLE_APPS).exists():
        ensure_ministry_group()


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
        # A reserved example domain: in development the e-mails show in the console.
        user.email = f"{demo.username}@example.org"
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
