from django.apps import AppConfig


class ProgressionConfig(AppConfig):
    name = "finsam.progression"
    verbose_name = "Progression"
