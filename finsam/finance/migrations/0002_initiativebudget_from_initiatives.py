# The initiatives' budgets move here from `initiatives` (whose 0004 drops the model from its
# state). The table keeps its name (Meta.db_table = "initiatives_initiativebudget"), so no row
# moves: only Django's state changes, plus the content type, which follows the model. The change
# log is append-only: its earlier events keep the object type "initiatives.initiativebudget".

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    old = content_type.objects.filter(app_label="initiatives", model="initiativebudget")
    if content_type.objects.filter(app_label="finance", model="initiativebudget").exists():
        old.delete()
    else:
        old.update(app_label="finance")


def restore_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="finance", model="initiativebudget").update(
        app_label="initiatives"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("finance", "0001_initial"),
        ("initiatives", "0004_move_initiativebudget_to_finance"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="InitiativeBudget",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("year", models.PositiveSmallIntegerField(verbose_name="år")),
                        (
                            "amount",
                            models.DecimalField(
                                decimal_places=0, max_digits=12, verbose_name="budget (kr)"
                            ),
                        ),
                        (
                            "outcome",
                            models.DecimalField(
                                blank=True,
                                decimal_places=0,
                                max_digits=12,
                                null=True,
                                verbose_name="utfall (kr)",
                            ),
                        ),
                        (
                            "rate_per_participant_week",
                            models.DecimalField(
                                blank=True,
                                decimal_places=0,
                                max_digits=8,
                                null=True,
                                verbose_name="ersättning per deltagarvecka (kr)",
                            ),
                        ),
                        (
                            "planned_participants",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="planerat antal deltagare"
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="beskrivning")),
                        (
                            "initiative",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="budgets",
                                to="initiatives.initiative",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "insatsbudget",
                        "verbose_name_plural": "insatsbudgetar",
                        "db_table": "initiatives_initiativebudget",
                        "ordering": ["initiative", "year"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("initiative", "year"), name="unique_budget_year"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
