"""Load the national reference data (regions, municipalities, code lists) from `../data/*.csv`.

Uses historical models only; the upsert is a frozen copy of `finsam.reference.loading` so this
migration keeps working when the app code changes. Re-run later updates with
`manage.py load_reference`.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _read(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def load(apps, schema_editor):
    Region = apps.get_model("reference", "Region")
    Municipality = apps.get_model("reference", "Municipality")
    Code = apps.get_model("reference", "Code")

    for row in _read("regions.csv"):
        Region.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    region_ids = dict(Region.objects.values_list("code", "pk"))
    for row in _read("municipalities.csv"):
        Municipality.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "region_id": region_ids[row["region_code"]]},
        )
    # The first edition of the code lists, frozen beside this migration (the lists themselves are
    # data now: reference/data/code_lists/*.json, loaded as versions by 0004 and load_code_list).
    with (Path(__file__).resolve().parent / "codes_0002.csv").open(encoding="utf-8", newline="") as f:
        first_edition = [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]
    for row in first_edition:
        Code.objects.update_or_create(
            code_list=row["code_list"],
            code=row["code"],
            defaults={
                "label_sv": row["label_sv"],
                "label_en": row["label_en"],
                "category": row["category"],
                "sort_order": int(row["sort_order"] or 0),
                "active": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
