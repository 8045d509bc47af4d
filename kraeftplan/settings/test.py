"""Tests: fast hashing, plain static storage (no collectstatic needed), in-memory e-mail."""

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = False
KRAEFTPLAN_DEMO_USERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
