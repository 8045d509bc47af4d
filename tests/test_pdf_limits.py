"""The PDF renderer runs in a child process with a cap on memory and time that is always
reaped; published PDFs are rendered by the worker under the same caps; the web and worker
processes never import WeasyPrint."""

import io
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from reports.models import AnnualReport, render_version_pdf
from reports.pdf import RenderLimitExceeded, render_pdf
from tests.conftest import run_tasks

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PREVIEW = "/rapporter/kraeftplan-iv/2020/forhaandsvisning.pdf"
BIG = "<html lang='da'><body><table>" + "<tr><td>x</td></tr>" * 20000 + "</table></body></html>"


def virtual_size() -> int:
    """This process's address space in bytes; a forked child starts with the same."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmSize")


@pytest.fixture
def report(kp4):
    return AnnualReport.objects.get(plan=kp4, year=2020)


def test_staff_get_the_drafts_pdf_rendered_in_the_request(client, ministry):
    client.force_login(ministry)
    response = client.get(PREVIEW)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Kræftplan IV" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert multiprocessing.active_children() == []


def test_a_preview_over_the_time_limit_is_stopped_with_a_danish_503(client, ministry, settings):
    settings.PDF_PREVIEW_SECONDS = 1  # the report takes a few seconds
    client.force_login(ministry)
    response = client.get(PREVIEW)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    page = response.content.decode()
    assert "Udkastets PDF tog længere tid" in page
    assert "/rapporter/kraeftplan-iv/2020/forhaandsvisning/" in page
    assert multiprocessing.active_children() == []  # the renderer was killed and reaped


def test_a_render_over_the_memory_limit_is_stopped():
    # Out of memory shows as a MemoryError in Python, or as a crash inside the C libraries;
    # either way the renderer stops long before its time is up.
    with pytest.raises(RenderLimitExceeded) as stopped:
        render_pdf(BIG, timeout=120, memory=virtual_size() + 64 * 1024**2)
    assert "no PDF within" not in str(stopped.value)
    assert multiprocessing.active_children() == []


def test_the_worker_renders_under_the_same_limits_and_keeps_an_earlier_file(report, settings):
    version = report.latest_version
    version.queue_pdf()
    run_tasks()
    with default_storage.open(version.pdf_name) as stored:
        before = stored.read()
    settings.PDF_RENDER_SECONDS = 1
    render_version_pdf.enqueue(version.pk)
    run_tasks()
    failed = DBTaskResult.objects.failed().get(task_path=render_version_pdf.module_path)
    assert failed.exception_class_path == "reports.pdf.RenderLimitExceeded"
    with default_storage.open(version.pdf_name) as stored:
        assert stored.read() == before
    assert multiprocessing.active_children() == []


def test_importing_the_urls_and_views_does_not_import_weasyprint():
    code = (
        "import django, sys; django.setup(); import kraeftplan.urls, reports.views, "
        "reports.models, opendata.views; print('weasyprint' in sys.modules)"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    assert found == "False"
    # The same check sees it when it is imported, so the answer above means something.
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            code.replace(
                "print(", "import reports.pdf; reports.pdf._write_pdf('<p>x</p>'); print("
            ),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.strip()
    assert imported == "True"


def children_of(pid: int) -> list[int]:
    """The live (not zombie) processes whose parent is pid."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_renderer_dies_with_a_web_worker_that_is_killed():
    # A web worker past gunicorn's timeout is killed; its renderer must not go on alone.
    huge = (
        "<html lang='da'><body><table>" + "<tr><td>x</td></tr>" * 80000 + "</table></body></html>"
    )
    code = (
        "import sys, django; django.setup(); from reports.pdf import render_pdf; "
        f"render_pdf(sys.stdin.read(), timeout=600, memory={8 * 1024**3})"
    )
    worker = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, cwd=ROOT)
    renderers: list[int] = []
    try:
        worker.stdin.write(huge.encode())
        worker.stdin.close()
        deadline = time.monotonic() + 60
        while not renderers and time.monotonic() < deadline:
            time.sleep(0.1)
            renderers = children_of(worker.pid)
        assert renderers, "no renderer started"
        time.sleep(1)  # rendering now
        assert all(is_running(pid) for pid in renderers)
        worker.kill()
        worker.wait()
        deadline = time.monotonic() + 5
        while any(is_running(pid) for pid in renderers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(is_running(pid) for pid in renderers), "the renderer outlived its worker"
    finally:
        worker.kill()
        for pid in renderers:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
