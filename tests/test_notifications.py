"""E-mails about contributions: sent when due, never twice for the same event."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from contributions.choices import ContributionAction
from contributions.notifications import send_contribution_emails, send_due_notifications
from tests.builders import open_round
from tests.conftest import make_user, queued, run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def rh(kp4, ministry, editor_rh):
    editor_rh.email = "redaktoer@regionh.dk"
    editor_rh.save()
    round_ = open_round(kp4, 2020, timezone.localdate() + timedelta(days=30), user=ministry)
    contribution = round_.contributions.get(organisation__slug="region-hovedstaden")
    run_tasks()  # the worker sends the invitation, tested on its own below
    mail.outbox.clear()
    return contribution


def test_an_open_round_invites_each_organisation_once(kp4, ministry, editor_rh):
    editor_rh.email = "redaktoer@regionh.dk"
    editor_rh.save()
    deadline = timezone.localdate() + timedelta(days=30)
    round_ = open_round(kp4, 2020, deadline, user=ministry)
    assert send_due_notifications(base_url="https://portal.example") == 1
    (message,) = mail.outbox
    rh = round_.contributions.get(organisation__slug="region-hovedstaden")
    assert message.subject == "I bedes indberette status for Kræftplan IV 2020"
    assert f"status for {rh.items.count()} indsatser i Kræftplan IV 2020" in message.body
    assert f"Fristen er {deadline.day}. " in message.body
    assert f"https://portal.example/bidrag/{rh.pk}/" in message.body
    assert send_due_notifications() == 0


def test_a_round_whose_deadline_has_passed_sends_no_invitation(kp4, ministry, editor_rh):
    editor_rh.email = "redaktoer@regionh.dk"
    editor_rh.save()
    open_round(kp4, 2020, timezone.localdate() - timedelta(days=1), user=ministry)
    assert send_due_notifications() == 0


def test_returned_and_approved_are_told_once(rh, editor_rh, ministry):
    rh.items.update(category="on_track", wording="x")
    rh.submit(editor_rh)
    rh.return_for_changes(ministry, "Uddyb venligst")
    assert send_due_notifications(base_url="https://portal.example") == 1
    (message,) = mail.outbox
    assert message.to == ["redaktoer@regionh.dk"] and "sendt retur" in message.subject
    assert (
        "Uddyb venligst" in message.body
        and f"https://portal.example/bidrag/{rh.pk}/" in message.body
    )
    assert send_due_notifications() == 0
    rh.submit(editor_rh)
    rh.approve(ministry)
    assert send_due_notifications() == 1 and "godkendt" in mail.outbox[-1].subject
    assert len(mail.outbox) == 2


def test_a_near_deadline_is_told_once_per_deadline(rh):
    rh.round.deadline = timezone.localdate() + timedelta(days=2)
    rh.round.save()
    assert send_due_notifications() == 1 and "fristen" in mail.outbox[0].subject.lower()
    assert send_due_notifications() == 0
    rh.round.deadline = date.today() + timedelta(days=1)
    rh.round.save()
    assert send_due_notifications() == 1


def test_organisations_without_e_mail_addresses_are_skipped(rh):
    rh.round.deadline = timezone.localdate() + timedelta(days=1)
    rh.round.save()
    others = rh.round.contributions.exclude(pk=rh.pk)
    assert others.exists()
    assert send_due_notifications() == 1
    assert [m.to for m in mail.outbox] == [["redaktoer@regionh.dk"]]
    # Skipped, not marked as told: once KL has an editor with an address, KL is told.
    editor = make_user("kl-redaktoer", organisation="kl")
    editor.email = "redaktoer@kl.dk"
    editor.save()
    assert send_due_notifications() == 2, "the invitation and the near deadline"
    assert [m.to for m in mail.outbox[1:]] == [["redaktoer@kl.dk"], ["redaktoer@kl.dk"]]


def test_the_command_only_queues_the_worker_sends(rh):
    out = StringIO()
    call_command("send_contribution_emails", "--days", "40", stdout=out)
    assert "sat i kø" in out.getvalue()
    assert mail.outbox == [] and queued(send_contribution_emails) == 1
    call_command("send_contribution_emails", "--days", "40", stdout=StringIO())
    assert queued(send_contribution_emails) == 1  # a run that has not started is enough
    run_tasks()
    (message,) = mail.outbox  # the deadline in 30 days is near with --days 40
    assert "fristen" in message.subject.lower()


def test_a_transition_queues_its_email_and_the_worker_sends_it(rh, editor_rh, ministry):
    assert queued(send_contribution_emails) == 0
    ministry.email = "kontor@sum.dk"
    ministry.save()
    rh.items.update(category="on_track", wording="x")
    rh.submit(editor_rh)
    assert mail.outbox == [] and queued(send_contribution_emails) == 1
    run_tasks()
    # (The ministry, an organisation too, now has an address: its invitation goes out as well.)
    (message,) = [m for m in mail.outbox if "indsendt" in m.subject]
    assert "kontor@sum.dk" in message.to
    rh.refresh_from_db()
    rh.return_for_changes(ministry, "Ret tallene")
    run_tasks()
    assert mail.outbox[-1].to == ["redaktoer@regionh.dk"]
    assert queued(send_contribution_emails) == 0


def test_an_event_that_is_not_told_queues_nothing(rh, editor_rh):
    rh.record(ContributionAction.SAVED, editor_rh, "gemt")
    assert queued(send_contribution_emails) == 0


def test_ministry_staff_are_told_of_a_submission_once(rh, editor_rh, ministry):
    ministry.email = "kontor@sum.dk"
    ministry.save()
    inactive = make_user("tidligere", organisation="sundhedsministeriet", staff=True)
    inactive.email = "tidligere@sum.dk"
    inactive.is_active = False
    inactive.save()
    send_due_notifications()  # the ministry is invited to report on its own initiative too
    mail.outbox.clear()
    rh.items.update(category="on_track", wording="x")
    rh.submit(editor_rh)
    assert send_due_notifications() == 1
    (message,) = mail.outbox
    assert message.to == ["kontor@sum.dk"]
    assert message.subject == "Region Hovedstaden har indsendt sit bidrag til Kræftplan IV 2020"
    assert "venter på gennemgang" in message.body
    assert send_due_notifications() == 0
    rh.return_for_changes(ministry, "Uddyb")
    rh.submit(editor_rh)
    assert send_due_notifications() == 2  # returned to the editors, resubmitted to staff
    assert "rettet og indsendt igen" in mail.outbox[-1].body


def test_a_run_with_nothing_due_does_no_work_per_event(
    rh, editor_rh, ministry, django_assert_max_num_queries
):
    rh.items.update(category="on_track", wording="x")
    for _round_trip in range(3):
        rh.submit(editor_rh)
        rh.return_for_changes(ministry, "Igen")
    send_due_notifications()
    assert rh.events.count() == 7
    with django_assert_max_num_queries(7):  # told, reviewers, editors, deadline moves, events,
        # near, overdue
        assert send_due_notifications() == 0
