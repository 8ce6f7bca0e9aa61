"""Load one code-list file (JSON, format in finsam/reference/data/README.md) as a new version."""

from django.core.management.base import BaseCommand, CommandError

from finsam.reference.loading import CodeListError, load_code_list, read_code_list
from finsam.reference.models import CodeList


class Command(BaseCommand):
    help = (
        "Load a code list from a JSON file as a new version of the national list, or with "
        "--association of that association's own wording. Refuses a file that would give a code "
        "another meaning; adds no version when nothing changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON file of one code list")
        parser.add_argument(
            "--association",
            metavar="SLUG",
            help="load the file as this association's own wording of the national list",
        )

    def handle(self, *args, file, association=None, **options):
        owner = None
        if association:  # the owner's model by the relation: reference imports no higher app
            owner = (
                CodeList._meta.get_field("owner")
                .related_model.objects.filter(slug=association)
                .first()
            )
            if owner is None:
                raise CommandError(f"No association with the slug {association!r}.")
        try:
            result = load_code_list(read_code_list(file), association=owner)
        except CodeListError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(str(result)))
