from django.core.management.base import BaseCommand

from finsam.reference.loading import sync_reference_data


class Command(BaseCommand):
    help = "Load or update regions, municipalities and code lists from finsam/reference/data/."

    def handle(self, *args, **options):
        result = sync_reference_data()
        self.stdout.write(self.style.SUCCESS(str(result)))
