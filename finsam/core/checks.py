"""System checks of finsam: the keys must read this database (`finsam.core.keys`).

Registered without the database tag on purpose: runserver runs only untagged checks, and it must
refuse wrong keys as migrate and every other command do.
"""

from django.core.checks import Error, Warning
from django.db import DatabaseError

from finsam.core.keys import key_problems


def check_keys(app_configs, **kwargs):
    try:
        problems = key_problems()
    except DatabaseError as exc:  # gunicorn (config/wsgi.py) refuses; a command goes on
        return [
            Warning(
                f"The keys could not be checked against the database: {exc}",
                id="finsam.W001",
            )
        ]
    return [Error(problem, id="finsam.E001") for problem in problems]
