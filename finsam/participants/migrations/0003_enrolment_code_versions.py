"""Enrolments keep the version of each code list they were registered with; every existing
enrolment was registered with version 1 (reference 0004)."""

from django.db import migrations, models

ENROLMENT_LISTS = (
    "income_source",
    "occupation",
    "education",
    "time_outside_work",
    "referrer",
    "exit_reason",
)


def backfill(apps, schema_editor):
    Enrolment = apps.get_model("participants", "Enrolment")
    Enrolment.objects.update(code_versions={key: 1 for key in ENROLMENT_LISTS})


class Migration(migrations.Migration):

    dependencies = [
        ('participants', '0002_participant_name_optional_one_active_enrolment'),
        ('reference', '0004_code_lists_version_one'),
    ]

    operations = [
        migrations.AddField(
            model_name='enrolment',
            name='code_versions',
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name='kodlisteversioner'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
