from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "finsam.documents"
