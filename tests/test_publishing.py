"""Publishing freezes a report; corrections are new versions; embargoes hold the year back."""

import importlib
import io
from datetime import timedelta
from html import escape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from initiatives.models import MeasureStatus, PublishedStatus
from kraeftplan.files import store_atomically
from kraeftplan.formatting import ascii_slug
from reports import rendering
from reports.models import AnnualReport, ReportVersion, render_version_pdf
from reports.pdf import render_pdf
from tests.builders import correcting, set_report
from tests.conftest import queued, run_tasks

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


URL = "/rapporter/kraeftplan-iv/2020/"


@pytest.fixture
def report(kp4):
    return AnnualReport.objects.get(plan=kp4, year=2020)


@pytest.fixture
def kpo_status():
    return MeasureStatus.objects.get(measure__title="Kræftpatientoverblik (KPO)", year=2020)


def test_the_seeded_reports_are_published_as_version_1_from_their_own_date(kp4):
    # Only the 2020 status is in the sources; 2017-2019 are known by their dates alone.
    assert set(
        AnnualReport.objects.filter(plan=kp4, state="external").values_list("year", flat=True)
    ) == {2017, 2018, 2019}
    assert not ReportVersion.objects.filter(report__state="external").exists()
    for report in AnnualReport.objects.filter(plan=kp4, state="published"):
        (version,) = report.versions.all()
        assert version.number == 1 and version.note == ""
        assert timezone.localtime(version.published_at).date() == report.dated
        assert version.data["plan"]["slug"] == "kraeftplan-iv"


def test_the_frozen_data_holds_the_years_statuses_and_budget(report):
    data = report.latest_version.data
    assert len(data["status"]) == 25
    hpv = next(line for line in data["budgetlinjer"] if line["label"] == "HPV-vaccination")
    assert hpv["stated_total"] == "5"


def test_a_published_year_changes_only_through_a_correction(client, ministry, report, kpo_status):
    kpo_status.wording = "Genoptaget efter ny beslutning"
    with pytest.raises(ValidationError, match="Kræftplan IV 2020 er offentliggjort"):
        kpo_status.save()
    with pytest.raises(ValidationError, match="Kræftplan IV 2020 er offentliggjort"):
        kpo_status.delete()
    correcting(report.plan, 2020, ministry)
    kpo_status.save()
    # The public sees the year as published until the correction is: report, page and API.
    page = f"/initiativer/kraeftplan-iv/{kpo_status.measure.initiative.number}/"
    api = "/api/v1/status/?aar=2020&limit=1000"
    for url in (URL, page, api):
        assert "Genoptaget efter ny beslutning" not in client.get(url).content.decode()
    public = report.public_year
    assert public.unpublished_changes() == [f"Ændret: status 2020 for {kpo_status.measure}"]
    client.force_login(ministry)
    preview = client.get(URL + "forhaandsvisning/").content.decode()
    assert "Genoptaget efter ny beslutning" in preview
    report.publish(user=ministry, note="KPO genoptaget")
    for url in (URL, page, api):
        assert "Genoptaget efter ny beslutning" in client.get(url).content.decode()
    assert report.public_year.unpublished_changes() == []
    assert not report.public_year.correction_is_open  # published: fixed again


def test_a_correction_can_be_discarded(ministry, report, kpo_status):
    before = kpo_status.wording
    correcting(report.plan, 2020, ministry)
    kpo_status.wording = "Forkastet ændring"
    kpo_status.save()
    report.public_year.discard_correction()
    kpo_status.refresh_from_db()
    assert kpo_status.wording == before and report.public_year.unpublished_changes() == []
    with pytest.raises(ValidationError):
        report.publish(user=ministry, note="Intet at rette")


def test_a_correction_is_a_new_version_with_a_note_and_the_old_one_stays(
    client, ministry, report, kpo_status
):
    correcting(report.plan, 2020, ministry)
    kpo_status.wording = "Rettet ordlyd"
    kpo_status.save()
    with pytest.raises(ValidationError) as error:
        report.publish(user=ministry)
    assert "En rettelse skal beskrive" in str(error.value)
    assert report.versions.count() == 1
    version = report.publish(user=ministry, note="Status for initiativ 16 rettet")
    assert version.number == 2 and version.published_by == ministry
    latest = client.get(URL).content.decode()
    assert "Rettet ordlyd" in latest and "Status for initiativ 16 rettet" in latest
    first = client.get(URL + "v1/").content.decode()
    assert "Rettet ordlyd" not in first and "Der findes en nyere version" in first
    assert queued(render_version_pdf) == 1  # the new version's PDF
    report.versions.get(number=1).queue_pdf()
    run_tasks()
    assert client.get("/rapporter/kraeftplan-iv/2020/v1.pdf").status_code == 200
    assert client.get("/rapporter/kraeftplan-iv/2020/v2.pdf").status_code == 200
    assert client.get(URL + "v3/").status_code == 404


def test_the_public_pages_show_the_title_and_date_as_the_version_published_them(
    client, ministry, report
):
    version = report.latest_version
    published, dated = version.title, version.dated
    assert (published, dated) == (report.title, report.dated) and dated is not None
    shown_date = f"{dated.day}. {MONTHS[dated.month - 1]} {dated.year}"
    correcting(report.plan, 2020, ministry)
    report.title = "Status på Kræftplan IV - 2020 (rettet udkast)"
    report.dated = dated + timedelta(days=400)
    report.save()
    for url in (URL, URL + "v1/", "/en" + URL, "/rapporter/"):
        html = client.get(url).content.decode()
        assert "rettet udkast" not in html, url
        if url == "/rapporter/":
            assert f">{escape(published)}</a>" in html and f"<td>{shown_date}</td>" in html
            continue
        assert html.count(escape(published)) >= 3, url  # <title>, breadcrumb and heading
        if not url.startswith("/en/"):
            assert f" · {shown_date}</p>" in html, url
    # The site search names the report as published too.
    found = client.get("/soeg/", {"q": "udmøntning", "vis": "rapporter"}).content.decode()
    assert 'href="/rapporter/kraeftplan-iv/2020/"' in found and "rettet udkast" not in found
    assert f'filename="{ascii_slug(published)}.pdf"' in pdf_disposition(client, URL[:-1] + ".pdf")
    # The staff preview shows the title that a correction would publish.
    client.force_login(ministry)
    assert "rettet udkast" in client.get(URL + "forhaandsvisning/").content.decode()
    version = report.publish(user=ministry, note="Titlen og datoen rettet")
    assert version.title == "Status på Kræftplan IV - 2020 (rettet udkast)"
    assert version.dated == dated + timedelta(days=400)
    client.logout()
    assert "rettet udkast" in client.get(URL).content.decode()
    assert "rettet udkast" not in client.get(URL + "v1/").content.decode()


MONTHS = "januar februar marts april maj juni juli august september oktober november december"
MONTHS = MONTHS.split()


def pdf_disposition(client, url: str) -> str:
    report = AnnualReport.objects.get(plan__slug="kraeftplan-iv", year=2020)
    store_atomically(report.latest_version.pdf_name, b"%PDF-1.7")
    return client.get(url)["Content-Disposition"]


def test_versions_from_before_titles_were_frozen_get_those_of_their_print_document(report):
    from django.apps import apps

    migration = importlib.import_module("reports.migrations.0007_reportversion_as_published")
    version = report.latest_version
    version.print_html = rendering.print_html(report)
    version.title, version.dated = "", None
    version.save()
    report_title, report_date = report.title, report.dated
    AnnualReport.objects.filter(pk=report.pk).update(title="Senere titel", dated=None)
    migration.as_published(apps, None)
    version.refresh_from_db()
    assert (version.title, version.dated) == (report_title, report_date)
    # A title page without a date: the report had none when it was published.
    version.print_html = '<title>Status &amp; plan\n 2020</title><section class="kp-title-page">'
    version.save()
    AnnualReport.objects.filter(pk=report.pk).update(dated=report_date)
    migration.as_published(apps, None)
    version.refresh_from_db()
    assert (version.title, version.dated) == ("Status & plan 2020", None)
    # No print document of ours: the report's own, the best the portal knows.
    ReportVersion.objects.filter(pk=version.pk).update(print_html="<h1>Status</h1>")
    migration.as_published(apps, None)
    version.refresh_from_db()
    assert (version.title, version.dated) == ("Senere titel", report_date)


def test_the_pdf_is_rendered_by_the_worker_and_served_as_its_file(client, report):
    version = report.latest_version
    url = "/rapporter/kraeftplan-iv/2020.pdf"
    assert not default_storage.exists(version.pdf_name)
    # Not rendered yet: a Danish 503 that says when to come back, and the rendering is queued.
    waiting = client.get(url)
    assert waiting.status_code == 503 and waiting["Retry-After"] == "60"
    assert "PDF-filen er ikke klar endnu" in waiting.content.decode()
    client.get(url)
    assert queued(render_version_pdf) == 1
    run_tasks()
    with default_storage.open(version.pdf_name) as stored:
        rendered = stored.read()
    served = client.get(url)
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith('inline; filename="')
    assert served.getvalue() == rendered
    fresh = render_pdf(version.print_html)
    assert pdf_text(rendered) == pdf_text(fresh) and "Kræftplan IV" in pdf_text(rendered)
    assert client.get(url, headers={"If-None-Match": served["ETag"]}).status_code == 304


def test_publishing_queues_the_new_versions_pdf(ministry, report):
    correcting(report.plan, 2020, ministry)
    version = report.publish(user=ministry, note="Rettet")
    (waiting,) = DBTaskResult.objects.filter(task_path=render_version_pdf.module_path)
    assert waiting.args_kwargs == {"args": [version.pk], "kwargs": {}}
    run_tasks()
    assert default_storage.exists(version.pdf_name)


def test_a_pdf_rendered_before_pdfs_were_files_is_still_served(client, report):
    version = report.latest_version
    version.pdf = render_pdf(version.print_html)
    version.save()
    response = client.get("/rapporter/kraeftplan-iv/2020.pdf")
    assert response.status_code == 200 and response.getvalue() == bytes(version.pdf)
    assert queued(render_version_pdf) == 0


def test_an_embargo_keeps_the_report_and_the_years_statuses_back(client, kp4):
    report = AnnualReport.objects.get(plan=kp4, year=2019)
    report.versions.all().delete()
    set_report(report.plan, report.year, state="draft", published_at=None)
    status = MeasureStatus.objects.create(
        measure=MeasureStatus.objects.get(year=2020, measure__title="Hospicepulje").measure,
        year=2019,
        category="on_track",
        wording="Embargo-ordlyd 2019",
    )
    report.publish(embargo_until=timezone.now() + timedelta(days=2))
    assert client.get("/rapporter/kraeftplan-iv/2019/").status_code == 404
    assert (
        "Embargo-ordlyd 2019" not in client.get("/initiativer/kraeftplan-iv/13/").content.decode()
    )
    assert not PublishedStatus.objects.public().filter(pk=status.pk).exists()
    past = timezone.now() - timedelta(minutes=1)
    set_report(report.plan, report.year, published_at=past)
    report.versions.update(published_at=past)
    assert client.get("/rapporter/kraeftplan-iv/2019/").status_code == 200
    assert "Embargo-ordlyd 2019" in client.get("/initiativer/kraeftplan-iv/13/").content.decode()


def test_publishing_is_all_or_nothing(report, monkeypatch, kpo_status):
    def broken(report):
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(rendering, "freeze", broken)
    correcting(report.plan, 2020)
    with pytest.raises(RuntimeError):
        report.publish(note="Forsøg")
    assert report.versions.count() == 1
    assert ReportVersion.objects.filter(note="Forsøg").count() == 0


class TestAdmin:
    def test_staff_publish_a_correction_from_the_admin(self, client, ministry, report):
        client.force_login(ministry)
        url = reverse("admin:reports_annualreport_publish", args=[report.pk])
        response = client.post(url, {"note": "Ny tabel", "embargo_until": ""})
        assert "Året er offentliggjort. Åbn en rettelse" in response.content.decode()
        assert report.versions.count() == 1
        correction = reverse("admin:reports_annualreport_correction", args=[report.pk])
        assert client.post(correction, {"action": "open"}).status_code == 302
        assert report.public_year.correction_is_open
        assert (
            "Ændringer, der endnu ikke er offentliggjort" in client.get(correction).content.decode()
        )
        response = client.post(url, {"note": "", "embargo_until": ""})
        assert response.status_code == 200
        assert "En rettelse skal beskrive" in response.content.decode()
        response = client.post(url, {"note": "Ny tabel", "embargo_until": ""})
        assert response.status_code == 302
        assert report.versions.count() == 2
        change = client.get(reverse("admin:reports_annualreport_change", args=[report.pk]))
        assert "Ny tabel" in change.content.decode()

    def test_a_bad_embargo_time_is_refused_in_danish(self, client, ministry, report):
        client.force_login(ministry)
        url = reverse("admin:reports_annualreport_publish", args=[report.pk])
        response = client.post(url, {"note": "x", "embargo_until": "i morgen"})
        assert "Indtast gyldig dato/tid" in response.content.decode()
        assert report.versions.count() == 1

    def test_contributors_cannot_publish(self, client, editor_rh, report):
        client.force_login(editor_rh)
        response = client.post(
            reverse("admin:reports_annualreport_publish", args=[report.pk]), {"note": "x"}
        )
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert report.versions.count() == 1

    def test_frozen_versions_cannot_be_edited(self, client, ministry, report):
        client.force_login(ministry)
        version = report.latest_version
        response = client.post(
            reverse("admin:reports_reportversion_change", args=[version.pk]), {"note": "ændret"}
        )
        assert response.status_code == 403
        version.refresh_from_db()
        assert version.note == ""
