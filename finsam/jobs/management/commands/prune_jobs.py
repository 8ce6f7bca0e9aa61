"""`manage.py prune_jobs`: delete jobs (and their results) older than JOB_RESULT_RETENTION_HOURS.

The worker also does this before every job; schedule this for the quiet days.
"""

from django.core.management.base import BaseCommand

from finsam.jobs.services import prune_expired_jobs


class Command(BaseCommand):
    help = "Delete finished jobs and their results older than JOB_RESULT_RETENTION_HOURS."

    def handle(self, *args, **options):
        count = prune_expired_jobs()
        self.stdout.write(f"Deleted {count} expired job(s).")
