"""Development: debug on, console e-mail, demo users allowed."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, STORAGES

DEBUG = True
KRAEFTPLAN_DEMO_USERS = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the finders here; whitenoise serves collected files in production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
