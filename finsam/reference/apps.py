from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "finsam.reference"
