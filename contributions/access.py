"""One access helper per object kind for logged-in contributors (see STYLE.md, rule 6)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Contribution, ReportingRound


def is_editor_of(user, contribution) -> bool:
    """Whether the user writes for the contribution's organisation."""
    membership = getattr(user, "membership", None)
    return bool(
        membership
        and membership.can_edit
        and membership.organisation_id == contribution.organisation_id
    )


def get_contribution(user, pk, *, edit=False, review=False):
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


def require_staff(user):
    """Rounds are ministry staff's work: anyone else gets 403."""
    if not user.is_staff:
        raise PermissionDenied


def get_round(user, pk):
    """A reporting round, for ministry staff only (see require_staff)."""
    require_staff(user)
    return get_object_or_404(ReportingRound.objects.select_related("plan"), pk=pk)
