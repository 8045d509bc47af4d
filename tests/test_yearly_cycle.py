"""Two yearly cycles, as staff and contributors live them, through the pages: Kræftplan V 2024
is reported, returned, resubmitted, approved, consolidated and published; during the 2025 round
2024 is corrected as version 2; 2025 is published; and Kræftplan IV, its follow-up extended by
staff, takes a 2021 round. At each step the public pages, the API and the zip show exactly what
was published, no more."""

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contributions.models import ReportingRound
from initiatives.models import Measure, Plan
from reports.models import AnnualReport
from tests.conftest import make_user, run_tasks
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def published(client, plan):
    """{(measure id, year): wording} as the API and the zip show the plan's statuses, checked to
    agree with each other."""
    api = client.get("/api/v1/status/", {"plan": plan.slug, "limit": 1000}).json()["results"]
    from_api = {(row["measure"], row["year"]): row["wording"] for row in api}
    run_tasks()  # the worker rebuilds the zip that publishing queued
    archive = zipfile.ZipFile(io.BytesIO(client.get("/data/kraeftplan-data.zip").getvalue()))
    rows = csv.DictReader(io.StringIO(archive.read("status.csv").decode("utf-8-sig")))
    from_zip = {
        (int(row["measure"]), int(row["year"])): row["wording"]
        for row in rows
        if row["plan"] == plan.slug
    }
    assert from_api == from_zip
    return from_api


def on_page(client, measure):
    return client.get(measure.initiative.get_absolute_url()).content.decode()


def fill(client, contribution, wording, submit=True):
    data = form_data(client.get(contribution.get_absolute_url()))
    for key in list(data):
        if key.endswith("-category"):
            data[key] = "on_track"
        if key.endswith("-wording"):
            data[key] = wording
    data["indsend" if submit else "gem"] = "1"
    response = client.post(contribution.get_absolute_url(), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def consolidate(client, round_, measure, wording, category="on_track"):
    url = f"/bidrag/runder/{round_.pk}/konsolider/"
    data = form_data(client.get(url), f"konsolider-{measure.pk}") | {
        f"m{measure.pk}-category": category,
        f"m{measure.pk}-wording": wording,
    }
    assert client.post(url, data).status_code == 302


def publish(client, report, note=""):
    url = reverse("admin:reports_annualreport_publish", args=[report.pk])
    assert client.post(url, {"note": note, "embargo_until": ""}).status_code == 302


def test_two_years_of_the_yearly_cycle(client, ministry, editor_rh):
    kp5 = Plan.objects.get(slug="kraeftplan-v")
    editor_dr = make_user("redaktoer-dr", organisation="danske-regioner")
    rh, dr = editor_rh.membership.organisation, editor_dr.membership.organisation
    measures = list(Measure.objects.filter(initiative__plan=kp5).in_published_order())
    first, second = measures[0], measures[1]
    assert published(client, kp5) == {}

    # 2024: two organisations answer; one is returned and resubmits; both are approved.
    round_2024 = ReportingRound.open(
        kp5,
        2024,
        timezone.localdate() + timedelta(days=14),
        user=ministry,
        assignments={rh: [first.pk], dr: [first.pk, second.pk]},
    )
    from_rh = round_2024.contributions.get(organisation=rh)
    from_dr = round_2024.contributions.get(organisation=dr)
    client.force_login(editor_rh)
    fill(client, from_rh, "RH: i gang 2024")
    client.force_login(editor_dr)
    fill(client, from_dr, "DR: kladde 2024")
    client.force_login(ministry)
    client.post(f"/bidrag/{from_dr.pk}/returner/", {"comment": "Uddyb venligst"})
    from_dr.refresh_from_db()
    assert from_dr.state == "returned"
    client.force_login(editor_dr)
    fill(client, from_dr, "DR: uddybet 2024")
    client.force_login(ministry)
    for contribution in (from_rh, from_dr):
        client.post(f"/bidrag/{contribution.pk}/godkend/", {"bekraeft": "1"})
        contribution.refresh_from_db()
        assert contribution.state == "approved"
    consolidate(client, round_2024, first, "Følger planen (2024)")
    consolidate(client, round_2024, second, "Afsluttet i 2024", category="completed")
    # Consolidated, not published: nothing is public yet.
    assert published(client, kp5) == {}
    assert "Følger planen (2024)" not in on_page(client, first)
    report_2024 = AnnualReport.objects.create(plan=kp5, year=2024, title="Status 2024")
    publish(client, report_2024)
    assert published(client, kp5) == {
        (first.pk, 2024): "Følger planen (2024)",
        (second.pk, 2024): "Afsluttet i 2024",
    }
    assert "Følger planen (2024)" in on_page(client, first)

    # 2025: the round leaves out what was finished in 2024.
    round_2025 = ReportingRound.open(kp5, 2025, timezone.localdate() + timedelta(days=14))
    asked = {item.measure_id for c in round_2025.contributions.all() for item in c.items.all()}
    assert second.pk not in asked
    from_rh_2025 = round_2025.contributions.filter(organisation=rh).first() or (
        round_2025.add_organisation(rh, [first.pk], ministry)
    )
    client.force_login(editor_rh)
    fill(client, from_rh_2025, "RH: kladde 2025", submit=False)

    # Meanwhile 2024 is corrected: fixed until a correction is opened, public as version 2.
    client.force_login(ministry)
    status_2024 = first.statuses.get(year=2024)
    url = reverse("admin:initiatives_measure_change", args=[first.pk])
    data = form_data(client.get(url), "measure_form")
    key = next(k for k, v in data.items() if k.endswith("-wording") and v == status_2024.wording)
    page = client.post(url, data | {key: "Følger planen (rettet)"}).content.decode()
    assert "er offentliggjort og forbliver" in page
    correction = reverse("admin:reports_annualreport_correction", args=[report_2024.pk])
    client.post(correction, {"action": "open"})
    data = form_data(client.get(url), "measure_form")
    assert client.post(url, data | {key: "Følger planen (rettet)"}).status_code == 302
    assert published(client, kp5)[(first.pk, 2024)] == "Følger planen (2024)"
    publish(client, report_2024, note="Status for den første indsats rettet")
    assert report_2024.versions.count() == 2
    assert published(client, kp5) == {
        (first.pk, 2024): "Følger planen (rettet)",
        (second.pk, 2024): "Afsluttet i 2024",
    }
    latest = client.get("/rapporter/kraeftplan-v/2024/").content.decode()
    assert "Status for den første indsats rettet" in latest
    assert (
        "Følger planen (rettet)"
        not in client.get("/rapporter/kraeftplan-v/2024/v1/").content.decode()
    )
    assert "RH: kladde 2025" not in on_page(client, first)

    # 2025 is finished and published.
    client.force_login(editor_rh)
    fill(client, from_rh_2025, "RH: færdig 2025")
    client.force_login(ministry)
    client.post(f"/bidrag/{from_rh_2025.pk}/godkend/", {"bekraeft": "1"})
    consolidate(client, round_2025, first, "Følger planen (2025)")
    assert (first.pk, 2025) not in published(client, kp5)
    publish(client, AnnualReport.objects.create(plan=kp5, year=2025, title="Status 2025"))
    assert published(client, kp5) == {
        (first.pk, 2024): "Følger planen (rettet)",
        (second.pk, 2024): "Afsluttet i 2024",
        (first.pk, 2025): "Følger planen (2025)",
    }

    # Kræftplan IV: staff extend the follow-up, and 2021 takes a round and a report.
    kp4 = Plan.objects.get(slug="kraeftplan-iv")
    before = published(client, kp4)
    assert {year for _measure, year in before} == {2020}
    url = reverse("admin:initiatives_plan_change", args=[kp4.pk])
    assert (
        client.post(
            url, form_data(client.get(url), "plan_form") | {"follow_up_until": "2021"}
        ).status_code
        == 302
    )
    data = form_data(client.get("/bidrag/runder/ny/?plan=kraeftplan-iv"), "aabn-runde")
    assert data["year"] == "2021"
    data["deadline"] = (timezone.localdate() + timedelta(days=14)).isoformat()
    assert client.post("/bidrag/runder/ny/?plan=kraeftplan-iv", data).status_code == 302
    round_2021 = ReportingRound.objects.get(plan=kp4, year=2021)
    measure = Measure.objects.filter(contribution_items__contribution__round=round_2021).first()
    consolidate(client, round_2021, measure, "Fortsætter i 2021")
    assert published(client, kp4) == before
    report_2021 = AnnualReport.objects.create(plan=kp4, year=2021, title="Status 2021")
    publish(client, report_2021)
    assert published(client, kp4) == before | {(measure.pk, 2021): "Fortsætter i 2021"}
    assert "Fortsætter i 2021" in on_page(client, measure)
