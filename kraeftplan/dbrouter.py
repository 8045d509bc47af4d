"""Reads of the public side from a read replica (settings.KRAEFTPLAN_READ_REPLICA).

Only an anonymous GET or HEAD that the page store did not answer reads from the replica, and only
the public data (settings.KRAEFTPLAN_PUBLIC_DATA); every write, every logged-in request, the admin,
the task queue and the public data version go to the primary (default).

A publication must be seen at once, so the version token is read from the primary (by
kraeftplan.pagecache, as without a replica). Pages rendered from a replica that lags behind would
then be stored under the new token with the old data, and stay wrong until the next change. So
before a request reads from the replica, PublicReadsMiddleware compares the replica's token with
the primary's: every public change gives the token a new value in its own transaction, so an
equal token means the replica holds every public change up to the primary's latest. A replica
that is behind, or cannot be reached, is passed over for that request: its reads go to the
primary. The check costs two one-row queries, and only when the page store has no page.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

from .models import PublicDataVersion
from .pagecache import VERSION_PK, may_use_store, public_models

logger = logging.getLogger(__name__)

# The alias the public reads of this request go to ("" for the primary).
_public_reads: ContextVar[str] = ContextVar("kraeftplan_public_reads", default="")


@contextmanager
def public_reads(alias: str) -> Iterator[None]:
    """Within this block the public data is read from alias (the replica)."""
    reset = _public_reads.set(alias)
    try:
        yield
    finally:
        _public_reads.reset(reset)


@cache
def public_labels() -> frozenset[str]:
    """The models the replica serves: those of settings.KRAEFTPLAN_PUBLIC_DATA."""
    return frozenset(model._meta.label for model in public_models(settings.KRAEFTPLAN_PUBLIC_DATA))


class PublicReadRouter:
    """Public reads of a public request to the replica; all else, and all writes, to default."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        alias = _public_reads.get()
        if alias and model._meta.label in public_labels():
            return alias
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        # Explicitly default: Django would otherwise write an object back where it was read.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the primary's rows, so objects from either may be related.
        ours = {DEFAULT_DB_ALIAS, settings.KRAEFTPLAN_READ_REPLICA or DEFAULT_DB_ALIAS}
        if obj1._state.db in ours and obj2._state.db in ours:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        # A replica gets its schema from the primary by replication.
        return db == DEFAULT_DB_ALIAS


def _token(alias: str) -> str | None:
    token: str | None = (
        PublicDataVersion.objects.using(alias)
        .filter(pk=VERSION_PK)
        .values_list("token", flat=True)
        .first()
    )
    return token


def replica_caught_up(alias: str) -> bool:
    """Whether the replica has every public change the primary has (its version token is the
    primary's). False when the replica cannot be read: the primary answers instead."""
    primary = _token(DEFAULT_DB_ALIAS)
    try:
        replica = _token(alias)
    except DatabaseError:
        logger.warning("The read replica %r cannot be read; reading the primary", alias)
        return False
    return primary is not None and replica == primary


class PublicReadsMiddleware:
    """Sends the public reads of an anonymous GET or HEAD to the replica, when it has caught up.
    Placed after the page store, so a stored page costs the replica nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        alias = settings.KRAEFTPLAN_READ_REPLICA
        if not (alias and may_use_store(request) and replica_caught_up(alias)):
            return self.get_response(request)
        with public_reads(alias):
            return self.get_response(request)
