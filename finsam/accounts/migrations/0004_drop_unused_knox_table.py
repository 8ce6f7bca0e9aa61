from django.db import migrations


class Migration(migrations.Migration):
    """knox's own migrations create `knox_authtoken` although its model is swapped for
    `accounts.ApiToken` (KNOX_TOKEN_MODEL). Nothing uses the table, and no model names it, so a
    flush (PostgreSQL's TRUNCATE of every model's table) would fail on its foreign key to the
    users: remove it."""

    dependencies = [
        ("accounts", "0003_identity_provider"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP TABLE IF EXISTS knox_authtoken", reverse_sql=migrations.RunSQL.noop
        ),
    ]
