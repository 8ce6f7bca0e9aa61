from django.apps import AppConfig


class StaffConfig(AppConfig):
    """The association's staff users at work: their access, built from the role assignments
    (`finsam.accounts`) over the associations and initiatives, and the user pages."""

    name = "finsam.staff"
