"""Key rotation: `manage.py rotate_keys` re-encrypts with the first key and re-hashes."""

import io

import pytest
from django.core.management import CommandError, call_command

from finsam.core.keys import key_problems, lookup_hash, raw_rows
from finsam.core.tests.conftest import configured_keys
from finsam.participants.models import Participant
from finsam.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

OLD_FIELD_KEY = "dev-only-field-key"  # also the old look-up hash key (the development default)
NEW = {"SALT_KEY": ["a-new-field-key"], "LOOKUP_HASH_KEY": "a-new-hash-key"}
DURING = {
    "SALT_KEY": ["a-new-field-key", OLD_FIELD_KEY],
    "LOOKUP_HASH_KEY": "a-new-hash-key",
    "LOOKUP_HASH_KEY_PREVIOUS": OLD_FIELD_KEY,
}


def raw_tokens():
    return list(
        raw_rows(Participant, ["personal_number", "name"]).values_list(
            "raw_personal_number", "raw_name", "personal_number_hash"
        )
    )


def test_rotation_moves_every_value_and_hash_to_the_new_keys():
    people = [ParticipantFactory(), ParticipantFactory(name=None)]
    with configured_keys(**NEW):
        assert key_problems()  # the new keys alone do not read the data yet
    with configured_keys(**DURING):
        assert "rotate_keys" in key_problems()[0]
        out = io.StringIO()
        call_command("rotate_keys", stdout=out)
        assert "participants.Participant: 2 rows re-encrypted" in out.getvalue()
    with configured_keys(**NEW):  # the old keys are gone
        assert key_problems() == []
        for person in people:
            stored = Participant.objects.get(pk=person.pk)
            assert stored.personal_number == person.personal_number
            assert stored.name == person.name
            assert stored.personal_number_hash == lookup_hash(
                person.personal_number, key="a-new-hash-key"
            )
            assert stored.updated_at == person.updated_at


def test_a_new_secret_key_with_the_old_one_as_fallback():
    person = ParticipantFactory()
    secret = "a-new-secret-key-" * 3
    with configured_keys(SECRET_KEY=secret, SECRET_KEY_FALLBACKS=["dev-only-insecure-key"]):
        call_command("rotate_keys", stdout=io.StringIO())
    with configured_keys(SECRET_KEY=secret):
        assert key_problems() == []
        assert Participant.objects.get().personal_number == person.personal_number


@pytest.mark.parametrize(
    "keys, message",
    [
        ({"SALT_KEY": ["a-new-field-key"]}, "no configured key decrypts"),
        ({"LOOKUP_HASH_KEY": "a-new-hash-key"}, "neither LOOKUP_HASH_KEY nor"),
    ],
)
def test_rotation_without_the_old_key_changes_nothing(keys, message):
    ParticipantFactory()
    before = raw_tokens()
    with configured_keys(**keys), pytest.raises(CommandError, match=message):
        call_command("rotate_keys", stdout=io.StringIO())
    assert raw_tokens() == before
