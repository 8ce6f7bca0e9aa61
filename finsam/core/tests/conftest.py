import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from finsam.core.keys import encrypted_fields
from finsam.core.tests.walk import build_objects

REPO = Path(settings.BASE_DIR)
# Variables the settings read that a test's own environment must not leak into a subprocess.
SETTINGS_ENV = (
    "DEBUG",
    "FINSAM_TESTING",
    "DATABASE_URL",
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "FIELD_ENCRYPTION_KEY",
    "LOOKUP_HASH_KEY",
    "LOOKUP_HASH_KEY_PREVIOUS",
)


def forget_derived_keys():
    """The encrypted fields derive their Fernet keys once per process: derive them anew."""
    for model, names in encrypted_fields().items():
        for name in names:
            field = model._meta.get_field(name)
            field.__dict__.pop("keys", None)
            field.__dict__.pop("f", None)


@contextmanager
def configured_keys(**keys):
    """Run with other keys (SECRET_KEY, SALT_KEY, LOOKUP_HASH_KEY, ...), as a restart would."""
    try:
        with override_settings(**keys):
            forget_derived_keys()
            yield
    finally:
        forget_derived_keys()


@pytest.fixture
def manage():
    """Run `manage.py` (or `python -c`) in a fresh process with exactly the given settings env."""

    def run(*args, env, code=None):
        base = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
        command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
        return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            command,
            cwd=REPO,
            env={**base, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )

    return run


@pytest.fixture
def objects(world):
    """The permission walk's objects (`walk.build_objects`): "own" in A, "foreign" in B."""
    return build_objects(world)
