"""Settings read the environment through helpers that fail loudly on bad values."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from kraeftplan import env


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("Off", False), ("0", False)]
)
def test_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("KP_FLAG", raw)
    assert env.env_bool("KP_FLAG", not expected) is expected


def test_a_bad_boolean_stops_start_up(monkeypatch):
    monkeypatch.setenv("KP_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="KP_FLAG"):
        env.env_bool("KP_FLAG", False)


def test_a_bad_integer_stops_start_up(monkeypatch):
    monkeypatch.setenv("KP_INT", "ten")
    with pytest.raises(ImproperlyConfigured):
        env.env_int("KP_INT", 1)


def test_a_missing_required_value_stops_start_up(monkeypatch):
    monkeypatch.delenv("KP_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="must be set"):
        env.env_str("KP_REQUIRED")


def test_sqlite_without_database_url_postgres_with_it(monkeypatch, tmp_path):
    monkeypatch.delenv("KP_DB", raising=False)
    config = env.env_database("KP_DB", tmp_path / "x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (60, True)
    monkeypatch.setenv("KP_DB", "postgres://u:p@db:5432/kraeftplan")
    config = env.env_database("KP_DB", tmp_path / "x.sqlite3")
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (60, True)
    assert (config["ENGINE"], config["NAME"], config["HOST"]) == (
        "django.db.backends.postgresql",
        "kraeftplan",
        "db",
    )
    assert config["OPTIONS"]["connect_timeout"] == 5  # a server that never answers fails fast
    monkeypatch.setenv("KP_DB", "mysql://u@db/x")
    with pytest.raises(ImproperlyConfigured, match="postgres"):
        env.env_database("KP_DB", tmp_path / "x.sqlite3")


def test_lists(monkeypatch):
    monkeypatch.setenv("KP_HOSTS", "a.dk, b.dk,")
    assert env.env_list("KP_HOSTS", []) == ["a.dk", "b.dk"]


def test_production_refuses_a_weak_secret_key(monkeypatch):
    import importlib
    import sys

    monkeypatch.setenv("SECRET_KEY", "short")
    sys.modules.pop("kraeftplan.settings.prod", None)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        importlib.import_module("kraeftplan.settings.prod")


def test_production_settings_pass_the_deployment_checks(tmp_path):
    import os
    import secrets
    import subprocess
    import sys

    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "kraeftplan.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "kraeftplan.example.dk",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        # The accessibility statement's contact (kraeftplan.checks warns without it).
        "FEEDBACK_EMAIL": "tilgaengelighed@example.dk",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("settings_module", ["kraeftplan.settings.dev", "kraeftplan.settings.prod"])
def test_a_line_from_the_task_worker_is_logged_once(tmp_path, settings_module):
    import os
    import secrets
    import subprocess
    import sys

    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "kraeftplan.example.dk",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.tasks').info('opgave kørt'); "
        "logging.getLogger('django.request').error('fejl i forespørgsel')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("opgave kørt") == 1, result.stderr
    assert result.stderr.count("fejl i forespørgsel") == 1, result.stderr
