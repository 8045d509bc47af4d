"""Staff run an open round: close and reopen it, move its deadline, invite one more
organisation or take out one that has not started; the overview shows who could answer."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Organisation
from contributions.choices import ContributionAction
from contributions.models import Contribution
from contributions.notifications import send_due_notifications
from initiatives.models import Measure
from tests.builders import open_round
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(kp4, ministry, editor_rh):
    editor_rh.email = "redaktoer@regionh.dk"
    editor_rh.save()
    round_ = open_round(kp4, 2020, timezone.localdate() + timedelta(days=10), user=ministry)
    send_due_notifications()
    mail.outbox.clear()
    return round_


@pytest.fixture
def rh(round_):
    return round_.contributions.get(organisation__slug="region-hovedstaden")


def manage(client, round_, **data):
    return client.post(f"/bidrag/runder/{round_.pk}/styr/", data, follow=True)


def test_a_closed_round_takes_no_changes_until_it_is_reopened(
    client, round_, rh, ministry, editor_rh
):
    client.force_login(ministry)
    page = manage(client, round_, action="close").content.decode()
    assert "Runden er lukket." in page and "Genåbn runden" in page
    round_.refresh_from_db()
    assert round_.is_closed and round_.closed_by == ministry
    # The contributor's page meets the rule, as does the model.
    client.force_login(editor_rh)
    data = form_data(client.get(rh.get_absolute_url()))
    page = client.post(rh.get_absolute_url(), data).content.decode()
    assert "Runden Kræftplan IV 2020 er lukket" in page
    assert not rh.events.filter(action=ContributionAction.SAVED).exists()
    rh.items.update(category="on_track", wording="x")
    with pytest.raises(ValidationError, match="er lukket"):
        rh.submit(editor_rh)
    client.force_login(ministry)
    manage(client, round_, action="reopen")
    client.force_login(editor_rh)
    data = form_data(client.get(rh.get_absolute_url()))
    assert client.post(rh.get_absolute_url(), data).status_code == 302
    assert rh.events.filter(action=ContributionAction.SAVED).exists()


def test_a_round_closes_by_itself_after_its_closing_day(round_, rh, editor_rh, ministry):
    round_.closes_on = timezone.localdate() - timedelta(days=1)
    round_.save()
    rh.items.update(category="on_track", wording="x")
    with pytest.raises(ValidationError, match="er lukket"):
        rh.submit(editor_rh)
    round_.reopen(ministry)
    assert round_.closes_on is None and not round_.is_closed
    rh.submit(editor_rh)


def test_a_moved_deadline_is_told_to_those_who_have_not_submitted(
    client, round_, rh, ministry, editor_rh, settings
):
    settings.SITE_URL = "https://kraeftplan.example.dk"
    new = timezone.localdate() + timedelta(days=20)
    client.force_login(ministry)
    page = manage(client, round_, action="deadline", deadline=new.isoformat()).content.decode()
    assert "Fristen er flyttet" in page
    round_.refresh_from_db()
    assert round_.deadline == new
    assert send_due_notifications() >= 1
    (message,) = [m for m in mail.outbox if m.to == ["redaktoer@regionh.dk"]]
    assert message.subject == "Fristen for Kræftplan IV 2020 er ændret"
    assert f"https://kraeftplan.example.dk/bidrag/{rh.pk}/" in message.body
    mail.outbox.clear()
    assert send_due_notifications() == 0
    # A passed day is refused, in Danish, and changes nothing.
    page = manage(client, round_, action="deadline", deadline="2020-01-01").content.decode()
    assert "Fristen er overskredet" in page
    round_.refresh_from_db()
    assert round_.deadline == new


def test_after_the_deadline_those_who_have_not_submitted_are_reminded_once(round_, rh, editor_rh):
    later = round_.deadline + timedelta(days=1)
    assert send_due_notifications(today=later) >= 1
    (message,) = [m for m in mail.outbox if m.to == ["redaktoer@regionh.dk"]]
    assert message.subject == "Fristen for Kræftplan IV 2020 er overskredet"
    mail.outbox.clear()
    assert send_due_notifications(today=later) == 0
    assert rh.notifications.filter(key__startswith="overdue:").exists()


def test_staff_invite_one_more_organisation_and_take_out_one_that_has_not_started(
    client, round_, rh, ministry, editor_rh
):
    client.force_login(ministry)
    newcomer = Organisation.objects.exclude(contributions__round=round_).order_by("name").first()
    measures = list(Measure.objects.filter(initiative__plan=round_.plan)[:2])
    page = manage(
        client, round_, action="add", organisation=newcomer.pk, measures=[m.pk for m in measures]
    ).content.decode()
    assert f"{newcomer.name} er inviteret til runden." in page
    added = Contribution.objects.get(round=round_, organisation=newcomer)
    assert {i.measure_id for i in added.items.all()} == {m.pk for m in measures}
    assert added.events.filter(action=ContributionAction.OPENED).exists()
    # Twice is refused.
    page = manage(client, round_, action="add", organisation=newcomer.pk).content.decode()
    assert "Marker en gyldig valgmulighed" in page  # no longer among those to invite
    with pytest.raises(ValidationError, match="er allerede med i runden"):
        round_.add_organisation(newcomer, [measures[0].pk], ministry)
    # One that has started stays; one that has not can be taken out.
    client.force_login(editor_rh)
    data = form_data(client.get(rh.get_absolute_url()))
    client.post(rh.get_absolute_url(), data)
    client.force_login(ministry)
    page = manage(client, round_, action="remove", contribution=rh.pk).content.decode()
    assert "Region Hovedstaden er gået i gang med sit bidrag og kan ikke tages ud." in page
    assert Contribution.objects.filter(pk=rh.pk).exists()
    page = manage(client, round_, action="remove", contribution=added.pk).content.decode()
    assert f"{newcomer.name} er taget ud af runden." in page
    assert not Contribution.objects.filter(pk=added.pk).exists()


def test_the_overview_flags_who_could_not_answer_and_who_has_started(
    client, round_, rh, ministry, editor_rh
):
    client.force_login(editor_rh)
    client.post(rh.get_absolute_url(), form_data(client.get(rh.get_absolute_url())))
    client.force_login(ministry)
    page = client.get(f"/bidrag/runder/{round_.pk}/").content.decode()
    without = [
        c.organisation.name
        for c in round_.contributions.all()
        if not c.organisation.memberships.filter(role="editor", user__is_active=True).exists()
    ]
    assert without and "Region Hovedstaden" not in without
    assert "har ingen, der kan svare" in page
    for name in without:
        assert name in page.split("har ingen, der kan svare")[1].split("</div>")[0]
    row = page.split(">Region Hovedstaden</a>")[1].split("</tr>")[0]
    assert "<td>ja</td>" in row  # started
    csv = client.get(f"/bidrag/runder/{round_.pk}/?hent=csv").content.decode("utf-8-sig")
    assert "Påbegyndt" in csv and "Brugere, der kan svare" in csv


def test_an_excel_upload_to_a_round_closed_meanwhile_applies_nothing(
    client, round_, rh, editor_rh, ministry
):
    from tests.test_excel import filled_rows, upload, workbook

    client.force_login(editor_rh)
    assert upload(client, rh, workbook(filled_rows(rh))).status_code == 200
    round_.close(ministry)
    page = client.post(f"/bidrag/{rh.pk}/excel/anvend/", follow=True).content.decode()
    assert "Runden Kræftplan IV 2020 er lukket" in page
    assert not rh.items.exclude(category="").exists()


def test_a_closed_round_s_deadline_stays_and_several_moves_are_told_once(
    client, round_, rh, ministry
):
    first = timezone.localdate() + timedelta(days=20)
    round_.change_deadline(first, ministry)
    round_.change_deadline(first + timedelta(days=1), ministry)
    send_due_notifications()
    told = [m for m in mail.outbox if m.to == ["redaktoer@regionh.dk"]]
    assert len(told) == 1 and "er ændret" in told[0].subject
    round_.close(ministry)
    with pytest.raises(ValidationError, match="er lukket"):
        round_.change_deadline(first + timedelta(days=5), ministry)
    client.force_login(ministry)
    for bad in ["abc", "²", "٣"]:  # the last two were a 500: digits to isdigit(), not to int()
        response = client.post(
            f"/bidrag/runder/{round_.pk}/styr/", {"action": "remove", "contribution": bad}
        )
        assert response.status_code == 404


def test_a_contribution_reports_only_on_its_own_plan_s_measures(rh):
    from contributions.models import ContributionItem

    other = Measure.objects.exclude(initiative__plan=rh.round.plan).first()
    with pytest.raises(ValidationError, match="kun indberettes på planens egne indsatser"):
        ContributionItem(contribution=rh, measure=other).full_clean()


def test_a_closed_round_shows_no_form_and_refuses_an_upload(
    client, round_, rh, editor_rh, ministry
):
    from tests.test_excel import filled_rows, upload, workbook

    round_.close(ministry)
    client.force_login(editor_rh)
    page = client.get(rh.get_absolute_url()).content.decode()
    assert "Runden Kræftplan IV 2020 er lukket" in page and "Gem kladde" not in page
    response = upload(client, rh, workbook(filled_rows(rh)))
    assert "er lukket" in response.content.decode()
    assert "Anvend alle rækker" not in response.content.decode()


def test_staff_enter_a_contribution_on_behalf_of_an_organisation(client, round_, ministry):
    kl = round_.contributions.get(organisation__slug="kl")  # KL has no user who could answer
    client.force_login(ministry)
    page = client.get(kl.get_absolute_url()).content.decode()
    assert "Udfyld bidraget på vegne af KL" in page and "Gem kladde" not in page
    url = kl.get_absolute_url() + "?paa-vegne=1"
    data = form_data(client.get(url))
    assert data["paa-vegne"] == "1"
    for key in list(data):
        if key.endswith("-category"):
            data[key] = "on_track"
        if key.endswith("-wording"):
            data[key] = "Oplyst til ministeriet i telefonen"
    data["indsend"] = "1"
    assert client.post(kl.get_absolute_url(), data).status_code == 302
    kl.refresh_from_db()
    assert kl.state == "submitted"
    saved = kl.events.get(action=ContributionAction.SAVED_ON_BEHALF)
    assert saved.actor == ministry and saved.comment == "På vegne af KL"
    history = client.get(kl.get_absolute_url()).content.decode()
    assert "Gemt af ministeriet på organisationens vegne" in history
    # Without staff rights, or in a closed round, there is no entering on behalf.
    round_.close(ministry)
    assert "Gem kladde" not in client.get(url).content.decode()


def test_contributors_cannot_enter_on_behalf_of_another_organisation(client, round_, editor_rh):
    kl = round_.contributions.get(organisation__slug="kl")
    client.force_login(editor_rh)
    data = {"paa-vegne": "1", "indsend": "1"}
    assert client.post(kl.get_absolute_url(), data).status_code == 404
