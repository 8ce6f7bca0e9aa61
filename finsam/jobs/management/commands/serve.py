"""`manage.py serve [addrport]`: the development server and the jobs worker together (`make run`).

The worker (`manage.py db_worker`) runs in its own process group, started once by the outer
process of runserver's autoreloader, and is stopped with it. Production runs gunicorn and the
worker as separate services (README).
"""

import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV


class Command(BaseCommand):
    help = "Run the development server and the background jobs worker together."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":  # the reloaded server process
            call_command("runserver", addrport)
            return
        worker = subprocess.Popen(  # noqa: S603 - this interpreter, this manage.py
            [sys.executable, sys.argv[0], "db_worker"], start_new_session=True
        )
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command("runserver", addrport)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait()
