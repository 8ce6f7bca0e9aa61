from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "finsam.catalogue"
    label = "catalogue"
    verbose_name = "Katalog"

    def ready(self):
        # An initiative's name, owner, municipalities and target groups are part of its entry's
        # search text: keep it current when they change (the lower app cannot call us).
        from finsam.catalogue import signals  # noqa: F401
