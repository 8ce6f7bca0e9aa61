"""`manage.py load_questionnaire FILE [--association ID]`: load a JSON definition as a new version
(the official NNS wording replaces the shipped placeholders this way, without a code change)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from finsam.questionnaires.definitions import load_file


class Command(BaseCommand):
    help = "Load a questionnaire definition (JSON) as a new version."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--association", type=int, default=None)

    def handle(self, *args, file, association, **options):
        try:
            with transaction.atomic():
                version = load_file(file, association=association)
        except (OSError, ValueError, KeyError, ValidationError) as error:
            raise CommandError(f"{file}: {error}") from error
        self.stdout.write(
            f"{version.questionnaire.code} version {version.number}: "
            f"{version.items.count()} items loaded"
        )
