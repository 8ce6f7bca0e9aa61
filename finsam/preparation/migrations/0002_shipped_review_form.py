from django.db import migrations

# A copy of finsam.preparation.criteria at the time of this migration (migrations never import
# the app's current code).
CRITERIA = [
    {
        "key": "cooperation",
        "label": "Samverkan mellan minst två parter",
        "help": "Deltar minst två av förbundets parter aktivt i planering, styrning och "
        "genomförande?",
        "min": 1,
        "max": 5,
    },
    {
        "key": "target_group",
        "label": "Målgrupp och behov",
        "help": "Är målgruppen tydligt beskriven, och är behovet belagt?",
        "min": 1,
        "max": 5,
    },
    {
        "key": "method",
        "label": "Metod",
        "help": "Är metoden beskriven och rimlig för att nå målen med målgruppen?",
        "min": 1,
        "max": 5,
    },
    {
        "key": "goals",
        "label": "Mål och uppföljning",
        "help": "Är målen mätbara, och hur följs de upp och utvärderas?",
        "min": 1,
        "max": 5,
    },
    {
        "key": "budget",
        "label": "Budget och rimlighet",
        "help": "Är budgeten rimlig i förhållande till insatsens omfattning, och finns "
        "medfinansiering?",
        "min": 1,
        "max": 5,
    },
    {
        "key": "implementation",
        "label": "Implementering",
        "help": "Finns en plan för hur arbetssättet lever vidare i ordinarie verksamhet efter "
        "projektet?",
        "min": 1,
        "max": 5,
    },
]


def ship(apps, schema_editor):
    ReviewForm = apps.get_model("preparation", "ReviewForm")
    ReviewForm.objects.get_or_create(
        association=None,
        code="standard",
        defaults={"name": "Bedömning i beredningsgruppen", "criteria": CRITERIA},
    )


class Migration(migrations.Migration):
    dependencies = [("preparation", "0001_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
