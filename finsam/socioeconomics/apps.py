from django.apps import AppConfig


class SocioeconomicsConfig(AppConfig):
    name = "finsam.socioeconomics"
    verbose_name = "Socioekonomisk uppskattning"
