"""`manage.py load_demo`: load the demo associations, initiatives, participants and logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from finsam.demo.loading import PASSWORD, current_totp_code, load_demo, totp_uri


class Command(BaseCommand):
    help = (
        "Load the demo data (Samordningsförbundet Skaraborg and Östra Skaraborg from the seeds, "
        "generated participants, one login per role). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even without DEBUG (the demo logins have a published password).",
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.TESTING or options["force"]):
            raise CommandError(
                "The demo data creates logins with a published password. Run with DEBUG=1 "
                "(make run does) or pass --force."
            )
        result = load_demo()
        created = ", ".join(f"{n} {name}" for name, n in sorted(result.created.items()) if n)
        self.stdout.write(
            f"Demo data loaded in {result.seconds:.1f} s"
            + (f" (created: {created})." if created else " (nothing new: already loaded).")
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {PASSWORD})")
        rows = [("E-post", "Roll", "Förbund", "Insatser")]
        for login in result.logins:
            rows.append(
                (
                    login.email,
                    str(login.role.label),
                    login.association or "(alla)",
                    ", ".join(login.initiatives),
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        for i, row in enumerate(rows):
            self.stdout.write(
                "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
            )
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        for login in result.logins:
            if not login.totp_secret:
                continue
            self.stdout.write("")
            self.stdout.write(
                f"{login.email} logs in with two factors. Add this TOTP secret to an "
                f"authenticator app: {login.totp_secret}"
            )
            self.stdout.write(f"  ({totp_uri(login.email, login.totp_secret)})")
            self.stdout.write(
                f"  Current code: {current_totp_code(login.totp_secret)} (changes every 30 seconds)"
            )
