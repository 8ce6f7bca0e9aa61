"""Loading the national reference data shipped in `finsam/reference/data/` (see its README).

`sync_reference_data()` is an idempotent upsert: regions and municipalities are matched on their
official code, codes on (code list, code). Nothing is ever deleted, because enrolments and
initiatives point at these rows; a code that is no longer in `codes.csv` is set inactive.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class SyncResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deactivated: int = 0

    def __str__(self):
        parts = [
            f"{name}: {self.created.get(name, 0)} created, {self.updated.get(name, 0)} updated"
            for name in ("regions", "municipalities", "codes")
        ]
        return "; ".join(parts) + f"; codes deactivated: {self.deactivated}"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _upsert(model, rows: list[dict], key: tuple[str, ...], fields: list[str]) -> tuple[int, int]:
    """Create missing rows and update changed ones; returns (created, updated)."""
    existing = {tuple(getattr(obj, k) for k in key): obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        obj = existing.get(tuple(row[k] for k in key))
        if obj is None:
            to_create.append(model(**{k: row[k] for k in key}, **{f: row[f] for f in fields}))
        elif any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            to_update.append(obj)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, fields)
    return len(to_create), len(to_update)


@transaction.atomic
def sync_reference_data() -> SyncResult:
    """Upsert regions, municipalities and codes from the CSV files."""
    from finsam.reference.models import Code, Municipality, Region

    result = SyncResult()

    regions = read_csv("regions.csv")
    result.created["regions"], result.updated["regions"] = _upsert(
        Region, regions, ("code",), ["name"]
    )

    region_ids = dict(Region.objects.values_list("code", "pk"))
    municipalities = [
        {"code": r["code"], "name": r["name"], "region_id": region_ids[r["region_code"]]}
        for r in read_csv("municipalities.csv")
    ]
    result.created["municipalities"], result.updated["municipalities"] = _upsert(
        Municipality, municipalities, ("code",), ["name", "region_id"]
    )

    codes = [
        {**r, "sort_order": int(r["sort_order"] or 0), "active": True}
        for r in read_csv("codes.csv")
    ]
    result.created["codes"], result.updated["codes"] = _upsert(
        Code,
        codes,
        ("code_list", "code"),
        ["label_sv", "label_en", "category", "sort_order", "active"],
    )
    in_file = {(r["code_list"], r["code"]) for r in codes}
    stale = [
        pk
        for pk, code_list, code in Code.objects.filter(active=True).values_list(
            "pk", "code_list", "code"
        )
        if (code_list, code) not in in_file
    ]
    result.deactivated = Code.objects.filter(pk__in=stale).update(active=False)
    return result
