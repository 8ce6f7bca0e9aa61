"""One access event per read, with its pseudonyms in their own indexed table; the log append-only.

1. `AccessedPseudonym` (event, pseudonym) replaces `AccessEvent.pseudonym`: a list page that
   shows fifty participants is now one event with fifty small rows, searchable per pseudonym on
   every database. The existing events' pseudonyms are copied over in one statement.
2. `at` takes a default instead of auto_now_add (the same for the application, which never
   updates a row; tests can now date an event).
3. On PostgreSQL a trigger refuses every UPDATE and DELETE on both tables unless the setting
   `finsam.audit_purge` is on for the transaction, which only `access_log_purge` sets.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

TABLES = ("audit_accessevent", "audit_accessedpseudonym")

CREATE_TRIGGERS = [
    """
    CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND current_setting('finsam.audit_purge', true) = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'the access log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    *(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
        for table in TABLES
    ),
]
DROP_TRIGGERS = [
    *(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS audit_append_only()",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessedPseudonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('pseudonym', models.CharField(max_length=12, verbose_name='pseudonym')),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pseudonym_rows', to='audit.accessevent')),
            ],
            options={
                'verbose_name': 'loggad pseudonym',
                'verbose_name_plural': 'loggade pseudonymer',
                'ordering': ['id'],
                'indexes': [models.Index(fields=['pseudonym', 'event'], name='audit_acces_pseudon_bc154b_idx')],
            },
        ),
        migrations.RunSQL(
            "INSERT INTO audit_accessedpseudonym (event_id, pseudonym) "
            "SELECT id, pseudonym FROM audit_accessevent WHERE pseudonym <> '' ORDER BY id",
            reverse_sql=(
                "UPDATE audit_accessevent SET pseudonym = COALESCE((SELECT MIN(p.pseudonym) "
                "FROM audit_accessedpseudonym p WHERE p.event_id = audit_accessevent.id), '')"
            ),
        ),
        migrations.RemoveField(
            model_name='accessevent',
            name='pseudonym',
        ),
        migrations.AlterField(
            model_name='accessevent',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='tid'),
        ),
        migrations.RunPython(_on_postgresql(CREATE_TRIGGERS), _on_postgresql(DROP_TRIGGERS)),
    ]
