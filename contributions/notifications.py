"""E-mails about contributions. To the organisation's editors: invited, returned, approved,
deadline moved, deadline near, deadline passed without a submission; to ministry staff:
submitted. Each event is told once. Links are absolute, from settings.SITE_URL.

The worker sends them (send_contribution_emails, a task): an event that is told by e-mail
queues the task when it is recorded; the deadline reminders, which time makes due, are queued by
the `send_contribution_emails` command that the worker service runs every hour."""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.tasks import TaskResultStatus, task
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult, get_date_max

from accounts.choices import MembershipRole
from accounts.models import Membership

from .choices import ContributionAction, ContributionState
from .models import Contribution, ContributionEvent, Notification

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def _editors() -> dict[int, list[str]]:
    """The e-mail addresses of each organisation's active editors, by organisation id."""
    editors: dict[int, list[str]] = {}
    for organisation_id, email in (
        Membership.objects.filter(role=MembershipRole.EDITOR, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("organisation_id", "user__email")
    ):
        editors.setdefault(organisation_id, []).append(email)
    return editors


def _reviewers() -> list[str]:
    """The e-mail addresses of the active ministry staff, who review the contributions."""
    return sorted(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _send_once(
    contribution: Contribution,
    key: str,
    subject: str,
    body: str,
    base_url: str,
    recipients: Sequence[str],
) -> bool:
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


class _MeasureCount(TypedDict):
    measures: int  # how many measures the contribution reports on


def _event_message(event: "WithAnnotations[ContributionEvent, _MeasureCount]") -> tuple[str, str]:
    """Subject and body of the e-mail about a contribution event."""
    contribution = event.contribution
    names = {"organisation": contribution.organisation, "round": contribution.round}
    if event.action == ContributionAction.OPENED:
        return (
            _("You are asked to report status for %(round)s") % names,
            ngettext(
                "The ministry asks %(organisation)s for the status of %(n)s measure in "
                "%(round)s. The deadline is %(deadline)s.",
                "The ministry asks %(organisation)s for the status of %(n)s measures in "
                "%(round)s. The deadline is %(deadline)s.",
                event.measures,
            )
            % {
                **names,
                "n": event.measures,
                "deadline": date_format(contribution.round.deadline, "j. F Y"),
            },
        )
    if event.action == ContributionAction.SUBMITTED:
        return (
            _("%(organisation)s has submitted its contribution to %(round)s") % names,
            _("The contribution awaits review."),
        )
    if event.action == ContributionAction.RESUBMITTED:
        return (
            _("%(organisation)s has submitted its contribution to %(round)s") % names,
            _("The contribution was corrected and submitted again. It awaits review."),
        )
    if event.action == ContributionAction.DEADLINE_CHANGED:
        return (
            _("The deadline for %(round)s has changed") % names,
            _("The ministry has moved the deadline for the contribution to %(deadline)s.")
            % {"deadline": date_format(contribution.round.deadline, "j. F Y")},
        )
    if event.action == ContributionAction.RETURNED:
        return (
            _("Your contribution %(round)s was returned") % names,
            _("The ministry has returned the contribution with this comment:\n\n%(comment)s")
            % {"comment": event.comment},
        )
    return (
        _("Your contribution %(round)s was approved") % names,
        _("The ministry has approved the contribution. It is now locked."),
    )


# The events of a contribution that are told by e-mail.
TOLD = [
    ContributionAction.OPENED,
    ContributionAction.SUBMITTED,
    ContributionAction.RESUBMITTED,
    ContributionAction.RETURNED,
    ContributionAction.APPROVED,
    ContributionAction.DEADLINE_CHANGED,
]


@task
def send_contribution_emails(base_url: str | None = None, days_before_deadline: int = 3) -> int:
    """Send every contribution e-mail that is due (see send_due_notifications)."""
    return send_due_notifications(base_url=base_url, days_before_deadline=days_before_deadline)


def queue_emails(base_url: str | None = None, days_before_deadline: int = 3) -> None:
    """Queue the sending, unless a run that has not started yet is queued with the same
    arguments: it sends everything due when it runs. Written in the caller's transaction, so
    the worker sees the task only with the event that made it due."""
    waiting = DBTaskResult.objects.filter(
        task_path=send_contribution_emails.module_path,
        status=TaskResultStatus.READY,
        args_kwargs={
            "args": [],
            "kwargs": {"base_url": base_url, "days_before_deadline": days_before_deadline},
        },
    ).filter(Q(run_after=get_date_max()) | Q(run_after__lte=timezone.now()))
    if not waiting.exists():
        send_contribution_emails.enqueue(
            base_url=base_url, days_before_deadline=days_before_deadline
        )


def queue_emails_for_event(
    sender: type[ContributionEvent], instance: ContributionEvent, created: bool, **kwargs: object
) -> None:
    """post_save of a ContributionEvent: an event that is told by e-mail queues the sending."""
    if created and instance.action in TOLD:
        queue_emails()


def send_due_notifications(
    base_url: str | None = None, days_before_deadline: int = 3, today: date | None = None
) -> int:
    """Send every e-mail that is due and not sent before; returns how many were sent."""
    base_url = (settings.SITE_URL if base_url is None else base_url).rstrip("/")
    today = today or timezone.localdate()
    sent = 0
    with translation.override("da"):
        events = (
            ContributionEvent.objects.filter(action__in=TOLD)
            .exclude(action=ContributionAction.OPENED, contribution__round__deadline__lt=today)
            # A moved deadline is told to those who still have the contribution, before it.
            .exclude(
                Q(action=ContributionAction.DEADLINE_CHANGED)
                & (
                    Q(contribution__round__deadline__lt=today)
                    | ~Q(
                        contribution__state__in=[
                            ContributionState.DRAFT,
                            ContributionState.RETURNED,
                        ]
                    )
                )
            )
            .select_related("contribution__round__plan", "contribution__organisation")
            .annotate(measures=Count("contribution__items"))
            # Meta.ordering does not apply to a grouped query: tell the events in their order.
            .order_by("at", "pk")
        )
        # What has been told already is skipped before any work: the command runs often and
        # the events only grow.
        told = set(Notification.objects.values_list("contribution_id", "key"))
        reviewers, editors = _reviewers(), _editors()
        # Of several moves of a deadline, only the last is told (it names the deadline now).
        last_move = {
            contribution_id: pk
            for contribution_id, pk in ContributionEvent.objects.filter(
                action=ContributionAction.DEADLINE_CHANGED
            )
            .order_by("at", "pk")
            .values_list("contribution_id", "pk")
        }
        for event in events:
            contribution = event.contribution
            key = f"{event.action}:{event.pk}"
            if (contribution.pk, key) in told:
                continue
            if (
                event.action == ContributionAction.DEADLINE_CHANGED
                and last_move.get(contribution.pk) != event.pk
            ):
                continue
            subject, body = _event_message(event)
            recipients = (
                reviewers
                if event.action in (ContributionAction.SUBMITTED, ContributionAction.RESUBMITTED)
                else editors.get(contribution.organisation_id, [])
            )
            sent += _send_once(contribution, key, subject, body, base_url, recipients)
        soon = Contribution.objects.filter(
            state__in=[ContributionState.DRAFT, ContributionState.RETURNED],
            round__deadline__gte=today,
            round__deadline__lte=today + timedelta(days=days_before_deadline),
        ).select_related("round__plan", "organisation")
        for contribution in soon:
            key = f"deadline:{contribution.round.deadline}"
            if (contribution.pk, key) in told:
                continue
            subject = _("The deadline for %(round)s is near") % {"round": contribution.round}
            body = _("Please submit the contribution by %(deadline)s.") % {
                "deadline": date_format(contribution.round.deadline, "j. F Y")
            }
            recipients = editors.get(contribution.organisation_id, [])
            sent += _send_once(contribution, key, subject, body, base_url, recipients)
        overdue = Contribution.objects.filter(
            state__in=[ContributionState.DRAFT, ContributionState.RETURNED],
            round__deadline__lt=today,
            round__closed_at__isnull=True,
            # A round opened after its deadline (e.g. entered afterwards) reminds nobody.
            round__opened_at__date__lte=F("round__deadline"),
        ).select_related("round__plan", "organisation")
        for contribution in overdue:
            key = f"overdue:{contribution.round.deadline}"
            if (contribution.pk, key) in told or contribution.round.is_closed:
                continue
            subject = _("The deadline for %(round)s has passed") % {"round": contribution.round}
            body = _(
                "The deadline was %(deadline)s, and the contribution has not been submitted. "
                "Please submit it as soon as possible, or tell the ministry when it will come."
            ) % {"deadline": date_format(contribution.round.deadline, "j. F Y")}
            recipients = editors.get(contribution.organisation_id, [])
            sent += _send_once(contribution, key, subject, body, base_url, recipients)
    return sent
