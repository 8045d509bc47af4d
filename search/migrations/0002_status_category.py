"""A status is also found by its category as the Danish pages name it ("Tidsplanen er skubbet"):
the status index is made again on the search's new expression (search.queries.text_vector)."""

from django.db import migrations

NAME, TABLE = "search_fts_status", "initiatives_publishedstatus"
EXPRESSION = """(setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_publishedstatus"."wording", '')), 'A') || setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_publishedstatus"."narrative", '') || ' ' || COALESCE(CASE WHEN "initiatives_publishedstatus"."category" = 'on_track' THEN 'Følger tidsplanen' WHEN "initiatives_publishedstatus"."category" = 'partly_on_track' THEN 'Følger delvis tidsplanen' WHEN "initiatives_publishedstatus"."category" = 'delayed' THEN 'Tidsplanen er skubbet' WHEN "initiatives_publishedstatus"."category" = 'implementing' THEN 'Implementering i gang' WHEN "initiatives_publishedstatus"."category" = 'completed' THEN 'Afsluttet' WHEN "initiatives_publishedstatus"."category" = 'discontinued' THEN 'Indstillet' WHEN "initiatives_publishedstatus"."category" = 'changed' THEN 'Videreført i ændret form' WHEN "initiatives_publishedstatus"."category" = 'not_started' THEN 'Ikke igangsat' ELSE '' END, '')), 'B'))"""
BEFORE = """((setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_publishedstatus"."wording", '')), 'A') || setweight(to_tsvector('danish'::regconfig, COALESCE("initiatives_publishedstatus"."narrative", '')), 'B')))"""


def index(expression):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')
        schema_editor.execute(f'CREATE INDEX "{NAME}" ON "{TABLE}" USING gin (({expression}))')

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_full_text_indexes")]

    operations = [migrations.RunPython(index(EXPRESSION), index(BEFORE), elidable=False)]
