from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "finsam.core"

    def ready(self):
        from finsam.core.checks import check_keys

        checks.register(check_keys)
        post_migrate.connect(_write_key_canary, sender=self)


def _write_key_canary(sender, using, **kwargs):
    from finsam.core.keys import ensure_canary

    ensure_canary(using)
