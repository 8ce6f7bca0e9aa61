"""Re-encrypt personal data with the first key and recompute the look-up hashes (README, Keys)."""

from django.core.management.base import BaseCommand, CommandError

from finsam.core.keys import KeyRotationError, require_keys, rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value with the first FIELD_ENCRYPTION_KEY (and SECRET_KEY) "
        "and recompute the look-up hashes with LOOKUP_HASH_KEY (the stored ones must be of it or "
        "of LOOKUP_HASH_KEY_PREVIOUS). All or nothing."
    )
    # The key check refuses hashes of LOOKUP_HASH_KEY_PREVIOUS: this command is what rewrites them,
    # checking every value itself.
    requires_system_checks = []

    def handle(self, *args, **options):
        try:
            counts = rotate_keys()
        except KeyRotationError as exc:
            raise CommandError(f"{exc} Nothing was changed.") from exc
        require_keys()
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} rows re-encrypted.")
        self.stdout.write(
            "Done. Remove the old keys (the other FIELD_ENCRYPTION_KEY values, "
            "SECRET_KEY_FALLBACKS, LOOKUP_HASH_KEY_PREVIOUS) once every process runs with the new "
            "settings and a new backup is made."
        )
