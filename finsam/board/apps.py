from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "finsam.board"
    verbose_name = "Styrelsen"
