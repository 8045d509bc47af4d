"""Tests: fast hashing, plain static storage (no collectstatic needed), in-memory e-mail."""

import tempfile
from pathlib import Path

from kraeftplan.env import env_str

from .base import *  # noqa: F403
from .base import DATABASES, MIDDLEWARE, REDIS_URL, STORAGES

DEBUG = False
KRAEFTPLAN_DEMO_USERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the finders here; whitenoise serves collected files in production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
# Files the tasks build never go to the checkout's media/ (each test gets its own directory,
# see conftest; this one is for what runs outside a test, such as session fixtures).
MEDIA_ROOT = Path(tempfile.gettempdir()) / "kraeftplan-test-media"
# Pages are stored per test process, so no run reads what an earlier one stored; the servers a
# test starts share the directory it gives them in CACHE_DIR (or the Redis in REDIS_URL).
if not (env_str("CACHE_DIR", "") or REDIS_URL):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The read replica (kraeftplan.dbrouter) as a test mirror of default: the same test database
# through a connection of its own. Public reads use it only where a test sets
# KRAEFTPLAN_READ_REPLICA = "replica" (tests/test_replica.py) and lets it reach that alias.
DATABASES = {**DATABASES, "replica": {**DATABASES["default"], "TEST": {"MIRROR": "default"}}}
KRAEFTPLAN_READ_REPLICA = ""
