"""Typed readers for settings that come from the environment.

Each helper fails loudly (ImproperlyConfigured) on a value it cannot understand, so a typo in a
deployment stops the process at start-up instead of silently falling back to a default.
"""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# SQLite takes the write lock when a transaction begins, so that two writers queue (for up to
# 20 s) instead of one failing with "database is locked" when both upgrade a read to a write.
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20}
# A process keeps its connection for a minute (checked before reuse) rather than opening one per
# request: the stored public pages cost one query, and opening the connection cost more.
CONN_MAX_AGE = 60


def env_database(name: str, default_sqlite_path: Path | str) -> Mapping[str, Any]:
    """SQLite at default_sqlite_path when the variable is unset, else the URL it holds."""
    import dj_database_url

    url = os.environ.get(name)
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": default_sqlite_path,
            "OPTIONS": SQLITE_OPTIONS,
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
        }
    if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            f"{name} must be a postgres:// or sqlite:// URL, got {url.split(':', 1)[0]!r}."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        else:
            # A server that does not answer at all (a machine gone) fails in seconds, not after
            # the system's TCP timeout: the 503, /healthz and passing over a replica rely on it.
            timeout = env_int("DATABASE_CONNECT_TIMEOUT", 5)
            config["OPTIONS"] = {"connect_timeout": timeout, **config.get("OPTIONS", {})}
        return config
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} could not be parsed: {error}") from None
