"""/healthz, load shedding, the Danish 503 when the database cannot be reached, and the
requeueing of tasks whose worker died. (With real servers, a real database going away and
nginx in front: tests/test_topology.py.)"""

import time
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from kraeftplan.middleware import request_waited
from kraeftplan.tasks import requeue_stale_tasks
from kraeftplan.views import server_error
from opendata.datazip import build_data_zip
from reports.models import AnnualReport, render_version_pdf

pytestmark = pytest.mark.django_db


def ask_a_database_that_cannot_be_opened():
    """The real OperationalError Django raises when a connection fails (SQLite in a directory
    that does not exist)."""
    broken = DatabaseWrapper(
        # SQLite's own options: the test database's may be PostgreSQL's (connect_timeout).
        {**connection.settings_dict, "NAME": "/nonexistent-directory/db.sqlite3", "OPTIONS": {}},
        alias="broken",
    )
    with broken.cursor() as cursor:
        cursor.execute("SELECT 1")


def broken_database_view(request):
    ask_a_database_that_cannot_be_opened()
    return HttpResponse("never")


urlpatterns = [path("broken/", broken_database_view)]


# --- /healthz ---------------------------------------------------------------------------------


def test_healthz_says_ok_for_the_database_and_the_cache(client, django_assert_max_num_queries):
    # SELECT 1; the oldest waiting task.
    with django_assert_max_num_queries(2):
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert body["tasks"] == {"oldest_waiting_seconds": None}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_healthz_answers_any_host_over_plain_http(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["kraeftplan.example.dk"]
    client = Client()  # a new handler reads the changed settings
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/om-data/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_healthz_is_never_stored_by_the_page_cache(client):
    first = client.get("/healthz").json()["checks"]["cache"]
    DBTaskResult.objects.all().delete()
    build_data_zip.enqueue()
    again = client.get("/healthz").json()
    assert again["tasks"]["oldest_waiting_seconds"] == 0  # answered anew, not from the store
    assert first["ok"] and again["checks"]["cache"]["ok"]


def test_healthz_reports_how_long_the_oldest_task_has_waited(client):
    build_data_zip.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=7))
    response = client.get("/healthz")
    assert response.status_code == 200  # reported, not a failure
    assert 419 <= response.json()["tasks"]["oldest_waiting_seconds"] <= 425


def test_healthz_says_degraded_and_which_part_fails_when_the_cache_cannot_be_written(
    client, settings, tmp_path
):
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(not_a_directory / "cache"),
        }
    }
    # 200: the node still serves (uncached), and a balancer must not take it out for a cache
    # that every node shares.
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"] == {"ok": False, "error": "NotADirectoryError"}
    assert body["checks"]["database"]["ok"] is True
    # The site itself still answers, uncached.
    assert client.get("/om-data/").status_code == 200


def test_a_page_store_that_fails_is_left_alone_for_a_while(
    client, settings, caplog, django_assert_num_queries
):
    """Each attempt on a stopped Redis would cost the request the client's retries, and log a
    traceback: the first failure opens the breaker, later requests skip the store."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:8829/0",  # nothing listens here
        }
    }
    for _ in range(3):
        assert client.get("/om-data/").status_code == 200
    failures = [r for r in caplog.records if "page store cannot" in r.getMessage()]
    assert len(failures) == 1
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client.get("/om-data/")  # another cache: asked at once, and the page stored
    with django_assert_num_queries(1):  # the public data version; the page from the store
        assert client.get("/om-data/").status_code == 200


# --- The database cannot be reached ---------------------------------------------------------


@pytest.mark.urls("tests.test_health")
def test_a_view_that_cannot_reach_the_database_answers_the_danish_503(client):
    response = client.get("/broken/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert '<html lang="da">' in page
    assert "Kræftplan-portalen kan ikke hente sine data lige nu" in page
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_a_failure_before_the_view_reaches_the_same_page_through_the_500_handler(rf):
    """The page cache asks the database before any view; Django then calls handler500."""
    with pytest.raises(OperationalError):
        ask_a_database_that_cannot_be_opened()
    try:
        ask_a_database_that_cannot_be_opened()
    except OperationalError:
        response = server_error(rf.get("/planer/"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    # Any other error is still the 500 page.
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(rf.get("/planer/")).status_code == 500


# --- Load shedding --------------------------------------------------------------------------


def stamp(seconds_ago):
    """X-Request-Start as nginx writes it ($msec: seconds with milliseconds)."""
    return f"t={time.time() - seconds_ago:.3f}"


def test_a_request_that_waited_too_long_is_shed_with_a_danish_503(
    client, django_assert_num_queries, settings
):
    settings.SECURE_HSTS_SECONDS = 3600
    with django_assert_num_queries(0):
        response = client.get("/planer/", HTTP_X_REQUEST_START=stamp(5))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "mange besøgende" in response.content.decode()
    # Answered before the security middleware, with headers of its own.
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    secure = client.get("/planer/", HTTP_X_REQUEST_START=stamp(5), secure=True)
    assert secure.status_code == 503 and secure["Strict-Transport-Security"].startswith("max-age=")


def test_a_request_that_did_not_wait_long_is_served(client):
    assert client.get("/planer/", HTTP_X_REQUEST_START=stamp(0.2)).status_code == 200
    assert client.get("/planer/").status_code == 200  # no proxy in front: no shedding


def test_healthz_and_static_files_are_never_shed(client):
    assert client.get("/healthz", HTTP_X_REQUEST_START=stamp(60)).status_code == 200
    static = client.get("/static/js/charts.js", HTTP_X_REQUEST_START=stamp(60))
    # Not shed: it goes on (whitenoise serves it in production; nothing does in the tests).
    assert static.status_code == 404


def test_shedding_follows_the_setting_and_is_off_at_zero(settings):
    settings.LOAD_SHED_QUEUE_MS = 10_000
    assert Client().get("/planer/", HTTP_X_REQUEST_START=stamp(5)).status_code == 200
    settings.LOAD_SHED_QUEUE_MS = 0
    assert Client().get("/planer/", HTTP_X_REQUEST_START=stamp(600)).status_code == 200


def test_the_request_start_is_read_in_seconds_milliseconds_or_microseconds():
    now = 1_700_000_010.0
    assert request_waited("t=1700000000.250", now) == pytest.approx(9.75)
    assert request_waited("t=1700000000250", now) == pytest.approx(9.75)
    assert request_waited("1700000000250000", now) == pytest.approx(9.75)
    assert request_waited("t=soon", now) is None


def test_an_unreadable_request_start_is_not_shed(client):
    assert client.get("/planer/", HTTP_X_REQUEST_START="t=-").status_code == 200


# --- Tasks whose worker died ----------------------------------------------------------------


def claimed(worker_id, minutes_ago):
    """A task as django-tasks-db leaves it when the worker that claimed it is killed."""
    task = DBTaskResult.objects.get(pk=build_data_zip.enqueue().id)
    task.claim(worker_id)
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return task.pk


def status(pk):
    return DBTaskResult.objects.get(pk=pk).status


def test_a_task_running_longer_than_any_task_runs_goes_back_to_the_queue(settings):
    settings.TASK_STALE_SECONDS = 600
    lost, busy = claimed("dead", 11), claimed("alive", 2)
    assert requeue_stale_tasks(timezone.now()) == (1, 0)
    assert (status(lost), status(busy)) == ("READY", "RUNNING")


def test_a_worker_starting_under_its_old_id_requeues_what_it_was_running(settings):
    settings.TASK_STALE_SECONDS = 600
    mine, other = claimed("worker-1", 1), claimed("worker-2", 1)
    assert requeue_stale_tasks(timezone.now(), "worker-1") == (1, 0)
    assert (status(mine), status(other)) == ("READY", "RUNNING")


def test_a_task_that_lost_three_workers_fails_instead_of_looping():
    pk = claimed("first", 60)
    task = DBTaskResult.objects.get(pk=pk)
    task.worker_ids = ["first", "second", "third"]
    task.save(update_fields=["worker_ids"])
    assert requeue_stale_tasks(timezone.now()) == (0, 1)
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.exception_class_path == "kraeftplan.tasks.WorkerLost"


def test_the_pdf_a_killed_worker_was_rendering_is_rendered_when_it_starts_again(kp4, monkeypatch):
    version = AnnualReport.objects.get(plan=kp4, year=2020).latest_version
    default_storage.delete(version.pdf_name)
    DBTaskResult.objects.all().delete()
    version.queue_pdf()
    task = DBTaskResult.objects.get(task_path=render_version_pdf.module_path)
    task.claim("worker-a")  # ... and the worker is killed here
    version.queue_pdf()
    assert DBTaskResult.objects.count() == 1  # a RUNNING render blocks a new one
    # As tests.conftest.run_tasks: keep the test's transaction's connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command(
        "worker",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
        "--worker-id",
        "worker-a",
        verbosity=0,
    )
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL", task.traceback
    assert task.worker_ids == ["worker-a", "worker-a"]
    assert default_storage.open(version.pdf_name).read(5) == b"%PDF-"
