"""Pseudonymise participant identities whose retention period has ended (run daily)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand

from finsam.participants.services import anonymise_expired_identities


class Command(BaseCommand):
    help = (
        "Remove personal identity numbers and names IDENTITY_RETENTION_MONTHS after a "
        "participant's last exit; their enrolments stay, anonymous."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Run as if today were this date (YYYY-MM-DD).",
        )

    def handle(self, *args, today=None, **options):
        removed = anonymise_expired_identities(today=today)
        self.stdout.write(
            f"{removed} participant identities removed "
            f"(retention {settings.IDENTITY_RETENTION_MONTHS} months after the last exit)."
        )
