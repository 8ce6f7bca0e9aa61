from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "finsam.participants"

    def ready(self):
        from finsam.core.keys import register_lookup_hash
        from finsam.participants.models import Participant

        # The key check and `rotate_keys` cover the personal identity numbers' look-up hash.
        register_lookup_hash(Participant, "personal_number_hash", "personal_number")
