"""The daily retention job: participant identities, then the access log.

- Identities (personal identity number, name) `IDENTITY_RETENTION_MONTHS` after a participant's
  last exit: the enrolments stay, anonymous.
- Access-log events older than `AUDIT_RETENTION_MONTHS`.

It first prints what is due (per association and initiative, by reason), then removes it;
`--dry-run` only prints. A real run stays the default so that the daily cron line keeps working.
`--today` may name an earlier day (to see or catch up what was due then), never a later one.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from finsam.audit.services import access_log_cutoff, access_log_purge, expired_access_event_counts
from finsam.core.dates import months_before, retention_day
from finsam.participants.services import (
    anonymise_expired_identities,
    expired_identity_counts,
    expired_participants,
)


class Command(BaseCommand):
    help = (
        "Remove personal identity numbers and names IDENTITY_RETENTION_MONTHS after a "
        "participant's last exit (their enrolments stay, anonymous) and access-log events "
        "older than AUDIT_RETENTION_MONTHS. Prints the counts first; --dry-run only prints."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Run as if today were this earlier date (YYYY-MM-DD); a later date is refused.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be removed, per association and initiative; change nothing.",
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        try:
            today = retention_day(today, timezone.localdate())
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Retention as of {today.isoformat()}{' (dry run)' if dry_run else ''}.")
        self._report_identities(today)
        self._report_access_log(today)
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        removed = anonymise_expired_identities(today=today)
        purged = access_log_purge(today=today)
        self.stdout.write(f"Removed: {removed} participant identities, {purged} access-log events.")

    def _report_identities(self, today):
        months = settings.IDENTITY_RETENTION_MONTHS
        self.stdout.write(
            f"Identities (personal identity number, name) whose last exit is {months} months "
            f"old (on or before {months_before(today, months).isoformat()}):"
        )
        rows = expired_identity_counts(today=today)
        for association, initiative, participants, enrolments in rows:
            self.stdout.write(
                f"  {association} / {initiative}: {participants} participants, "
                f"{enrolments} enrolments made anonymous"
            )
        participants = expired_participants(today=today).count()
        self.stdout.write(f"  in all: {participants} participants")

    def _report_access_log(self, today):
        cutoff = timezone.localdate(access_log_cutoff(today))
        self.stdout.write(
            f"Access-log events older than {settings.AUDIT_RETENTION_MONTHS} months "
            f"(before {cutoff.isoformat()}):"
        )
        rows = expired_access_event_counts(today=today)
        for association, events in rows:
            self.stdout.write(f"  {association}: {events} events")
        self.stdout.write(f"  in all: {sum(events for _association, events in rows)} events")
