"""Response headers Django has no setting for (Permissions-Policy, private pages kept out of
caches), the health check, load shedding, and the 503 when the database is down."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control

from .health import DATABASE_UNAVAILABLE, database_unavailable, healthz, unavailable

logger = logging.getLogger(__name__)
HEALTH_CHECK_PATH = "/healthz"


def permissions_policy(policy: dict[str, list[str]]) -> str:
    """settings.PERMISSIONS_POLICY as the header value: camera=(), fullscreen=(self)."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header to every response that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PrivatePagesMiddleware:
    """A page answered to a logged-in user is theirs alone: `Cache-Control: private, no-store`,
    so that no browser cache or proxy keeps a contributor's draft or a staff export. (Placed
    after AuthenticationMiddleware; a response that sets its own Cache-Control keeps it.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response


class HealthCheckMiddleware:
    """Answers /healthz first of all: before the host check and the HTTPS redirect (Docker and
    the proxy ask by address over plain HTTP), and before the page cache, the session and the
    load shedding. Never stored, sets no cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path == HEALTH_CHECK_PATH:
            return healthz(request)
        return self.get_response(request)


def request_waited(header: str, now: float) -> float | None:
    """Seconds since the proxy received the request, from X-Request-Start: "t=1700000000.123"
    (nginx's $msec, seconds) or "t=1700000000123" (milliseconds); None if unreadable."""
    value = header.strip().removeprefix("t=")
    try:
        started = float(value)
    except ValueError:
        return None
    if started > 1e14:  # microseconds
        started /= 1e6
    elif started > 1e11:  # milliseconds
        started /= 1e3
    return now - started


class LoadSheddingMiddleware:
    """Under a burst, answers the Danish 503 with Retry-After at once to a request that has
    already waited longer than LOAD_SHED_QUEUE_MS in front of the web processes (the proxy stamps
    X-Request-Start), instead of doing work for a client that has likely given up and making
    every later request wait longer still. 0 turns it off. /healthz and static files are never
    shed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.limit = settings.LOAD_SHED_QUEUE_MS / 1000
        self.static = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        header = request.META.get("HTTP_X_REQUEST_START")
        if (
            self.limit > 0
            and header
            and not request.path.startswith(self.static)
            and request.path != HEALTH_CHECK_PATH
        ):
            waited = request_waited(header, time.time())
            if waited is not None and waited > self.limit:
                logger.warning("Shed %s after %.1f s in the queue", request.path, waited)
                return unavailable(request, settings.LOAD_SHED_RETRY_AFTER, "load")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers the Danish 503 with Retry-After, not a
    500. (A failure before the view, in the page cache, reaches the same page through
    kraeftplan.views.server_error.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable(request, exception)
        return None
