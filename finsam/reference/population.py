"""Municipal population as dated reference data with its source (`MunicipalPopulation`): loaded
from `data/population.csv` (`load_population`, `manage.py load_population`) and read for the
municipal key of the members' contributions (`populations_on`)."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

from django.db import transaction

from finsam.reference.models import Municipality, MunicipalPopulation

POPULATION_CSV = Path(__file__).parent / "data" / "population.csv"


@transaction.atomic
def load_population(path: Path = POPULATION_CSV) -> int:
    """Upsert the figures of `path` (keyed on municipality code and reference date); rows of
    municipalities not in the database are skipped. Returns the number of rows stored."""
    municipalities = {m.code: m for m in Municipality.objects.all()}
    stored = 0
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            municipality = municipalities.get(row["municipality_code"])
            if municipality is None:
                continue
            MunicipalPopulation.objects.update_or_create(
                municipality=municipality,
                reference_date=datetime.date.fromisoformat(row["reference_date"]),
                defaults={
                    "total": int(row["total"]),
                    "aged_16_64": int(row["aged_16_64"]) if row["aged_16_64"] else None,
                    "verified": row["verified"].strip().lower() == "true",
                    "source": row["source"],
                    "source_url": row["source_url"],
                    "note": row["note"],
                },
            )
            stored += 1
    return stored


def reference_dates(municipality_ids) -> list[datetime.date]:
    """The reference dates with figures for any of the municipalities, newest first."""
    return list(
        MunicipalPopulation.objects.filter(municipality_id__in=list(municipality_ids))
        .order_by("-reference_date")
        .values_list("reference_date", flat=True)
        .distinct()
    )


def populations_on(municipality_ids, day: datetime.date) -> dict[int, MunicipalPopulation]:
    """{municipality id: its figures on `day`} (municipalities without figures on that date are
    left out)."""
    return {
        p.municipality_id: p
        for p in MunicipalPopulation.objects.filter(
            municipality_id__in=list(municipality_ids), reference_date=day
        )
    }
