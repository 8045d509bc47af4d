"""What a load balancer and Docker ask every few seconds (/healthz), and the Danish 503 page the
portal answers when it cannot serve: the database is down, or the request waited too long.

The health check costs one trivial query on the database (and one on a read replica in use),
one set and one get in the page cache, and one query for the age of the oldest waiting task
(reported, never a failure)."""

import logging
import os
import time
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csp import get_nonce
from django.template import loader
from django.utils import timezone
from django.utils.csp import CONTEXT_KEY as CSP_CONTEXT_KEY
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# Failures of the connection to the database, not of a query: these make a 503, not a 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def check_database(alias: str) -> dict[str, Any]:
    started = time.monotonic()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_cache(alias: str) -> dict[str, Any]:
    started = time.monotonic()
    key, value = f"healthz:{os.getpid()}", uuid.uuid4().hex
    try:
        cache = caches[alias]
        cache.set(key, value, 30)
        if cache.get(key) != value:
            return {"ok": False, "error": "the value set was not read back"}
    except Exception as error:  # any backend: Redis, files, memory
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def oldest_waiting_task(now: datetime) -> dict[str, Any]:
    """How long the oldest task ready to run has waited (seconds; None when the queue is empty)."""
    try:
        waiting = DBTaskResult.objects.ready().order_by("enqueued_at").first()
    except DatabaseError as error:
        return {"error": type(error).__name__}
    if waiting is None:
        return {"oldest_waiting_seconds": None}
    # A task with no run_after holds the greatest date; a ready one is otherwise due already.
    since = waiting.enqueued_at if waiting.run_after > now else waiting.run_after
    since = max(since, waiting.enqueued_at)
    return {"oldest_waiting_seconds": round((now - since).total_seconds())}


def healthz(request: HttpRequest) -> JsonResponse:
    """503 when the database does not answer: the node cannot serve. Otherwise 200, with
    "degraded" when the page cache fails: the node still serves every page, rendering it
    (slower), and every node shares the one Redis, so a balancer that took nodes out on it would
    take out all of them. The body says which part fails. The read replica in use
    (kraeftplan.dbrouter) and the task queue are reported only: without the replica the primary
    answers the public reads."""
    checks: dict[str, dict[str, Any]] = {
        "database": check_database("default"),
        "cache": check_cache(settings.KRAEFTPLAN_PAGE_CACHE),
    }
    healthy = checks["database"]["ok"]
    status = "fail" if not healthy else "ok" if checks["cache"]["ok"] else "degraded"
    body: dict[str, Any] = {"status": status, "checks": checks}
    if replica := settings.KRAEFTPLAN_READ_REPLICA:
        body["replica"] = check_database(replica)
    if checks["database"]["ok"]:
        body["tasks"] = oldest_waiting_task(timezone.now())
    response = JsonResponse(body, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def unavailable(request: HttpRequest, retry_after: int, reason: str) -> HttpResponse:
    """The Danish 503 page with Retry-After. Rendered without a request context, so that it
    needs neither the database nor the session (templates/503.html carries its own style)."""
    html = loader.render_to_string(
        "503.html", {CSP_CONTEXT_KEY: get_nonce(request), "reason": reason}
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    # It may be answered before the security middleware (load shedding, the page store): the
    # page has its own headers. Its one inline style is ours and the page shows no input.
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", UNAVAILABLE_CSP)
    if request.is_secure() and settings.SECURE_HSTS_SECONDS:
        response.headers.setdefault(
            "Strict-Transport-Security", f"max-age={settings.SECURE_HSTS_SECONDS}"
        )
    return response


UNAVAILABLE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
LOG_EVERY_SECONDS = 10.0
_last_logged = {"database": 0.0}


def database_unavailable(request: HttpRequest, error: BaseException) -> HttpResponse:
    # Once in a while, not for every request of an outage.
    if time.monotonic() - _last_logged["database"] >= LOG_EVERY_SECONDS:
        _last_logged["database"] = time.monotonic()
        logger.error("The database is unavailable: %s", error)
    return unavailable(request, settings.DATABASE_DOWN_RETRY_AFTER, "database")
