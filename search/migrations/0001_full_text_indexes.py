"""GIN indexes for the site search on PostgreSQL (search.queries.text_vector).

Each index is on exactly the expression the search matches, as Django writes it for PostgreSQL:
the planner uses an expression index only for the same expression. They are written out here,
not built from search.queries, so that a change to a kind's texts cannot pass unnoticed: the
test that every kind's search uses its index (tests/test_site_search.py) then fails until a new
migration indexes the new expression. SQLite has no GIN indexes; there this does nothing.
"""

from django.db import migrations

INDEXES = [
    (
        "search_fts_initiativer",
        "initiatives_initiative",
        """((setweight(to_tsvector('danish'::regconfig, COALESCE((COALESCE("initiatives_initiative"."number", '') || COALESCE((COALESCE('. ', '') || COALESCE("initiatives_initiative"."title", '')), '')), '')), 'A') || setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_initiative"."purpose", '') || ' ' || COALESCE("initiatives_initiative"."continuation", '') || ' ' || COALESCE("initiatives_initiative"."start", '')), 'B')))""",
    ),
    (
        "search_fts_status",
        "initiatives_publishedstatus",
        """((setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_publishedstatus"."wording", '')), 'A') || setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_publishedstatus"."narrative", '')), 'B')))""",
    ),
    (
        "search_fts_indsatser",
        "initiatives_measure",
        """((setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_measure"."title", '')), 'A') || setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_measure"."heading", '') || ' ' || COALESCE("initiatives_measure"."description", '') || ' ' || COALESCE("initiatives_measure"."economy", '') || ' ' || COALESCE("initiatives_measure"."indicator", '')), 'B')))""",
    ),
    (
        "search_fts_planer",
        "initiatives_plan",
        """((setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_plan"."name", '')), 'A') || setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_plan"."short_name", '') || ' ' || COALESCE("initiatives_plan"."vision", '') || ' ' || COALESCE("initiatives_plan"."summary", '') || ' ' || COALESCE("initiatives_plan"."adoption", '') || ' ' || COALESCE("initiatives_plan"."funding", '')), 'B')))""",
    ),
    (
        "search_fts_hovedelementer",
        "initiatives_mainelement",
        """((setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_mainelement"."title", '')), 'A') || setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_mainelement"."description", '') || ' ' || COALESCE("initiatives_mainelement"."start", '')), 'B')))""",
    ),
    (
        "search_fts_maal",
        "targets_nationaltarget",
        """((setweight(to_tsvector('danish'::regconfig, COALESCE("targets_nationaltarget"."title", '')), 'A') || setweight(to_tsvector('danish'::regconfig, COALESCE("targets_nationaltarget"."description", '') || ' ' || COALESCE("targets_nationaltarget"."monitoring", '') || ' ' || COALESCE("targets_nationaltarget"."status_text", '')), 'B')))""",
    ),
    (
        "search_fts_indikatorer",
        "targets_indicator",
        """((setweight(to_tsvector('danish'::regconfig, COALESCE("targets_indicator"."name", '')), 'A') || setweight(to_tsvector('danish'::regconfig, COALESCE("targets_indicator"."table_label", '') || ' ' || COALESCE("targets_indicator"."description", '') || ' ' || COALESCE("targets_indicator"."unit", '') || ' ' || COALESCE("targets_indicator"."source", '') || ' ' || COALESCE("targets_indicator"."caveats", '')), 'B')))""",
    ),
    (
        "search_fts_cases",
        "initiatives_publishedcase",
        """((setweight(to_tsvector('danish'::regconfig, COALESCE((COALESCE("initiatives_publishedcase"."label", '') || COALESCE((COALESCE('. ', '') || COALESCE("initiatives_publishedcase"."title", '')), '')), '')), 'A') || setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_publishedcase"."text", '')), 'B')))""",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, expression in INDEXES:
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" USING gin (({expression}))')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0013_published_copies"),
        ("targets", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
