from django.core.management.base import BaseCommand

from finsam.reference.population import load_population


class Command(BaseCommand):
    help = (
        "Load or update municipal population figures (SCB; source and date per row) from "
        "finsam/reference/data/population.csv."
    )

    def handle(self, *args, **options):
        stored = load_population()
        self.stdout.write(self.style.SUCCESS(f"{stored} population figures stored."))
