"""A text's full-text vector kept in its row, for PostgreSQL's search.

A report's frozen page is megabytes at 100 times the data, and PostgreSQL's planner does not know
what computing its vector costs: with a handful of versions it scans them and builds every
vector again for each search (a second and more). Kept as a generated column, the vector is
built once, when the version is frozen. SQLite has no full-text types; there the column is NULL
and the search (search.queries) matches the text itself.
"""

from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql.compiler import SQLCompiler

CONFIG = "danish"


class StoredVector(SearchVector):
    """The text's vector in the Danish configuration on PostgreSQL; NULL on SQLite."""

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        return "NULL", ()
