from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "finsam.accounts"

    def ready(self):
        from finsam.accounts import signals  # noqa: F401


class AdminConfig(admin_apps.AdminConfig):
    """The admin with finsam's site: one login, operators only, two factors (in INSTALLED_APPS
    instead of `django.contrib.admin`)."""

    default = False
    default_site = "finsam.accounts.admin_site.AdminSite"
