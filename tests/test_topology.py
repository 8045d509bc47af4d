"""The production topology: docker-compose and the Dockerfile as files (there is no Docker here),
SMTP from the environment, and deploy/nginx.conf run for real in front of gunicorn: the client's
address reaches the lockout through X-Forwarded-For, the queue time reaches the load shedding
through X-Request-Start, nginx's own limits answer 503 with Retry-After, and a database that
goes away gives /healthz a 503 that says so, the Danish 503 page (or the page stored before), and
recovers without a restart."""

import http.client
import importlib
import json
import os
import re
import shutil
import signal
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.db import connection

from tests.forms import form_data

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
GUNICORN_PORT, HTTP_PORT, HTTPS_PORT = 8824, 8825, 8826
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (bin/test does it)")
# The stack's database is made from the test database, which pytest-django creates only for a
# run that has a test marked to use it.
uses_test_database = pytest.mark.django_db


# --- The files ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_puts_nginx_in_front_of_several_web_replicas(compose):
    services = compose["services"]
    assert set(services) == {
        *("db", "redis", "migrate", "web", "worker", "nginx"),
        *("minio", "minio-bucket"),  # object storage for the published files
    }
    web, nginx = services["web"], services["nginx"]
    # Only the proxy publishes ports (MinIO is reached by web and worker alone).
    assert [name for name, service in services.items() if "ports" in service] == ["nginx"]
    assert "ports" not in web  # only the proxy publishes ports
    assert web["deploy"]["replicas"] == "${WEB_REPLICAS:-2}"
    assert web["environment"]["TRUSTED_PROXY_COUNT"] == 1
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert sorted(nginx["ports"]) == ["443:443", "80:80"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in nginx["volumes"]
    assert nginx["depends_on"]["web"]["condition"] == "service_healthy"


def test_compose_keeps_postgres_on_a_volume_with_a_health_check(compose):
    db = compose["services"]["db"]
    assert "pgdata:/var/lib/postgresql/data" in db["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert set(compose["volumes"]) == {"pgdata", "media", "minio"}


def test_compose_gives_every_portal_process_the_same_environment_with_smtp(compose):
    services = compose["services"]
    environments = [services[name]["environment"] for name in ("migrate", "web", "worker")]
    assert environments[0] == environments[1] == environments[2]
    for name in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"):
        assert name in environments[0]
    assert {"EMAIL_USE_TLS", "EMAIL_USE_SSL", "WEB_CONCURRENCY", "REDIS_URL"} <= set(
        environments[0]
    )


def test_the_worker_requeues_what_it_was_killed_in(compose):
    command = compose["services"]["worker"]["command"]
    assert "manage.py worker --no-reload --worker-id $$(hostname)" in command
    assert "manage.py requeue_stale_tasks" in command
    assert "manage.py send_contribution_emails" in command


def test_the_image_checks_its_health_and_reads_its_worker_count():
    dockerfile = (ROOT / "Dockerfile").read_text()
    healthcheck = re.search(r"^HEALTHCHECK .*\n.*$", dockerfile, re.MULTILINE)[0]
    assert "http://127.0.0.1:8000/healthz" in healthcheck
    command = json.loads(re.search(r"^CMD (.*)$", dockerfile, re.MULTILINE)[1])
    assert command[0] == "gunicorn" and "--preload" in command
    assert "--workers" not in command  # gunicorn reads WEB_CONCURRENCY
    assert "ENV WEB_CONCURRENCY=3" in dockerfile


@pytest.fixture
def prod_settings(monkeypatch):
    """Imports the production settings afresh under the environment the test sets."""
    monkeypatch.setenv("SECRET_KEY", "k" * 60)
    for name in ("EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_HOST_USER"):
        monkeypatch.delenv(name, raising=False)

    def load():
        sys.modules.pop("kraeftplan.settings.prod", None)
        return importlib.import_module("kraeftplan.settings.prod")

    yield load
    sys.modules.pop("kraeftplan.settings.prod", None)


def test_smtp_with_user_password_and_tls_comes_from_the_environment(
    prod_settings, monkeypatch, settings
):
    monkeypatch.setenv("EMAIL_HOST", "smtp.example.dk")
    monkeypatch.setenv("EMAIL_HOST_USER", "kraeftplan")
    monkeypatch.setenv("EMAIL_HOST_PASSWORD", "hemmeligt")
    monkeypatch.setenv("EMAIL_USE_TLS", "true")
    monkeypatch.setenv("EMAIL_PORT", "")  # as docker-compose passes an unset one
    options = prod_settings().MAILERS["default"]["OPTIONS"]
    assert options == {
        "host": "smtp.example.dk",
        "port": 587,
        "username": "kraeftplan",
        "password": "hemmeligt",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 30,
    }
    settings.MAILERS = prod_settings().MAILERS
    from django.core.mail import mailers

    backend = mailers["default"]
    assert (backend.host, backend.port, backend.username, backend.password) == (
        "smtp.example.dk",
        587,
        "kraeftplan",
        "hemmeligt",
    )
    assert (backend.use_tls, backend.use_ssl) == (True, False)


def test_smtp_over_implicit_tls_and_a_port_of_ones_own(prod_settings, monkeypatch):
    monkeypatch.setenv("EMAIL_USE_SSL", "1")
    assert prod_settings().MAILERS["default"]["OPTIONS"]["port"] == 465
    monkeypatch.setenv("EMAIL_PORT", "2525")
    assert prod_settings().MAILERS["default"]["OPTIONS"]["port"] == 2525
    monkeypatch.setenv("EMAIL_USE_TLS", "1")
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="not both"):
        prod_settings()


# --- nginx in front of gunicorn -------------------------------------------------------------


def nginx_config(directory: Path) -> Path:
    """deploy/nginx.conf as it is, with the upstream, ports and certificate of this machine."""
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-keyout", directory / "privkey.pem"),
            *("-out", directory / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in (
        ("server web:8000", f"server 127.0.0.1:{GUNICORN_PORT}"),
        ("listen 80 ", f"listen 127.0.0.1:{HTTP_PORT} "),
        ("listen 443 ", f"listen 127.0.0.1:{HTTPS_PORT} "),
        ("/etc/nginx/certs", str(directory)),
    ):
        assert old in text, old
        text = text.replace(old, new)
    config = directory / "nginx.conf"
    config.write_text(text)
    return config


def nginx_command(config: Path, *extra: str) -> list[str]:
    directory = config.parent
    return [
        str(NGINX),
        "-c",
        str(config),
        "-p",
        str(directory),
        "-e",
        str(directory / "error.log"),
        "-g",
        f"pid {directory / 'nginx.pid'}; daemon off;",
        *extra,
    ]


@needs_nginx
def test_the_nginx_configuration_is_valid(tmp_path):
    result = subprocess.run(
        nginx_command(nginx_config(tmp_path), "-t"), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


@pytest.fixture(scope="module")
def database(django_db_setup, django_db_blocker, tmp_path_factory):
    """A database of the server's own. SQLite: a copy of the test database (seeds loaded).
    PostgreSQL: a new database, migrated, with a way to take it away (it refuses connections
    and its connections are ended) and give it back."""
    url = os.environ.get("DATABASE_URL", "")
    directory = tmp_path_factory.mktemp("db")
    if not url.startswith("postgres"):
        with django_db_blocker.unblock():
            connection.ensure_connection()
            target = sqlite3.connect(directory / "db.sqlite3")
            connection.connection.backup(target)
            target.close()
        yield SimpleNamespace(url=f"sqlite:///{directory / 'db.sqlite3'}", migrate=False)
        return
    import psycopg

    server, name = url.rsplit("/", 1)[0], "kraeftplan_topology"

    def admin(*statements):
        with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
            for statement in statements:
                db.execute(statement)

    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    try:
        yield SimpleNamespace(
            url=f"{server}/{name}",
            migrate=True,
            away=lambda: admin(
                f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false",
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'",
            ),
            back=lambda: admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true"),
        )
    finally:
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def stack(database, tmp_path_factory):
    """gunicorn (one worker, so that one process serves every request) behind deploy/nginx.conf;
    both always stopped at the end."""
    directory = tmp_path_factory.mktemp("stack")
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"RELEASE", "REDIS_URL"}},
        "DATABASE_URL": database.url,
        "CACHE_DIR": str(directory / "cache"),
        "DJANGO_SETTINGS_MODULE": "kraeftplan.settings.test",
        "TRUSTED_PROXY_COUNT": "1",
        "LOAD_SHED_QUEUE_MS": "500",
    }
    if database.migrate:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=600,
        )
    log = (directory / "gunicorn.log").open("w")
    gunicorn = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "kraeftplan.wsgi:application"),
            *("--bind", f"127.0.0.1:{GUNICORN_PORT}", "--workers", "1", "--timeout", "120"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    nginx = subprocess.Popen(
        nginx_command(nginx_config(directory)), stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert gunicorn.poll() is None, (directory / "gunicorn.log").read_text()
            assert nginx.poll() is None, (directory / "gunicorn.log").read_text()
            try:
                if request("GET", "/healthz", secure=False)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the stack did not answer"
            time.sleep(0.5)
        yield SimpleNamespace(gunicorn=gunicorn, database=database, env=env)
    finally:
        for process in (nginx, gunicorn):
            process.terminate()
        for process in (nginx, gunicorn):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def request(method, path, *, secure=True, source="127.0.0.1", headers=None, body=None):
    """One request to nginx from the given loopback address: (status, headers, text)."""
    if secure:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(
            "127.0.0.1", HTTPS_PORT, timeout=60, context=context, source_address=(source, 0)
        )
    else:
        conn = http.client.HTTPConnection(
            "127.0.0.1", HTTP_PORT, timeout=60, source_address=(source, 0)
        )
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        conn.close()


@needs_nginx
@uses_test_database
def test_nginx_answers_the_health_check_over_http_and_sends_the_rest_to_https(stack):
    status, headers, body = request("GET", "/healthz", secure=False)
    assert status == 200 and json.loads(body)["status"] == "ok"
    status, headers, _ = request("GET", "/planer/", secure=False)
    assert status == 301 and headers["Location"] == "https://127.0.0.1/planer/"
    # The public side (HTTPS) does not show how the backend is doing.
    assert request("GET", "/healthz")[0] == 404


@needs_nginx
@uses_test_database
def test_the_lockout_sees_the_client_nginx_saw_and_not_a_forged_header(stack):
    """The client connects from 127.0.0.2; nginx connects to gunicorn from 127.0.0.1."""
    client = "127.0.0.2"
    status, headers, page = request("GET", "/admin/login/", source=client)
    assert status == 200
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"])[1]
    data = form_data(SimpleNamespace(content=page.encode()), "login-form")
    data.update(username="ingen-bruger-topologi", password="forkert")
    status, _, _ = request(
        "POST",
        "/admin/login/",
        source=client,
        body=urllib.parse.urlencode(data, doseq=True),
        headers={
            "Cookie": f"csrftoken={cookie}",
            "Referer": "https://127.0.0.1/admin/login/",
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": "6.6.6.6",  # the client's own word: not read
        },
    )
    assert status == 200  # the form again, with the error
    addresses = attempts(stack.database.url, "ingen-bruger-topologi")
    assert addresses == [client]


def attempts(url, username):
    """Where the lockout recorded failed logins for username, read from the server's database."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            rows = db.execute(
                "SELECT ip_address FROM axes_accessattempt WHERE username = ?", (username,)
            ).fetchall()
    else:
        import psycopg

        with psycopg.connect(url) as db:
            rows = db.execute(
                "SELECT ip_address FROM axes_accessattempt WHERE username = %s", (username,)
            ).fetchall()
    return [str(row[0]) for row in rows]


def requests_in_a_child(count: int, path: str, source: str) -> subprocess.Popen[str]:
    """count requests at once, from a child process (threads here would leave this process with
    a larger address space, which the PDF renderer's limit in later tests counts against)."""
    script = (
        "import json, sys\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from tests.test_topology import request\n"
        "print('ready', flush=True)\n"
        f"with ThreadPoolExecutor(max_workers={count}) as pool:\n"
        f"    answers = list(pool.map(lambda _: request('GET', {path!r}, source={source!r}),"
        f" range({count})))\n"
        "json.dump([[s, dict(h), b] for s, h, b in answers], sys.stdout)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline() == "ready\n"
    return child  # sending now


def answers_of(child: subprocess.Popen[str]) -> list[tuple[int, dict[str, str], str]]:
    out, _ = child.communicate(timeout=120)
    assert child.returncode == 0
    return [(status, headers, body) for status, headers, body in json.loads(out)]


def gunicorn_worker(master: int) -> int:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            return int(stat.parent.name)
    raise AssertionError("no gunicorn worker")


@needs_nginx
@uses_test_database
def test_a_request_that_waited_behind_nginx_is_shed_and_the_next_is_served(stack):
    worker = gunicorn_worker(stack.gunicorn.pid)
    os.kill(worker, signal.SIGSTOP)  # the web process is busy: the request waits in the queue
    try:
        waiting = requests_in_a_child(1, "/planer/", "127.0.0.1")
        time.sleep(1.5)
    finally:
        os.kill(worker, signal.SIGCONT)
    results = answers_of(waiting)
    status, headers, body = results[0]
    assert status == 503
    assert headers["Retry-After"] == "5"
    assert "mange besøgende på Kræftplan-portalen" in body  # the portal's page, not nginx's
    assert request("GET", "/planer/")[0] == 200


@needs_nginx
@uses_test_database
def test_nginx_limits_a_client_that_sends_too_much_with_503_and_retry_after(stack):
    """60 requests at once from one client while the web process is busy: over the limits of
    20 a second (bursts of 40) and 30 connections, nginx answers at once; of those it lets
    through, the ones that then waited too long are shed by the portal."""
    worker = gunicorn_worker(stack.gunicorn.pid)
    os.kill(worker, signal.SIGSTOP)
    try:
        burst = requests_in_a_child(60, "/om-data/", "127.0.0.3")
        time.sleep(1.5)
        os.kill(worker, signal.SIGCONT)
        answers = answers_of(burst)
    finally:
        os.kill(worker, signal.SIGCONT)
    refused = [(headers, body) for status, headers, body in answers if status == 503]
    assert len(refused) + [status for status, _, _ in answers].count(200) == 60
    assert all(headers["Retry-After"] == "5" for headers, _ in refused)
    by_nginx = sum("For mange forespørgsler" in body for _, body in refused)
    by_portal = sum("mange besøgende" in body for _, body in refused)
    assert by_nginx >= 1 and by_nginx + by_portal == len(refused)
    time.sleep(1.0)
    assert request("GET", "/om-data/", source="127.0.0.4")[0] == 200  # and it recovers


@needs_nginx
@uses_test_database
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL only: SQLite is a file that does not go away under an open connection "
    "(tests/test_health.py has a real SQLite connection failure)",
)
def test_the_database_going_away_gives_503s_and_the_stored_pages_and_recovers(stack):
    assert request("GET", "/om-data/")[0] == 200  # stored in the page cache
    assert request("GET", "/om-data/")[0] == 200
    stack.database.away()
    try:
        status, _, body = request("GET", "/healthz", secure=False)
        assert status == 503
        checks = json.loads(body)["checks"]
        assert checks["database"]["ok"] is False and checks["cache"]["ok"] is True
        status, headers, body = request("GET", "/om-data/")
        assert status == 200  # the page stored before the database went away
        status, headers, body = request("GET", "/om-data/?efter=nedbrud")  # never stored
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert "Kræftplan-portalen kan ikke hente sine data lige nu" in body
    finally:
        stack.database.back()
    assert request("GET", "/healthz", secure=False)[0] == 200
    assert request("GET", "/om-data/?efter=nedbrud")[0] == 200
    assert stack.gunicorn.poll() is None  # no restart
