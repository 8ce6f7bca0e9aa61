from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "finsam.questionnaires"
    label = "questionnaires"
    verbose_name = "Enkäter"
