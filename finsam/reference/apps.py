from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "finsam.reference"

    def ready(self):
        from finsam.reference import codes  # noqa: F401 (connects the cache's invalidation)
