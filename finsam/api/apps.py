from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "finsam.api"
