"""Development: debug on, console e-mail, demo users allowed."""

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = True
KRAEFTPLAN_DEMO_USERS = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
