"""The demo's public catalogue: every project of seeds 000 and 001 (`data/catalogue.json`), and
the running initiatives of the Skaraborg demo associations.

Seed 000 is Samordningsförbundet Halland's list of finished projects; seed 001 a brochure of
projects funded by several associations. Each project becomes an initiative of its association
(created, with only a name, a slug and a fictitious organisation number, when the demo does not
have it yet), marked finished or running, with a published catalogue entry holding the seed's
text as written. The seeds' personal names, telephone numbers and e-mail addresses are left out:
the contact is the association's office. Periods the seed does not give are estimates
(`period_as_written` says so).

The running Skaraborg initiatives (`data/skaraborg.json`) get an entry from their own description
(purpose, target group, referral), so that the catalogue also shows initiatives to refer people
to. Idempotent: everything is matched on natural keys and changed only when it differs; an entry
the secretariat has written itself (one with a change in the change log) is left alone.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from finsam.associations.models import Association
from finsam.audit.models import ChangeEvent
from finsam.catalogue import search
from finsam.catalogue.models import CatalogueEntry
from finsam.initiatives.models import Initiative, Status
from finsam.reference.models import Municipality

DATA_FILE = Path(__file__).resolve().parent / "data" / "catalogue.json"
# The Skaraborg demo associations (data/skaraborg.json): their running initiatives are published.
SKARABORG = ("skaraborg", "ostra-skaraborg")
ENTRY_FIELDS = ("summary", "who_for", "how_to_refer", "contact", "results")


def read_data(path: Path = DATA_FILE) -> dict:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _sync(obj, values: dict) -> bool:
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for k in changed:
        setattr(obj, k, values[k])
    if changed:
        obj.save()
    return bool(changed)


def _written_by_staff(entry: CatalogueEntry) -> bool:
    return ChangeEvent.objects.filter(
        object_type="catalogue.catalogueentry", object_id=str(entry.pk)
    ).exists()


def _entry(initiative, values: dict, counts: dict) -> None:
    entry = CatalogueEntry.objects.filter(initiative=initiative).first()
    if entry is None:
        entry = CatalogueEntry(initiative=initiative, published_at=timezone.now())
        counts["entries"] = counts.get("entries", 0) + 1
    elif _written_by_staff(entry):
        return
    values = {**dict.fromkeys(ENTRY_FIELDS, ""), **values, "published": True}
    if _sync(entry, values) or entry.pk is None:
        entry.save()
    search.index_entry(entry)


def _association(spec, municipalities, counts) -> Association:
    association = Association.objects.filter(slug=spec["slug"]).first()
    if association is None:
        starts = [_date(i["start_date"]) for i in spec["initiatives"]]
        association = Association.objects.create(
            slug=spec["slug"],
            name=spec["name"],
            org_number=spec["org_number"],
            start_date=datetime.date(min(starts).year, 1, 1),
            description=spec.get("source", ""),
        )
        counts["associations"] = counts.get("associations", 0) + 1
    wanted = {municipalities[name].pk for name in spec["municipalities"]}
    if not wanted <= set(association.municipalities.values_list("pk", flat=True)):
        association.municipalities.add(*wanted)
    return association


def _initiative(association, spec, municipalities, counts) -> Initiative:
    values = {
        "owner_organisation": spec["owner_organisation"],
        "start_date": _date(spec["start_date"]),
        "end_date": _date(spec.get("end_date")),
        "status": Status.ENDED if spec.get("status", "finished") == "finished" else Status.ACTIVE,
    }
    initiative = Initiative.objects.filter(association=association, name=spec["name"]).first()
    if initiative is None:
        initiative = Initiative.objects.create(association=association, name=spec["name"], **values)
        counts["initiatives"] = counts.get("initiatives", 0) + 1
    else:
        _sync(initiative, values)
    wanted = {municipalities[name].pk for name in spec.get("municipalities", [])}
    if wanted != set(initiative.municipalities.values_list("pk", flat=True)):
        initiative.municipalities.set(wanted)
    return initiative


@transaction.atomic
def load_catalogue(data: dict | None = None) -> dict:
    """Load the demo catalogue; the number of associations, initiatives and entries created."""
    data = data or read_data()
    counts: dict[str, int] = {}
    municipalities = {m.name: m for m in Municipality.objects.all()}
    for spec in data["associations"]:
        association = _association(spec, municipalities, counts)
        for ini_spec in spec["initiatives"]:
            initiative = _initiative(association, ini_spec, municipalities, counts)
            _entry(initiative, {k: ini_spec[k] for k in ENTRY_FIELDS if k in ini_spec}, counts)
    running = Initiative.objects.filter(
        association__slug__in=SKARABORG, status__in=[Status.ACTIVE, Status.PLANNED]
    ).select_related("association")
    for initiative in running:
        summary = initiative.purpose or initiative.background or initiative.goals
        if not summary:
            continue
        _entry(
            initiative,
            {
                "summary": summary,
                "who_for": initiative.target_group_description,
                "how_to_refer": initiative.referral,
                "contact": f"{initiative.association.name}, kansliet",
            },
            counts,
        )
    return counts
