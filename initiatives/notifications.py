"""E-mails about contributions. To the organisation's editors: invited, returned, approved,
deadline near; to ministry staff: submitted. Each event is told once."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .choices import ContributionAction, ContributionState, MembershipRole
from .models import Contribution, ContributionEvent, Membership, Notification


def _editors(contribution) -> list[str]:
    """The e-mail addresses of the contribution's organisation's active editors."""
    return sorted(
        Membership.objects.filter(
            organisation=contribution.organisation,
            role=MembershipRole.EDITOR,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def _reviewers() -> list[str]:
    """The e-mail addresses of the active ministry staff, who review the contributions."""
    return sorted(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _send_once(contribution, key, subject, body, base_url, recipients) -> bool:
    if not recipients:
        return False
    try:
        with transaction.atomic():
            Notification.objects.create(
                contribution=contribution, key=key, recipients=", ".join(recipients)
            )
            send_mail(
                subject, f"{body}\n\n{base_url}{contribution.get_absolute_url()}", None, recipients
            )
    except IntegrityError:
        return False  # already told
    return True


def send_due_notifications(base_url: str = "", days_before_deadline: int = 3, today=None) -> int:
    """Send every e-mail that is due and not sent before; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    with translation.override("da"):
        events = (
            ContributionEvent.objects.filter(
                action__in=[
                    ContributionAction.OPENED,
                    ContributionAction.SUBMITTED,
                    ContributionAction.RESUBMITTED,
                    ContributionAction.RETURNED,
                    ContributionAction.APPROVED,
                ]
            )
            .exclude(action=ContributionAction.OPENED, contribution__round__deadline__lt=today)
            .select_related("contribution__round__plan", "contribution__organisation")
            .annotate(measures=Count("contribution__items"))
        )
        reviewers = _reviewers()
        for event in events:
            contribution = event.contribution
            recipients = _editors(contribution)
            if event.action in (ContributionAction.SUBMITTED, ContributionAction.RESUBMITTED):
                recipients = reviewers
                subject = _("%(organisation)s has submitted its contribution to %(round)s") % {
                    "organisation": contribution.organisation,
                    "round": contribution.round,
                }
                body = (
                    _("The contribution was corrected and submitted again. It awaits review.")
                    if event.action == ContributionAction.RESUBMITTED
                    else _("The contribution awaits review.")
                )
            elif event.action == ContributionAction.OPENED:
                subject = _("You are asked to report status for %(round)s") % {
                    "round": contribution.round
                }
                body = _(
                    "The ministry asks %(organisation)s for the status of %(n)s measures in "
                    "%(round)s. The deadline is %(deadline)s."
                ) % {
                    "organisation": contribution.organisation,
                    "n": event.measures,
                    "round": contribution.round,
                    "deadline": date_format(contribution.round.deadline, "j. F Y"),
                }
            elif event.action == ContributionAction.RETURNED:
                subject = _("Your contribution %(round)s was returned") % {
                    "round": contribution.round
                }
                body = _(
                    "The ministry has returned the contribution with this comment:\n\n%(comment)s"
                ) % {"comment": event.comment}
            else:
                subject = _("Your contribution %(round)s was approved") % {
                    "round": contribution.round
                }
                body = _("The ministry has approved the contribution. It is now locked.")
            sent += _send_once(
                contribution, f"{event.action}:{event.pk}", subject, body, base_url, recipients
            )
        soon = Contribution.objects.filter(
            state__in=[ContributionState.DRAFT, ContributionState.RETURNED],
            round__deadline__gte=today,
            round__deadline__lte=today + timedelta(days=days_before_deadline),
        ).select_related("round__plan", "organisation")
        for contribution in soon:
            subject = _("The deadline for %(round)s is near") % {"round": contribution.round}
            body = _("Please submit the contribution by %(deadline)s.") % {
                "deadline": date_format(contribution.round.deadline, "j. F Y")
            }
            sent += _send_once(
                contribution,
                f"deadline:{contribution.round.deadline}",
                subject,
                body,
                base_url,
                _editors(contribution),
            )
    return sent
