from django.apps import AppConfig


class AssociationsConfig(AppConfig):
    name = "finsam.associations"
