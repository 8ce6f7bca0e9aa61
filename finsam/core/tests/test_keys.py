"""Point 9 of the security issue: a wrong or missing key is detected at start-up and refused."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from finsam.core.checks import check_keys
from finsam.core.keys import (
    LOOKUP_HASHES,
    ensure_canary,
    key_problems,
    lookup_hash,
    raw_rows,
    require_keys,
)
from finsam.core.models import KeyCanary
from finsam.core.tests.conftest import configured_keys
from finsam.participants.models import Participant
from finsam.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

DEV_FIELD_KEY = "dev-only-field-key"


def test_migrate_writes_one_canary_that_the_keys_read():
    canary = KeyCanary.objects.get()
    raw = raw_rows(KeyCanary, ["value"]).get().raw_value
    assert raw.startswith("gAAAA") and canary.value != raw  # stored encrypted, read in clear
    assert canary.value_hash == lookup_hash(canary.value, key=DEV_FIELD_KEY)
    assert key_problems() == []
    assert check_keys(None) == []


def test_a_wrong_field_key_reads_ciphertext_silently_and_is_refused():
    participant = ParticipantFactory()
    with configured_keys(SALT_KEY=["another-field-key"]):
        # What the issue describes: no error, the ciphertext comes back as the "number".
        assert Participant.objects.get().personal_number != participant.personal_number
        [problem] = key_problems()
        assert "FIELD_ENCRYPTION_KEY" in problem and "wrong or missing" in problem
        [error] = check_keys(None)
        assert error.id == "finsam.E001" and error.is_serious()
        with pytest.raises(ImproperlyConfigured, match="does not decrypt"):
            require_keys()  # what config/wsgi.py calls


def test_another_secret_key_is_refused_unless_the_old_one_is_a_fallback():
    with configured_keys(SECRET_KEY="another-secret-key-" * 3):
        assert "does not decrypt" in key_problems()[0]
    with configured_keys(
        SECRET_KEY="another-secret-key-" * 3, SECRET_KEY_FALLBACKS=["dev-only-insecure-key"]
    ):
        assert key_problems() == []


def test_an_older_field_key_later_in_the_list_still_reads():
    with configured_keys(SALT_KEY=["a-new-field-key", DEV_FIELD_KEY]):
        assert key_problems() == []


def test_a_wrong_lookup_hash_key_is_refused():
    with configured_keys(LOOKUP_HASH_KEY="another-hash-key"):
        [problem] = key_problems()
        assert problem.startswith("LOOKUP_HASH_KEY is not the key")


def test_hashes_of_the_previous_lookup_key_ask_for_rotate_keys():
    with configured_keys(LOOKUP_HASH_KEY="a-new-hash-key", LOOKUP_HASH_KEY_PREVIOUS=DEV_FIELD_KEY):
        [problem] = key_problems()
        assert "manage.py rotate_keys" in problem


def test_a_database_from_before_the_canary_is_checked_against_its_participants():
    KeyCanary.objects.all().delete()
    assert key_problems() == []  # nothing stored at all: a fresh database
    ParticipantFactory()
    with configured_keys(SALT_KEY=["another-field-key"]):
        assert "does not decrypt" in key_problems()[0]
        with pytest.raises(ImproperlyConfigured):
            ensure_canary()  # never writes a canary with keys that do not read the data
        assert not KeyCanary.objects.exists()
    with configured_keys(LOOKUP_HASH_KEY="another-hash-key"):
        assert key_problems()[0].startswith("LOOKUP_HASH_KEY is not the key")
    ensure_canary()
    assert KeyCanary.objects.count() == 1
    ensure_canary()
    assert KeyCanary.objects.count() == 1  # once


def test_commands_and_gunicorn_refuse_a_wrong_key(manage, tmp_path):
    """Start-up itself: manage.py commands (system checks) and config/wsgi.py (gunicorn)."""
    dev = {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    migrated = manage("migrate", "--noinput", env=dev)
    assert migrated.returncode == 0, migrated.stderr
    assert manage("check", env=dev).returncode == 0

    wrong_field_key = manage("check", env={**dev, "FIELD_ENCRYPTION_KEY": "another-field-key"})
    assert wrong_field_key.returncode != 0
    assert "finsam.E001" in wrong_field_key.stderr
    assert "wrong or missing key" in wrong_field_key.stderr

    wsgi = manage(env={**dev, "LOOKUP_HASH_KEY": "another-hash-key"}, code="import config.wsgi")
    assert wsgi.returncode != 0
    assert "ImproperlyConfigured: LOOKUP_HASH_KEY is not the key" in wsgi.stderr
    assert manage(env=dev, code="import config.wsgi").returncode == 0


def test_lookup_hash_is_keyed_and_stable(settings):
    a = lookup_hash("198112189876")
    assert a == lookup_hash("198112189876")
    assert "198112189876" not in a
    settings.LOOKUP_HASH_KEY = "another key"
    assert lookup_hash("198112189876") != a


def test_the_participants_register_their_lookup_hash_with_the_key_check():
    assert LOOKUP_HASHES[0] == (KeyCanary, "value_hash", "value")
    assert (Participant, "personal_number_hash", "personal_number") in LOOKUP_HASHES
