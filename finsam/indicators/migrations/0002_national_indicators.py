"""The national indicators shipped with finsam (`finsam/indicators/national.py`): unverified
placeholders except the three confirmed wordings, replaced later by editing the rows."""

from django.db import migrations



def load(apps, schema_editor):
    from finsam.indicators import national

    Indicator = apps.get_model("indicators", "Indicator")
    for values in national.rows():
        code = values.pop("code")
        Indicator.objects.update_or_create(association=None, code=code, defaults=values)


def unload(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(association=None).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
