"""Load one code-list file (JSON, format in finsam/reference/data/README.md) as a new version,
recording who loads it (`--by`, a user's email address)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from finsam.reference.loading import CodeListError, load_code_list, read_code_list
from finsam.reference.models import CodeList


class Command(BaseCommand):
    help = (
        "Load a code list from a JSON file as a new version of the national list, or with "
        "--association of that association's own wording. Refuses a file that would give a code "
        "another meaning; adds no version when nothing changed. The version records who loaded "
        "it (--by)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON file of one code list")
        parser.add_argument(
            "--association",
            metavar="SLUG",
            help="load the file as this association's own wording of the national list",
        )
        parser.add_argument(
            "--by",
            metavar="EMAIL",
            required=True,
            help="the email address of the active user who loads the file (recorded with the "
            "version)",
        )

    def handle(self, *args, file, by, association=None, **options):
        user = get_user_model().objects.filter(email__iexact=by.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the email address {by!r}.")
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
            result = load_code_list(read_code_list(file), association=owner, by=user)
        except CodeListError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(str(result)))
