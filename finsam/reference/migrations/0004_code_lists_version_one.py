"""Today's code lists become version 1 of the national lists.

Each list of the former `CodeList` enum becomes a `CodeList` row (no owner) with its source and
status (all eight are placeholders: starting lists of the domain specification, marked [I]), one
`CodeListVersion` number 1, and a `CodeTranslation` per code and language from the `label_sv` and
`label_en` columns, which are also copied into `Code.labels`. Reversible: going back copies the
labels into the columns again and removes the rows made here.

Frozen on purpose (no import of app code); the same metadata is in `data/code_lists/*.json`.
"""

import datetime

from django.db import migrations

SOURCE = "finsam domain specification, shared/domain/participant-follow-up.md"
SOURCE_DATE = datetime.date(2026, 11, 23)
VALID_FROM = datetime.date(2004, 1, 1)

LISTS = {
    "income_source": ({"sv": "Försörjningskälla", "en": "Income source"}, "§2.6.2"),
    "occupation": ({"sv": "Sysselsättning", "en": "Occupation"}, "§2.6.2"),
    "education": ({"sv": "Utbildningsnivå", "en": "Education level"}, "§2.6.2"),
    "time_outside_work": (
        {"sv": "Tid i offentlig försörjning", "en": "Time on public support"},
        "§2.6.2",
    ),
    "referrer": ({"sv": "Remittent", "en": "Referrer"}, "§2.6.2"),
    "exit_reason": ({"sv": "Avslutsanledning", "en": "Exit reason"}, "§2.6.3"),
    "target_group": ({"sv": "Målgrupp", "en": "Target group"}, "§2.3"),
    "specific_orientation": ({"sv": "Preciserad inriktning", "en": "Specific orientation"}, "§2.3"),
}


def forwards(apps, schema_editor):
    Code = apps.get_model("reference", "Code")
    CodeList = apps.get_model("reference", "CodeList")
    CodeListVersion = apps.get_model("reference", "CodeListVersion")
    CodeTranslation = apps.get_model("reference", "CodeTranslation")

    versions = {}
    for key, (names, section) in LISTS.items():
        document = f"{SOURCE} {section}, starting list [I]"
        code_list = CodeList.objects.create(
            key=key,
            names=names,
            source_document=document,
            source_date=SOURCE_DATE,
            status="placeholder",
            notes="Version 1: the code list as it was before code lists became versioned data.",
        )
        versions[key] = CodeListVersion.objects.create(
            code_list=code_list,
            number=1,
            valid_from=VALID_FROM,
            source_document=document,
            source_date=SOURCE_DATE,
        )
    codes = list(Code.objects.all())
    translations = []
    for code in codes:
        code.labels = {
            language: text
            for language, text in (("sv", code.label_sv), ("en", code.label_en))
            if text
        }
        code.version = 1
        version = versions.get(code.code_list)
        if version is not None:
            translations += [
                CodeTranslation(code=code, version=version, language=language, label=text)
                for language, text in code.labels.items()
            ]
    Code.objects.bulk_update(codes, ["labels", "version"], batch_size=500)
    CodeTranslation.objects.bulk_create(translations, batch_size=500)


def backwards(apps, schema_editor):
    Code = apps.get_model("reference", "Code")
    CodeList = apps.get_model("reference", "CodeList")
    CodeListVersion = apps.get_model("reference", "CodeListVersion")
    CodeTranslation = apps.get_model("reference", "CodeTranslation")

    codes = list(Code.objects.all())
    for code in codes:
        code.label_sv = (code.labels or {}).get("sv", code.code)[:200]
        code.label_en = (code.labels or {}).get("en", code.label_sv)[:200]
    Code.objects.bulk_update(codes, ["label_sv", "label_en"], batch_size=500)
    CodeTranslation.objects.all().delete()
    CodeListVersion.objects.all().delete()
    CodeList.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0003_code_lists_as_data"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
