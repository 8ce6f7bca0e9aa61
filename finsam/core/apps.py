from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "finsam.core"
