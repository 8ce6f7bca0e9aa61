from django.apps import AppConfig


class FollowupConfig(AppConfig):
    """Uppföljning Finsam: the national successor's yearly report, above statistics and finance."""

    name = "finsam.followup"
