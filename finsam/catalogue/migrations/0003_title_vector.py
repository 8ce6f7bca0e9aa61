"""PostgreSQL only: a small generated tsvector of the title alone, to rank the hits of a broad
query cheaply (finsam.catalogue.search: `ts_rank` over the whole text of thousands of hits costs
more than the rest of the request)."""

from django.db import migrations

PG_CREATE = [
    """
    ALTER TABLE catalogue_catalogueentry ADD COLUMN title_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, coalesce(search_title, ''))) STORED
    """,
]
PG_DROP = ["ALTER TABLE catalogue_catalogueentry DROP COLUMN IF EXISTS title_vector"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_search_index")]

    operations = [
        migrations.RunPython(_run({"postgresql": PG_CREATE}), _run({"postgresql": PG_DROP})),
    ]
