"""A published year stays as published: its statuses, cases, texts and report change only
through a correction; the rule holds in the model, the admin (forms and history revert), a
management command and the contributor views, and the public sees the published version."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from contributions.models import ReportingRound
from initiatives.models import Case, MeasureStatus, PublicYear, PublishedStatus, StatusText
from reports.models import AnnualReport
from tests.forms import form_data

pytestmark = pytest.mark.django_db

FIXED = "Kræftplan IV 2020 er offentliggjort og forbliver, som det blev offentliggjort."


@pytest.fixture
def status():
    return MeasureStatus.objects.get(measure__title="Kræftpatientoverblik (KPO)", year=2020)


@pytest.fixture
def public(kp4):
    return PublicYear.objects.get(plan=kp4, year=2020)


def test_the_model_refuses_every_change_to_a_published_year(status, kp4):
    status.wording = "Ændret"
    for write in (status.save, status.delete, status.full_clean):
        with pytest.raises(ValidationError, match=FIXED):
            write()
    case = Case.objects.filter(plan=kp4, year=2020).first()
    case.title = "Ny titel"
    with pytest.raises(ValidationError, match=FIXED):
        case.save()
    text = StatusText.objects.filter(initiative__plan=kp4, year=2020).first()
    with pytest.raises(ValidationError, match=FIXED):
        text.delete()
    with pytest.raises(ValidationError, match=FIXED):
        Case.objects.create(
            initiative=case.initiative, label="Case 99", year=2020, title="x", text="x"
        )
    report = AnnualReport.objects.get(plan=kp4, year=2020)
    report.title = "En anden titel"
    with pytest.raises(ValidationError, match=FIXED):
        report.save()
    # Moving a status out of the published year is a change to that year too.
    kp4.follow_up_until = 2021
    kp4.save()
    status.refresh_from_db()
    status.year = 2021
    with pytest.raises(ValidationError, match=FIXED):
        status.save()


def test_the_admin_shows_the_rule_and_saves_nothing(client, ministry, status):
    client.force_login(ministry)
    url = reverse("admin:initiatives_measure_change", args=[status.measure_id])
    data = form_data(client.get(url), "measure_form")
    field = next(k for k, v in data.items() if k.endswith("-wording") and v == status.wording)
    data[field] = "Ændret i administrationen"
    page = client.post(url, data).content.decode()
    assert FIXED in page
    status.refresh_from_db()
    assert status.wording != "Ændret i administrationen"
    # Saving the measure itself, with its published status untouched, is still possible.
    data = form_data(client.get(url), "measure_form")
    data["economy"] = "Ændret økonomi"
    assert client.post(url, data).status_code == 302


def test_the_admin_s_history_revert_meets_the_rule(client, ministry, status, public):
    before = status.wording
    public.open_correction(ministry)
    status.wording = "Rettet ordlyd"
    status.save()
    AnnualReport.objects.get(plan=status.measure.initiative.plan, year=2020).publish(
        user=ministry, note="Ordlyd rettet"
    )
    first = status.history.order_by("history_date").first()
    assert first.wording == before
    client.force_login(ministry)
    url = reverse("admin:initiatives_measurestatus_simple_history", args=[status.pk, first.pk])
    data = form_data(client.get(url), "measurestatus_form")
    page = client.post(url, data).content.decode()
    assert FIXED in page
    status.refresh_from_db()
    assert status.wording == "Rettet ordlyd"


def test_a_command_corrects_a_year_step_by_step(status, public, ministry):
    out = StringIO()
    with pytest.raises(CommandError, match="Ingen rettelse af dette år er åben"):
        call_command("correction", "publish", "kraeftplan-iv", "2020", note="x", stdout=out)
    call_command("correction", "open", "kraeftplan-iv", "2020", user=ministry.username, stdout=out)
    status.wording = "Rettet via kommando"
    status.save()
    out = StringIO()
    call_command("correction", "status", "kraeftplan-iv", "2020", stdout=out)
    assert "En rettelse er åben." in out.getvalue()
    assert f"Ændret: status 2020 for {status.measure}" in out.getvalue()
    assert PublishedStatus.objects.get(pk=status.pk).wording != "Rettet via kommando"
    with pytest.raises(CommandError, match="En rettelse skal beskrive"):
        call_command("correction", "publish", "kraeftplan-iv", "2020", stdout=out)
    call_command("correction", "publish", "kraeftplan-iv", "2020", note="Ordlyd", stdout=out)
    assert PublishedStatus.objects.get(pk=status.pk).wording == "Rettet via kommando"
    with pytest.raises(CommandError, match="ikke offentliggjort"):
        call_command("correction", "open", "kraeftplan-v", "2024", stdout=out)
    with pytest.raises(CommandError, match="Ukendt trin"):
        call_command("correction", "rette", "kraeftplan-iv", "2020", stdout=out)


def test_views_meet_the_rule_rounds_consolidation_and_cases(client, kp4, ministry):
    with pytest.raises(ValidationError, match=FIXED):
        ReportingRound.open(kp4, 2020, timezone.localdate() + timedelta(days=9))
    client.force_login(ministry)
    data = form_data(client.get("/bidrag/runder/ny/?plan=kraeftplan-iv"), "aabn-runde")
    data["year"], data["deadline"] = "2020", (timezone.localdate() + timedelta(days=9)).isoformat()
    page = client.post("/bidrag/runder/ny/?plan=kraeftplan-iv", data).content.decode()
    assert FIXED in page
    assert not ReportingRound.objects.exists()


def test_a_round_inside_a_correction_does_not_reach_the_public_until_published(
    client, kp4, ministry, public, status
):
    public.open_correction(ministry)
    round_ = ReportingRound.open(kp4, 2020, timezone.localdate() + timedelta(days=9))
    round_.consolidate(
        status.measure,
        user=ministry,
        category="completed",
        wording="Afsluttet (rettelse)",
        narrative="",
        seen=status.revision,
    )
    api = client.get("/api/v1/status/", {"aar": 2020, "limit": 1000}).content.decode()
    page = client.get(status.measure.initiative.get_absolute_url()).content.decode()
    assert "Afsluttet (rettelse)" not in api and "Afsluttet (rettelse)" not in page
    AnnualReport.objects.get(plan=kp4, year=2020).publish(user=ministry, note="KPO afsluttet")
    api = client.get("/api/v1/status/", {"aar": 2020, "limit": 1000}).content.decode()
    assert "Afsluttet (rettelse)" in api


def test_the_consolidation_page_says_when_the_year_is_fixed_and_saves_nothing(
    client, kp4, ministry, public, status
):
    public.open_correction(ministry)
    round_ = ReportingRound.open(kp4, 2020, timezone.localdate() + timedelta(days=9))
    client.force_login(ministry)
    url = f"/bidrag/runder/{round_.pk}/konsolider/"
    assert "en rettelse er åben" in client.get(url).content.decode()
    public.discard_correction()  # the year is fixed again, the round still there
    page = client.get(url).content.decode()
    assert "Året er offentliggjort og ligger fast" in page
    data = form_data(client.get(url), f"konsolider-{status.measure_id}") | {
        f"m{status.measure_id}-category": "completed",
        f"m{status.measure_id}-wording": "Skulle ikke gemmes",
    }
    response = client.post(url, data)
    assert response.status_code == 409 and FIXED in response.content.decode()
    status.refresh_from_db()
    assert status.wording != "Skulle ikke gemmes"


def test_a_correction_is_published_at_once_and_the_year_never_leaves_the_pages(
    client, kp4, ministry, public, status
):
    report = AnnualReport.objects.get(plan=kp4, year=2020)
    public.open_correction(ministry)
    with pytest.raises(ValidationError, match="En rettelse offentliggøres med det samme"):
        report.publish(user=ministry, note="x", embargo_until=timezone.now() + timedelta(days=9))
    assert client.get("/rapporter/kraeftplan-iv/2020/").status_code == 200
    before = report.published_at
    report.publish(user=ministry, note="Rettet")
    report.refresh_from_db()
    assert report.published_at == before  # the year has been public since then
    assert client.get("/api/v1/status/", {"aar": 2020}).json()["count"] == 25


def test_the_report_s_own_texts_are_part_of_the_correction(kp4, ministry, public):
    report = AnnualReport.objects.get(plan=kp4, year=2020)
    before = report.introduction
    public.open_correction(ministry)
    report.introduction = "En ny indledning."
    report.save()
    assert report.correction_changes() == ["Ændret: rapportens indledning"]
    report.discard_correction()
    report.refresh_from_db()
    assert report.introduction == before and report.correction_changes() == []
    with pytest.raises(ValidationError, match="Ingen rettelse af dette år er åben"):
        report.discard_correction()


def test_deleting_in_the_admin_is_refused_one_by_one_in_bulk_and_inline(
    client, ministry, kp4, status
):
    client.force_login(ministry)
    url = reverse("admin:initiatives_measurestatus_delete", args=[status.pk])
    page = client.get(url).content.decode()
    assert FIXED in page
    assert client.post(url, {"post": "yes"}).status_code == 200  # the page again, no deletion
    changelist = reverse("admin:initiatives_measurestatus_changelist")
    two = list(MeasureStatus.objects.filter(year=2020).values_list("pk", flat=True)[:2])
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": two, "post": "yes"}
    )
    assert FIXED in response.content.decode()
    case = Case.objects.filter(plan=kp4, year=2020).first()
    page = client.get(reverse("admin:initiatives_case_delete", args=[case.pk])).content.decode()
    assert FIXED in page
    measure_url = reverse("admin:initiatives_measure_change", args=[status.measure_id])
    data = form_data(client.get(measure_url), "measure_form")
    delete = next(k for k in data if k.startswith("statuses-") and k.endswith("-id"))
    data[delete.replace("-id", "-DELETE")] = "on"
    assert FIXED in client.post(measure_url, data).content.decode()
    assert MeasureStatus.objects.filter(year=2020).count() == 25
    assert Case.objects.filter(plan=kp4, year=2020).count() == 11
    with pytest.raises(ValidationError, match=FIXED):
        MeasureStatus.objects.filter(year=2020).delete()


def test_no_round_for_a_year_whose_report_was_published_outside_the_portal(kp4):
    with pytest.raises(ValidationError, match="offentliggjort uden for portalen"):
        ReportingRound.open(kp4, 2019, timezone.localdate() + timedelta(days=9))


def test_the_admin_s_history_revert_cannot_reopen_an_approved_contribution(
    client, ministry, round_, rh, editor_rh
):
    rh.items.update(category="on_track", wording="x")
    rh.submit(editor_rh)
    rh.approve(ministry)
    draft = rh.history.order_by("history_id").first()
    assert draft.state == "draft"
    client.force_login(ministry)
    url = reverse("admin:contributions_contribution_simple_history", args=[rh.pk, draft.pk])
    page = client.post(url, {}, follow=True).content.decode()
    assert "kan derfor heller ikke føres tilbage til en tidligere version" in page
    rh.refresh_from_db()
    assert rh.state == "approved"
    rh.state = "draft"
    with pytest.raises(ValidationError, match="godkendt og låst"):
        rh.save()
