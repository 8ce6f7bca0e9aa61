from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "finsam.accounts"

    def ready(self):
        from finsam.accounts import signals  # noqa: F401
