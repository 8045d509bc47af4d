"""Two web processes, one database and one cache directory: a change made through one process
is served by the other at once (kraeftplan.pagecache keys pages by a version in the database)."""

import html
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.forms import form_data

ROOT = Path(__file__).resolve().parent.parent
PORTS = (8801, 8802)
PASSWORD = "to-processer-og-en-cache"


@pytest.fixture
def database(tmp_path):
    """A database of its own (the test database lives in this process's transaction): a file
    for SQLite, a new database beside the test database for PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    import psycopg

    server, name = url.rsplit("/", 1)[0], "kraeftplan_two_processes"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def servers(database, tmp_path):
    """Two runserver processes on the seeds, sharing the database and a file cache; always
    stopped at the end."""
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "CACHE_DIR": str(tmp_path / "cache"),
        "DJANGO_SETTINGS_MODULE": "kraeftplan.settings.test",
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }
    env.pop("RELEASE", None)

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=300
        )

    manage("migrate", "--noinput", "-v0")
    manage("load_seeds")
    manage("createsuperuser", "--noinput", "--username", "chef", "--email", "chef@example.dk")
    processes = []
    try:
        for port in PORTS:
            log = (tmp_path / f"server-{port}.log").open("w")
            processes.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        bases = [f"http://127.0.0.1:{port}" for port in PORTS]
        for base, process in zip(bases, processes, strict=True):
            wait_until_serving(base, process)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_serving(base, process, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server at {base} stopped"
        try:
            urllib.request.urlopen(base + "/om-data/", timeout=5).read()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise AssertionError(f"the server at {base} did not answer in {seconds} s")


def get(url, opener=None):
    with (opener or urllib.request.build_opener()).open(url, timeout=30) as response:
        return response.headers, response.read().decode()


def staff_opener(base):
    """A browser logged in to the admin of one process."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    _, page = get(base + "/admin/login/", opener)
    data = form_data(SimpleNamespace(content=page.encode()), "login-form")
    data.update(username="chef", password=PASSWORD)
    with opener.open(base + "/admin/login/", urllib.parse.urlencode(data).encode()) as response:
        assert response.url.endswith("/admin/"), "the login failed"
    return opener


def test_a_change_through_one_process_is_served_by_the_other_at_once(servers):
    a, b = servers
    for base in (a, b):
        headers, page = get(base + "/maal/")
        again, same = get(base + "/maal/")
        assert same == page and again["ETag"] == headers["ETag"]  # stored, then served
    target = re.search(r'href="/maal/(\d+)/"', page)[1]

    admin = staff_opener(a)
    change = f"{a}/admin/targets/nationaltarget/{target}/change/"
    _, form = get(change, admin)
    data = form_data(SimpleNamespace(content=form.encode()), "nationaltarget_form")
    old = data["title"]
    assert html.escape(old) in page
    data["title"] = "Målet med en ny titel fra proces A"
    body = urllib.parse.urlencode(data, doseq=True).encode()
    with admin.open(change, body) as response:
        assert response.url.endswith("/admin/targets/nationaltarget/"), "the edit failed"

    headers, page = get(b + "/maal/")
    assert "Målet med en ny titel fra proces A" in page and html.escape(old) not in page
    assert headers["ETag"] != again["ETag"]
    again, same = get(b + "/maal/")
    assert same == page and again["ETag"] == headers["ETag"]


def post(opener, url, data):
    """A form posted with the CSRF token of the page at url; the address it ended on."""
    _, page = get(url, opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}, doseq=True).encode()
    with opener.open(url, body) as response:
        return response.url, response.read().decode()


def test_a_correction_published_through_one_process_is_served_by_the_other_at_once(servers):
    a, b = servers
    report_page = "/rapporter/kraeftplan-iv/2020/"
    before_headers, before = get(b + report_page)
    again, same = get(b + report_page)
    assert same == before and again["ETag"] == before_headers["ETag"]  # stored, then served

    admin = staff_opener(a)
    search = urllib.parse.urlencode({"q": "Kræftplan IV - 2020"})
    _, reports = get(f"{a}/admin/reports/annualreport/?{search}", admin)
    (pk,) = set(re.findall(r'href="/admin/reports/annualreport/(\d+)/change/', reports))
    ended, _ = post(admin, f"{a}/admin/reports/annualreport/{pk}/rettelse/", {"action": "open"})
    assert ended.endswith(f"/admin/reports/annualreport/{pk}/rettelse/")

    # The report's text changes in the open correction: not public yet, on either process.
    change = f"{a}/admin/reports/annualreport/{pk}/change/"
    _, form = get(change, admin)
    data = form_data(SimpleNamespace(content=form.encode()), "annualreport_form")
    data["overall_status"] = "Status rettet gennem proces A."
    body = urllib.parse.urlencode(data, doseq=True).encode()
    with admin.open(change, body) as response:
        assert response.url.endswith("/admin/reports/annualreport/"), "the edit failed"
    for base in (a, b):
        _, page = get(base + report_page)
        # The same page, but for the absolute addresses in its head (hreflang), which name the
        # process's own host and port.
        assert "Status rettet gennem proces A." not in page
        assert page.replace(base, b) == before

    ended, _ = post(
        admin,
        f"{a}/admin/reports/annualreport/{pk}/offentliggoer/",
        {"note": "Rettelse fra proces A", "embargo_until": ""},
    )
    assert not ended.endswith("/offentliggoer/"), "the publication failed"
    headers, page = get(b + report_page)
    assert "Status rettet gennem proces A." in page
    assert headers["ETag"] != before_headers["ETag"]
