"""The budget line catalogue (finance-law-privacy.md §3.1) as configurable data."""

from django.db import migrations

LINE_TYPES = [
    # code, name, group, SUS cost type, order
    ("INC_ESF", "ESF-medel", "income", "", 9),
    ("INC_OTHER", "Övriga intäkter (extra statliga medel, ränta)", "income", "", 10),
    ("INC_EQUITY_USE", "Ianspråktaget eget kapital", "equity", "", 20),
    ("EXP_PERSONNEL", "Personal (förbundschef, kansli)", "admin", "Personal", 30),
    ("EXP_PREMISES", "Lokaler", "admin", "Kring", 31),
    ("EXP_BOARD", "Styrelse (arvoden, möten)", "admin", "Personal", 32),
    ("EXP_AUDIT", "Revision", "admin", "Personal", 33),
    ("EXP_ADMIN_OTHER", "Övrig administration (IT, telefon, material, ekonomitjänst)", "admin", "Kring", 34),
    ("EXP_EVAL", "Utvärdering/uppföljning", "activity", "", 40),
    ("EXP_COMPETENCE", "Kompetensutvecklingsinsatser", "activity", "", 41),
    ("EXP_LOCAL_FREE", "Fria medel för lokala projekt", "activity", "", 42),
    ("EXP_FUTURE", "Framtida insatser (ej fördelade medel)", "reserve", "", 50),
]


def load(apps, schema_editor):
    BudgetLineType = apps.get_model("finance", "BudgetLineType")
    for code, name, group, sus, order in LINE_TYPES:
        BudgetLineType.objects.update_or_create(
            code=code,
            defaults={"name": name, "group": group, "sus_cost_type": sus, "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("finance", "0006_plan")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
