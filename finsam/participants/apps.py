from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "finsam.participants"

    def ready(self):
        from finsam.core.keys import register_lookup_hash
        from finsam.jobs import kinds
        from finsam.jobs.models import JobKind
        from finsam.participants import import_jobs, import_views
        from finsam.participants.models import Participant

        # The key check and `rotate_keys` cover the personal identity numbers' look-up hash.
        register_lookup_hash(Participant, "personal_number_hash", "personal_number")
        kinds.register(
            JobKind.PARTICIPANT_IMPORT,
            run=import_jobs.run,
            may_see=import_jobs.may_see,
            title_template="participants/_import_job_title.html",
            breadcrumb_template="participants/_import_job_breadcrumb.html",
            result_template="participants/_import_job_result.html",
            result_context=import_views.job_result_context,
        )
