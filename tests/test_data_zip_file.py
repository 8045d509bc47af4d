"""The open-data zip is built by a task when published data changes, kept as a file, and
served from that file; a failed build keeps the previous one."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from initiatives.models import Initiative, MeasureStatus
from opendata import datazip
from reports.models import AnnualReport
from tests.builders import correcting, set_report
from tests.conftest import queued, run_tasks

pytestmark = pytest.mark.django_db

URL = "/data/kraeftplan-data.zip"


def stored() -> bytes:
    with default_storage.open(datazip.STORED_NAME) as opened:
        return opened.read()


def initiatives_csv(body: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(body)).read("initiativer.csv").decode()


@pytest.fixture
def report(kp4):
    return AnnualReport.objects.get(plan=kp4, year=2020)


def test_publishing_a_correction_queues_a_rebuild_that_the_worker_runs(ministry, report):
    correcting(report.plan, 2020, ministry)
    assert queued(datazip.build_data_zip) == 0
    report.publish(user=ministry, note="Rettet")
    assert queued(datazip.build_data_zip) == 1  # one rebuild, however often the data changed
    assert not default_storage.exists(datazip.STORED_NAME)
    run_tasks()
    assert queued(datazip.build_data_zip) == 0
    assert stored() == datazip.build()


def test_the_view_serves_the_stored_file_as_built(client, ministry, report):
    correcting(report.plan, 2020, ministry)
    report.publish(user=ministry, note="Rettet")
    run_tasks()
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="kraeftplan-data.zip"'
    assert response.getvalue() == stored() == datazip.build()
    # Until data is published again the file stays as built, not as the tables are now.
    Initiative.objects.filter(plan=report.plan, number="16").update(title="Nyt navn i arbejdet")
    assert "Nyt navn i arbejdet" not in initiatives_csv(client.get(URL).getvalue())
    datazip.queue_rebuild()
    run_tasks()
    assert "Nyt navn i arbejdet" in initiatives_csv(client.get(URL).getvalue())


def test_a_client_that_has_the_file_gets_a_304(client):
    first = client.get(URL)
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(URL, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_without_a_stored_file_the_request_builds_it_once(client):
    assert not default_storage.exists(datazip.STORED_NAME)
    body = client.get(URL).getvalue()
    assert body == stored() == datazip.build()
    assert initiatives_csv(body).startswith("id,")


def test_a_failing_build_keeps_the_previous_file(client, monkeypatch):
    before = client.get(URL).getvalue()
    Initiative.objects.update(title="Skulle ikke nå ud")

    def broken(**kwargs: object) -> str:
        raise RuntimeError("the build breaks half-way")

    monkeypatch.setattr(datazip, "data_dictionary", broken)
    datazip.queue_rebuild()
    run_tasks()
    (failed,) = DBTaskResult.objects.failed().filter(task_path=datazip.build_data_zip.module_path)
    assert failed.exception_class_path == "builtins.RuntimeError"
    assert stored() == before
    assert client.get(URL).getvalue() == before
    assert default_storage.listdir("opendata")[1] == ["kraeftplan-data.zip"]  # no half file


def test_an_embargo_queues_a_second_rebuild_for_when_the_year_becomes_public(kp4):
    report = AnnualReport.objects.get(plan=kp4, year=2019)
    report.versions.all().delete()
    set_report(report.plan, report.year, state="draft", published_at=None)
    MeasureStatus.objects.filter(year=2019).delete()
    until = timezone.now() + timedelta(days=2)
    report.publish(embargo_until=until)
    waiting = DBTaskResult.objects.filter(
        task_path=datazip.build_data_zip.module_path, status="READY"
    )
    assert waiting.count() == 2
    assert waiting.filter(run_after=until).exists()
    run_tasks()  # the worker leaves the later one until its time
    assert list(waiting.values_list("run_after", flat=True)) == [until]


def test_taking_a_year_off_the_public_pages_queues_a_rebuild(report):
    set_report(report.plan, report.year, state="draft", published_at=None)
    assert queued(datazip.build_data_zip) == 1


def test_an_admin_edit_of_always_public_data_queues_a_rebuild(client, ministry, report):
    from tests.forms import form_data

    datazip.queue_rebuild()
    run_tasks()
    initiative = Initiative.objects.get(plan=report.plan, number="16")
    url = f"/admin/initiatives/initiative/{initiative.pk}/change/"
    client.force_login(ministry)
    data = form_data(client.get(url), "initiative_form")
    assert client.post(url, {**data, "title": "Omdøbt i administrationen"}).status_code == 302
    assert queued(datazip.build_data_zip) == 1  # one, though the save touched several rows
    assert "Omdøbt i administrationen" not in initiatives_csv(stored())
    run_tasks()
    client.logout()
    assert "Omdøbt i administrationen" in initiatives_csv(client.get(URL).getvalue())


def test_a_year_s_working_rows_queue_nothing_until_published(ministry, report):
    correcting(report.plan, 2020, ministry)
    status = MeasureStatus.objects.filter(measure__initiative__plan=report.plan, year=2020).first()
    status.wording = "Ny ordlyd i en åben rettelse"
    status.save()
    assert queued(datazip.build_data_zip) == 0
