"""Make SQLite's LIKE fold case for every letter, not only ASCII.

SQLite's built-in LIKE matches "ærø" against "ÆRØ" only on PostgreSQL-like terms for ASCII, so a
search for "øget" would miss "Øget kapacitet" on the embedded database. SQLite lets an application
replace like(); this one folds case with Python's str.casefold, as PostgreSQL's ILIKE does.
"""

import re
from functools import lru_cache
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper


@lru_cache(maxsize=512)
def _compile(pattern: str, escape: str | None) -> re.Pattern[str]:
    parts: list[str] = []
    chars, i = pattern, 0
    while i < len(chars):
        char = chars[i]
        if escape and char == escape and i + 1 < len(chars):
            parts.append(re.escape(chars[i + 1]))
            i += 2
            continue
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        i += 1
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def like(pattern: object, value: object, escape: str | None = None) -> bool | None:
    if pattern is None or value is None:
        return None
    return _compile(str(pattern).casefold(), escape).fullmatch(str(value).casefold()) is not None


def install_unicode_like(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, like, deterministic=True)
        connection.connection.create_function("like", 3, like, deterministic=True)
