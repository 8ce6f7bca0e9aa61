# The initiatives' budgets moved to `finance` (finance.InitiativeBudget). The table keeps its name
# (Meta.db_table): only Django's state changes here; finance's 0002 takes the model over.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0003_input_validators"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="InitiativeBudget")],
            database_operations=[],
        ),
    ]
