from django.db import migrations


def load_core(apps, schema_editor):
    from finsam.questionnaires.definitions import load_core as load

    load(get_model=lambda name: apps.get_model("questionnaires", name))


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0002_item_indicator_codes")]

    operations = [migrations.RunPython(load_core, migrations.RunPython.noop)]
