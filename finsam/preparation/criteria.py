"""The shipped review form's criteria (the domain's assessment grounds for a financial
coordination initiative: at least two parties working together, the target group and its
needs, the method, goals and follow-up, the budget, implementation afterwards)."""

from django.utils.translation import gettext_lazy as _

SCALE_MIN, SCALE_MAX = 1, 5

# Stored as data in `ReviewForm.criteria` (the labels in Swedish, as the form's own text).
DEFAULT_CRITERIA = [
    {
        "key": "cooperation",
        "label": "Samverkan mellan minst två parter",
        "help": "Deltar minst två av förbundets parter aktivt i planering, styrning och "
        "genomförande?",
        "min": SCALE_MIN,
        "max": SCALE_MAX,
    },
    {
        "key": "target_group",
        "label": "Målgrupp och behov",
        "help": "Är målgruppen tydligt beskriven, och är behovet belagt?",
        "min": SCALE_MIN,
        "max": SCALE_MAX,
    },
    {
        "key": "method",
        "label": "Metod",
        "help": "Är metoden beskriven och rimlig för att nå målen med målgruppen?",
        "min": SCALE_MIN,
        "max": SCALE_MAX,
    },
    {
        "key": "goals",
        "label": "Mål och uppföljning",
        "help": "Är målen mätbara, och hur följs de upp och utvärderas?",
        "min": SCALE_MIN,
        "max": SCALE_MAX,
    },
    {
        "key": "budget",
        "label": "Budget och rimlighet",
        "help": "Är budgeten rimlig i förhållande till insatsens omfattning, och finns "
        "medfinansiering?",
        "min": SCALE_MIN,
        "max": SCALE_MAX,
    },
    {
        "key": "implementation",
        "label": "Implementering",
        "help": "Finns en plan för hur arbetssättet lever vidare i ordinarie verksamhet efter "
        "projektet?",
        "min": SCALE_MIN,
        "max": SCALE_MAX,
    },
]
DEFAULT_FORM_CODE = "standard"
DEFAULT_FORM_NAME = "Bedömning i beredningsgruppen"

# Marked for translation so the shipped labels have an English version in the catalogue.
_LABELS = (
    _("Samverkan mellan minst två parter"),
    _("Målgrupp och behov"),
    _("Metod"),
    _("Mål och uppföljning"),
    _("Budget och rimlighet"),
    _("Implementering"),
    _("Deltar minst två av förbundets parter aktivt i planering, styrning och genomförande?"),
    _("Är målgruppen tydligt beskriven, och är behovet belagt?"),
    _("Är metoden beskriven och rimlig för att nå målen med målgruppen?"),
    _("Är målen mätbara, och hur följs de upp och utvärderas?"),
    _("Är budgeten rimlig i förhållande till insatsens omfattning, och finns medfinansiering?"),
    _("Finns en plan för hur arbetssättet lever vidare i ordinarie verksamhet efter projektet?"),
)
