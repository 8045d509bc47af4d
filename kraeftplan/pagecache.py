"""Whole public pages kept in Django's cache, keyed by the public data version.

Every change the public can see (a save or delete of a public model, a publication or a
correction, a bulk update that calls public_data_changed()) gives the one PublicDataVersion row a
new token, in the same transaction as the change. A stored page's key holds the token it was
rendered under, so the change makes every stored page unreachable at once, in every process that
shares the database: nothing is deleted, stale entries are never read again and expire.

Only anonymous requests use the store. A request with a session cookie (a logged-in user, or
one who was) always goes to the views, and its response is never stored.
"""

import gzip
import hashlib
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.models import Min, Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from .health import database_unavailable
from .models import PublicDataVersion

logger = logging.getLogger(__name__)

VERSION_PK = 1
# URL names whose pages are for logged-in users or carry a form (see tests/test_headers.py).
PRIVATE_NAMESPACES = frozenset({"admin", "contributions"})
PRIVATE_NAMES = ("login", "logout", "password_")
# A page is stored whatever it varies on only if that is something the key holds.
KEYED_VARY = frozenset({"cookie", "accept-language"})
# Browsers and proxies may keep a copy but must ask again each time: a publication is then seen
# at once everywhere, and asking costs one query and a 304 with no body.
CACHE_CONTROL = "public, no-cache"


# --- The version -----------------------------------------------------------------------------


def current_version(using: str = DEFAULT_DB_ALIAS) -> tuple[str, datetime]:
    """The token and time of the last public change (one query; and a new token first when an
    embargo has ended since).

    Read with a prepared statement rather than the ORM: every anonymous request pays for it, and
    building the query costs more than running it."""
    with connections[using].cursor() as cursor:
        cursor.execute(_version_sql(using), [VERSION_PK])
        row = cursor.fetchone()
    if row is None:
        return "none", datetime(2000, 1, 1, tzinfo=UTC)
    token, changed_at, next_change_at = row[0], _aware(row[1]), _aware(row[2])
    if next_change_at is not None and next_change_at <= timezone.now():
        return public_data_changed(using, reschedule=True)
    assert changed_at is not None
    return token, changed_at


@cache
def _version_sql(using: str) -> str:
    quote = connections[using].ops.quote_name
    table = quote(PublicDataVersion._meta.db_table)
    columns = ", ".join(quote(name) for name in ("token", "changed_at", "next_change_at"))
    return f"SELECT {columns} FROM {table} WHERE {quote('id')} = %s"


def _aware(value: datetime | str | None) -> datetime | None:
    """A time as the database gave it (SQLite: text in UTC) as an aware datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def public_data_changed(
    using: str = DEFAULT_DB_ALIAS, *, reschedule: bool = False
) -> tuple[str, datetime]:
    """Record that the public can see something new: stored pages are not served again.

    Runs in the caller's transaction, so the new token becomes visible together with the change
    (and disappears with it on a rollback). Call it after a bulk update that sends no signals.
    reschedule: also look up when the next embargo ends (after a change to those times)."""
    token, now = uuid.uuid4().hex, timezone.now()
    values: dict[str, Any] = {"token": token, "changed_at": now}
    if reschedule:
        values["next_change_at"] = next_scheduled_change(now, using)
    versions = PublicDataVersion.objects.using(using)
    if not versions.filter(pk=VERSION_PK).update(**values):
        values.setdefault("next_change_at", next_scheduled_change(now, using))
        versions.update_or_create(pk=VERSION_PK, defaults=values)
    return token, now


def scheduled_fields() -> list[tuple[type[Model], str]]:
    """settings.KRAEFTPLAN_PUBLIC_FROM as (model, field name)."""
    return [
        (apps.get_model(label.rsplit(".", 1)[0]), label.rsplit(".", 1)[1])
        for label in settings.KRAEFTPLAN_PUBLIC_FROM
    ]


def next_scheduled_change(now: datetime, using: str) -> datetime | None:
    """The earliest time after now at which something becomes public by itself."""
    times = [
        model._default_manager.using(using)
        .filter(**{f"{field}__gt": now})
        .aggregate(first=Min(field))["first"]
        for model, field in scheduled_fields()
    ]
    return min((time for time in times if time is not None), default=None)


def _changed(sender: type[Model], using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    if kwargs.get("action", "post_").startswith("post_"):
        scheduled = {model for model, _field in scheduled_fields()}
        public_data_changed(using, reschedule=sender in scheduled)


def _after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    # A data migration changes rows without the signals of the current models.
    if PublicDataVersion._meta.db_table in _tables(using):
        public_data_changed(using, reschedule=True)


def _tables(using: str) -> list[str]:
    return connections[using].introspection.table_names()


def public_models(labels: Iterable[str]) -> list[type[Model]]:
    """The models named by settings.KRAEFTPLAN_PUBLIC_DATA: "app" for every model of an app,
    "app.Model" for one; with the tables of their many-to-many fields."""
    found: list[type[Model]] = []
    for label in labels:
        if "." in label:
            found.append(apps.get_model(label))
        else:
            found.extend(apps.get_app_config(label).get_models())
    throughs = [
        field.remote_field.through for model in found for field in model._meta.local_many_to_many
    ]
    return [*found, *(through for through in throughs if through is not None)]


def connect_signals() -> None:
    """Give the version a new token on every save and delete of a model the public reads."""
    setting_changed.connect(store_breaker.reset, dispatch_uid="page_store_breaker")
    for model in public_models(settings.KRAEFTPLAN_PUBLIC_DATA):
        uid = f"public_data_changed:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
        m2m_changed.connect(_changed, sender=model, dispatch_uid=uid)


def connect_migrate(sender: Any) -> None:
    post_migrate.connect(_after_migrate, sender=sender, dispatch_uid="public_data_migrated")


# --- The store -------------------------------------------------------------------------------


class Entry(TypedDict):
    """A stored page: its body gzip-compressed (as most clients take it, and small in the
    store), and its headers as they left the middleware below this one."""

    gzipped: bytes
    headers: list[tuple[str, str]]


@cache
def release() -> str:
    """What the running code is: stored pages of another release are not read. From RELEASE in
    the environment, else from the names, sizes and times of the templates, translations, static
    manifest and Python files, which all processes of one installation share."""
    if name := os.environ.get("RELEASE"):
        return name
    base = Path(settings.BASE_DIR)
    digest = hashlib.md5(usedforsecurity=False)
    ours = [app for app in settings.INSTALLED_APPS if (base / app).is_dir()]
    for app in ("templates", "locale", *ours):
        for path in sorted((base / app).rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".mo", ".json"} and path.is_file():
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns};".encode()
                )
    manifest = base / "staticfiles" / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:12]


def page_key(request: HttpRequest, token: str) -> str:
    """The store's key: code release, data version, language, and the full address (a HEAD
    request reads what a GET stored)."""
    # The language of a public page is its address's (i18n_patterns without a prefix for the
    # default language; LocaleMiddleware reads nothing else for them).
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    address = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False)
    return f"page:{release()}:{token}:{language}:{address.hexdigest()}"


def may_use_store(request: HttpRequest) -> bool:
    """An anonymous GET or HEAD for a page (not a static file): no session cookie, no
    credentials, and not a plain-HTTP request that SecurityMiddleware redirects."""
    return (
        request.method in ("GET", "HEAD")
        and not request.path_info.startswith(_static_prefix())
        and (request.is_secure() or not settings.SECURE_SSL_REDIRECT)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


@cache
def _static_prefix() -> str:
    return "/" + settings.STATIC_URL.lstrip("/")


def is_public_page(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    name = match.url_name or ""
    return (
        not PRIVATE_NAMESPACES.intersection(match.namespaces)
        and not name.startswith(PRIVATE_NAMES)
        and "preview" not in name  # a report preview is for staff
    )


class ReadQueryDict(QueryDict):
    """request.GET that notes which parameters were looked up by name: those the view (or its
    filter form, paging, sorting, download) reads. A page whose address has a parameter nobody
    read is not stored: /planer/?x=1, ?x=2, … would otherwise each become an entry and push the
    site's own pages out of the store. (A copy, as links are built from, starts a new record.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.looked_up: set[str] = set()
        super().__init__(*args, **kwargs)
        self.looked_up.clear()  # parsing the address looks its parameters up

    def __getitem__(self, key: str) -> Any:
        self.looked_up.add(key)
        return super().__getitem__(key)

    def _getlist(self, key: str, *args: Any, **kwargs: Any) -> Any:
        self.looked_up.add(key)
        return super()._getlist(key, *args, **kwargs)  # type: ignore[misc]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.looked_up.add(key)
        return super().__contains__(key)


def all_parameters_read(request: HttpRequest) -> bool:
    query = request.GET
    return not isinstance(query, ReadQueryDict) or set(query.keys()) <= query.looked_up


def may_store(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A public page, the same for every anonymous visitor, and small enough."""
    vary = {v.strip().lower() for v in response.headers.get("Vary", "").split(",") if v.strip()}
    cache_control = response.headers.get("Cache-Control", "")
    return (
        # A HEAD is answered by the same view as a GET, with the same body (the server drops
        # it): stored, it gives a HEAD the headers a GET gets, and the next GET its page.
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and isinstance(response, HttpResponse)
        and not response.cookies
        # A request that brought a CSRF cookie may have a page with a token made from it.
        and settings.CSRF_COOKIE_NAME not in request.COOKIES
        and vary <= KEYED_VARY
        and "private" not in cache_control
        and "no-store" not in cache_control
        # A page that used the CSP nonce (the admin's) is unique to its request.
        and not getattr(request, "_csp_nonce", None)
        and "nonce-" not in response.headers.get("Content-Security-Policy", "")
        and len(response.content) <= settings.KRAEFTPLAN_PAGE_CACHE_MAX_BYTES
        and is_public_page(request)
        and all_parameters_read(request)
    )


class StoreBreaker:
    """The pages are rendered when the store is down (Redis stopped, a full disk): slower, not
    broken. After a failure the store is left alone for RETRY_SECONDS, since every attempt
    would cost a request the cache client's connection retries (seconds, with Redis stopped);
    the first failure of an outage is logged with its traceback, not every request's."""

    RETRY_SECONDS = 5.0

    def __init__(self) -> None:
        self.down_until: float | None = None

    def closed(self) -> bool:
        return self.down_until is None or time.monotonic() >= self.down_until

    def failed(self, action: str) -> None:
        if self.down_until is None:
            logger.warning("The page store cannot be %s; pages are rendered", action, exc_info=True)
        self.down_until = time.monotonic() + self.RETRY_SECONDS

    def worked(self) -> None:
        if self.down_until is not None:
            logger.warning("The page store answers again")
            self.down_until = None

    def reset(self, setting: str = "CACHES", **kwargs: Any) -> None:
        """Another cache configured (tests): ask it at once."""
        if setting == "CACHES":
            self.down_until = None


store_breaker = StoreBreaker()


def read_store(key: str) -> Entry | None:
    if not store_breaker.closed():
        return None
    try:
        entry: Entry | None = caches[settings.KRAEFTPLAN_PAGE_CACHE].get(key)
    except Exception:
        store_breaker.failed("read")
        return None
    store_breaker.worked()
    return entry


def write_store(key: str, entry: Entry) -> None:
    if not store_breaker.closed():
        return
    try:
        caches[settings.KRAEFTPLAN_PAGE_CACHE].set(
            key, entry, settings.KRAEFTPLAN_PAGE_CACHE_SECONDS
        )
    except Exception:
        store_breaker.failed("written")
        return
    store_breaker.worked()


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether Accept-Encoding names gzip with a weight above 0 ("gzip;q=0" refuses it)."""
    for part in request.headers.get("Accept-Encoding", "").lower().split(","):
        coding, *params = (piece.strip() for piece in part.split(";"))
        if coding in ("gzip", "x-gzip"):
            weights = [p.removeprefix("q=") for p in params if p.startswith("q=")]
            try:
                return not weights or float(weights[0]) > 0
            except ValueError:
                return False
    return False


def stored_response(request: HttpRequest, entry: Entry) -> HttpResponse:
    """The stored page, gzip-compressed for a client that accepts it, else as rendered."""
    headers = dict(entry["headers"])
    if accepts_gzip(request):
        content = entry["gzipped"]
        headers["Content-Encoding"] = "gzip"
    else:
        content = gzip.decompress(entry["gzipped"])
    headers["Content-Length"] = str(len(content))
    return HttpResponse(content, headers=headers)


def entry_for(response: HttpResponse, changed_at: datetime) -> Entry:
    """What is stored of a public page: the validators and cache headers added, the body
    compressed. The ETag is weak: the compressed and the plain body are the same page."""
    etag = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
    response.headers["ETag"] = f'W/"{etag}"'
    response.headers["Last-Modified"] = http_date(changed_at.timestamp())
    response.headers["Cache-Control"] = CACHE_CONTROL
    # A logged-in user's copy is another page; a compressed copy is sent to who accepts it.
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in ("content-length", "content-encoding")
    ]
    return Entry(gzipped=gzip.compress(response.content, compresslevel=6, mtime=0), headers=headers)


class PublicPageCacheMiddleware:
    """Serves anonymous requests for public pages from the store, and stores what it may.

    Responses it stores or serves carry an ETag (of the content), Last-Modified (the public data
    version's time) and Cache-Control: public, no-cache, and become 304s for a client that
    already has them. A response to a request with a session cookie is marked private."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        # The version this process read last: while the database cannot be reached (and nothing
        # can change), the pages stored under it are still served.
        self.last_version: tuple[str, datetime] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not may_use_store(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                response.headers.setdefault("Cache-Control", "private")
            return response

        try:
            token, changed_at = self.last_version = current_version()
        except (OperationalError, InterfaceError) as error:
            # The page stored under the version seen last, else the Danish 503.
            entry = None
            if self.last_version is not None:
                token, changed_at = self.last_version
                entry = read_store(page_key(request, token))
            if entry is None:
                return database_unavailable(request, error)
            return self.conditional(request, stored_response(request, entry), changed_at)
        key = page_key(request, token)
        entry = read_store(key)
        if entry is None:
            request.GET = ReadQueryDict(  # type: ignore[assignment]
                request.META.get("QUERY_STRING", ""), encoding=request.encoding
            )
            response = self.get_response(request)
            if not may_store(request, response):
                return response
            assert isinstance(response, HttpResponse)  # may_store checked it
            entry = entry_for(response, changed_at)
            write_store(key, entry)
        return self.conditional(request, stored_response(request, entry), changed_at)

    @staticmethod
    def conditional(
        request: HttpRequest, response: HttpResponse, changed_at: datetime
    ) -> HttpResponseBase:
        answer = get_conditional_response(
            request,
            etag=response.headers.get("ETag"),
            last_modified=int(changed_at.timestamp()),
            response=response,
        )
        return answer or response
