from django.db import migrations


def load_core(apps, schema_editor):
    from finsam.questionnaires.definitions import load_core as load

    # The questionnaires of the core not loaded yet (board, managers, referrers).
    load(get_model=lambda name: apps.get_model("questionnaires", name))


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0005_core_code_unique")]

    operations = [migrations.RunPython(load_core, migrations.RunPython.noop)]
