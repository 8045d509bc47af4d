"""Settings shared by every environment. Environment-specific modules import * from here."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import django_stubs_ext
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from kraeftplan.env import env_bool, env_database, env_int, env_list, env_str

# Lets the type annotations subscript Django's generic classes (admin.ModelAdmin[Plan],
# forms.ModelForm[Case]) where they are evaluated at run time: in class bases.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-not-for-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # the search vector field (kraeftplan.fulltext)
    "django_filters",
    "django_tables2",
    "simple_history",
    "accounts.apps.LockoutConfig",  # django-axes
    "django_tasks_db",
    "kraeftplan",
    "accounts",
    "initiatives",
    "budget",
    "targets",
    "contributions",
    "opendata",
    "reports",
    "dashboard",
    "search",
    "fixtures",
]

MIDDLEWARE = [
    # First: /healthz answers for any host, over HTTP, without the page cache (see TOPOLOGY).
    "kraeftplan.middleware.HealthCheckMiddleware",
    # A request that waited too long behind the proxy is answered 503 before it costs anything.
    "kraeftplan.middleware.LoadSheddingMiddleware",
    # Then a stored public page is answered from here, with the headers the middleware below
    # gave it when it was stored (security, CSP without a nonce, permissions policy).
    "kraeftplan.pagecache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "kraeftplan.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A request the store did not answer: public reads from the replica, if there is one.
    "kraeftplan.dbrouter.PublicReadsMiddleware",
    "kraeftplan.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kraeftplan.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a login refused for a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kraeftplan.urls"
WSGI_APPLICATION = "kraeftplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", BASE_DIR / "db.sqlite3")}

# --- Beyond one machine: a read replica for the public side (kraeftplan.dbrouter) ---
# With DATABASE_REPLICA_URL, anonymous GET/HEAD requests read the public data from the replica
# once it has caught up with the primary's public data version; everything else uses default.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", "")
KRAEFTPLAN_READ_REPLICA = "replica" if DATABASE_REPLICA_URL else ""
DATABASE_ROUTERS = ["kraeftplan.dbrouter.PublicReadRouter"]
# --- end: read replica ---
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds whole public pages (kraeftplan.pagecache). Redis where REDIS_URL is set (several
# processes or machines); otherwise files in a directory that the processes of one machine share.
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable Redis costs a request at most this, not the client's 5 s default.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
        if REDIS_URL
        else {
            "BACKEND": "kraeftplan.filecache.UncompressedFileCache",
            "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / ".cache" / "django")),
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20000)},
        }
    )
}
KRAEFTPLAN_PAGE_CACHE = "default"
# A page is kept this long at most; a public change makes it unreachable at once anyway.
KRAEFTPLAN_PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60 * 60)
KRAEFTPLAN_PAGE_CACHE_MAX_BYTES = 4 * 1024 * 1024
# What the public reads: every model of these apps, and these single models. A save or delete of
# one gives the public data version a new token (kraeftplan.pagecache.connect_signals).
KRAEFTPLAN_PUBLIC_DATA = ["initiatives", "budget", "targets", "reports", "accounts.Organisation"]
# Times from which something becomes public by itself (an embargo): the first request after the
# earliest future one gives the version a new token.
KRAEFTPLAN_PUBLIC_FROM = ["initiatives.PublicYear.public_from", "reports.AnnualReport.published_at"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Login lockout by django-axes, before the login itself. Both read a user name the same way
# (accounts.security.normal_username), so its spellings share one counter.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.security.NormalUsernameBackend",
]
KRAEFTPLAN_LOCKOUT_ATTEMPTS = 5
KRAEFTPLAN_LOCKOUT_MINUTES = 15
AXES_FAILURE_LIMIT = KRAEFTPLAN_LOCKOUT_ATTEMPTS
AXES_COOLOFF_TIME = timedelta(minutes=KRAEFTPLAN_LOCKOUT_MINUTES)
# By user name (an account is locked wherever the guesses come from) and by client address (one
# client cannot try a password against many user names).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "accounts.security.lockout_username"
AXES_LOCKOUT_CALLABLE = "accounts.security.locked_out"
AXES_RESET_ON_SUCCESS = True
# No log of successful logins (less personal data); failures are kept for the cool-off only.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False  # accounts.admin shows the attempts, in Danish
# The client's address (kraeftplan.clients.client_address): REMOTE_ADDR, or behind this many
# reverse proxies that each append to X-Forwarded-For, the address the outermost one saw.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "kraeftplan.clients.client_address"
# Password reset e-mails: per address and per client within the window.
KRAEFTPLAN_RESET_WINDOW_MINUTES = 60
KRAEFTPLAN_RESET_PER_ADDRESS = 3
KRAEFTPLAN_RESET_PER_CLIENT = 10

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
# Grouping is applied where numbers are shown (kraeftplan.formatting); years stay "2020".
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "kraeftplan.staticfinders.PlotlyFinder",
]
# Files the portal builds itself (the open-data zip, published report PDFs); served by views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # The data zip and report PDFs (kraeftplan.files): under MEDIA_ROOT, or see below.
    "published": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}

# --- Beyond one machine: published files on object storage (README "Beyond one machine") ---
# With a bucket, the data zip and report PDFs go to S3 (or MinIO at S3_ENDPOINT_URL) instead of
# MEDIA_ROOT, so every web and worker machine reads the same files. Credentials: the usual
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, else boto3's own chain (an instance role).
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    S3_ENDPOINT_URL = env_str("S3_ENDPOINT_URL", "")
    STORAGES["published"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": S3_ENDPOINT_URL or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "location": env_str("AWS_LOCATION", ""),
            # A MinIO (or other) endpoint answers at /bucket/key, not bucket.host/key.
            "addressing_style": "path" if S3_ENDPOINT_URL else None,
            "signature_version": "s3v4",
            "file_overwrite": True,  # a new build replaces the object under the same name
            "default_acl": None,  # private: the portal streams the files, nobody reads the bucket
            "querystring_auth": True,
        },
    }
# --- end: published files on object storage ---

# Work off the request path (the data zip, published PDFs, e-mails) is queued in the database
# and run by `manage.py db_worker` (the `worker` service in docker-compose).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- TOPOLOGY: health, load shedding, database down (kraeftplan.health, kraeftplan.middleware) ---
# A request that waited longer than this in front of the web processes (X-Request-Start, set by
# the proxy) is answered 503 at once; 0 turns shedding off.
LOAD_SHED_QUEUE_MS = env_int("LOAD_SHED_QUEUE_MS", 2000)
LOAD_SHED_RETRY_AFTER = env_int("LOAD_SHED_RETRY_AFTER", 5)
DATABASE_DOWN_RETRY_AFTER = env_int("DATABASE_DOWN_RETRY_AFTER", 30)
# A task RUNNING longer than this has lost its worker (killed, its machine gone): the worker
# puts it back in the queue (kraeftplan.tasks). Longer than any task runs; PDFs stop at 60 s.
TASK_STALE_SECONDS = env_int("TASK_STALE_SECONDS", 15 * 60)
# --- end TOPOLOGY ---

# The PDF renderer's child process: address space and CPU seconds (also the wall-clock wait).
PDF_RENDER_MEMORY_BYTES = env_int("PDF_RENDER_MEMORY_BYTES", 1024**3)
PDF_RENDER_SECONDS = env_int("PDF_RENDER_SECONDS", 60)
# A draft's PDF is rendered in the staff member's request: it stops before gunicorn's timeout
# (30 s by default) ends the request, and dies with the worker if that is killed anyway.
PDF_PREVIEW_SECONDS = env_int("PDF_PREVIEW_SECONDS", 25)

# Where readers send feedback on accessibility (the statement at /tilgaengelighed/ shows it).
# Empty: the statement names Sundhedsministeriet without an address, and `check --deploy` warns.
KRAEFTPLAN_FEEDBACK_EMAIL = env_str("FEEDBACK_EMAIL", "")

# The portal's public address: e-mails link to it (no trailing slash).
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kræftplan-portalen <noreply@localhost>")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "contributions:contribution_list"
LOGOUT_REDIRECT_URL = "dashboard:home"

# Cookies: public pages set none (the language choice is a link, not a form). Pages with a form
# set csrftoken; logging in sets sessionid. Both end when the browser closes, and the
# accessibility statement (templates/pages/accessibility.html) says so: keep the two in step.
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_AGE = None  # a browser-session cookie instead of Django's default of a year
CSRF_COOKIE_HTTPONLY = True
# Messages live in the session of the logged-in user who gets them: no "messages" cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Everything the pages load comes from our own static files (DKFDS, plotly.js, the admin's). No
# inline script or style: charts are SVG drawn on the server, coloured by attributes and our CSS;
# plotly.js, loaded on a reader's click, reads its figure from <script type="application/json">
# and writes its styles into a static sheet (static/js/charts.js); it needs no 'unsafe-eval'.
# The nonce is for the admin's own templates (Django's admin is CSP-ready and marks its inline
# <style> with it); it appears in the header only on a page that used it.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Browser features the portal never uses, switched off for it and anything it could embed
# (kraeftplan.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Demo users are created by the run command only where this is true (development).
KRAEFTPLAN_DEMO_USERS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO; only its warnings matter here.
    # Axes reports every login at INFO; failures and lockouts come at WARNING.
    "loggers": {
        # Django's own "django" handler prints with DEBUG on; ours prints always. One of them,
        # or every line from Django (the task worker's included) comes twice.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # A request for another host name is answered 400; no traceback in the log for each.
        "django.security.DisallowedHost": {"level": "CRITICAL", "propagate": False},
    },
}
