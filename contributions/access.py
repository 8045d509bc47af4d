"""One access helper per object kind for logged-in contributors (see STYLE.md, rule 6)."""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Contribution, ReportingRound

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def is_editor_of(user: "User", contribution: Contribution) -> bool:
    """Whether the user writes for the contribution's organisation."""
    membership = getattr(user, "membership", None)
    return bool(
        membership
        and membership.can_edit
        and membership.organisation_id == contribution.organisation_id
    )


def get_contribution(
    user: "User", pk: int, *, edit: bool = False, review: bool = False
) -> Contribution:
    """The contribution if the user may see it: another organisation's is a 404.

    edit: the user must be an editor of the contribution's organisation (read-only members and
    ministry staff get 403). review: the user must be ministry staff (others get 403).
    """
    contribution = get_object_or_404(
        Contribution.objects.visible_to(user).select_related("round__plan", "organisation"), pk=pk
    )
    if edit and not is_editor_of(user, contribution):
        raise PermissionDenied
    if review and not user.is_staff:
        raise PermissionDenied
    return contribution


def require_staff(user: "User") -> None:
    """Rounds are ministry staff's work: anyone else gets 403."""
    if not user.is_staff:
        raise PermissionDenied


def get_round(user: "User", pk: int) -> ReportingRound:
    """A reporting round, for ministry staff only (see require_staff)."""
    require_staff(user)
    return get_object_or_404(ReportingRound.objects.select_related("plan"), pk=pk)
