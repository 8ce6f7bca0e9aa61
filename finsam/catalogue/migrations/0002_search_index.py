"""The full-text index of the catalogue, one per database (finsam.catalogue.search).

PostgreSQL: a stored generated tsvector with the `swedish` configuration (title weighted A, body
B) and a GIN index on it. SQLite: an FTS5 table of Swedish stems written by the application.
"""

from django.db import migrations

PG_CREATE = [
    """
    ALTER TABLE catalogue_catalogueentry ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('swedish'::regconfig, coalesce(search_title, '')), 'A')
        || setweight(to_tsvector('swedish'::regconfig, coalesce(search_body, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX catalogue_search_vector_gin ON catalogue_catalogueentry USING gin (search_vector)",
]
PG_DROP = [
    "DROP INDEX IF EXISTS catalogue_search_vector_gin",
    "ALTER TABLE catalogue_catalogueentry DROP COLUMN IF EXISTS search_vector",
]
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE catalogue_search USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS catalogue_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_entry")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}),
            _run({"postgresql": PG_DROP, "sqlite": SQLITE_DROP}),
        ),
    ]
