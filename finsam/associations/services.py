"""Writes for associations. Views, the API and commands call these (the members and their
contribution shares are `finance.services`')."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from finsam.associations.models import Association
from finsam.associations.validators import normalize_org_number
from finsam.audit.services import diff, record_change, snapshot
from finsam.reference.models import Municipality


def _normalized_org_number(org_number: str) -> str:
    try:
        return normalize_org_number(org_number)
    except ValidationError as exc:
        raise ValidationError({"org_number": exc.messages}) from exc


def _check_unique(association: Association) -> None:
    others = Association.objects.exclude(pk=association.pk)
    errors = {}
    # Compared in Python: SQLite folds only ASCII case ("Ö" ≠ "ö").
    wanted = association.name.casefold()
    if any(n.casefold() == wanted for n in others.values_list("name", flat=True)):
        errors["name"] = _("Det finns redan ett samordningsförbund med det namnet.")
    if others.filter(slug=association.slug).exists():
        errors["slug"] = _("Kortnamnet används redan av ett annat samordningsförbund.")
    if others.filter(org_number=association.org_number).exists():
        errors["org_number"] = _(
            "Organisationsnumret används redan av ett annat samordningsförbund."
        )
    if errors:
        raise ValidationError(errors)


def _check_municipalities(municipalities: list[Municipality]) -> None:
    if not municipalities:
        raise ValidationError({"municipalities": _("Välj minst en kommun som förbundet omfattar.")})


def _check_period(start_date, end_date, field="end_date") -> None:
    if start_date and end_date and end_date < start_date:
        raise ValidationError({field: _("Slutdatum kan inte vara före startdatum.")})


ASSOCIATION_FIELDS = (
    "name",
    "slug",
    "org_number",
    "start_date",
    "end_date",
    "description",
    "address",
    "contact_person",
    "contact_email",
    "municipalities",
)


class AssociationRecord(TypedDict, total=False):
    """The fields of an association's record that its create and update take besides the start
    date and the municipalities (name, slug and organisation number are required)."""

    name: Required[str]
    slug: Required[str]
    org_number: Required[str]
    end_date: datetime.date | None
    description: str
    address: str
    contact_person: str
    contact_email: str


def _save(
    access,
    association: Association,
    municipalities: Iterable[Municipality],
    record: AssociationRecord,
    *,
    before: dict,
    action: str,
) -> Association:
    """Check and save `association` with `record` and `municipalities`, and record the change."""
    municipalities = list(municipalities)
    association.name = record["name"].strip()
    association.slug = record["slug"].strip()
    association.org_number = _normalized_org_number(record["org_number"])
    association.end_date = record.get("end_date")
    for name in ("description", "address", "contact_person", "contact_email"):
        setattr(association, name, record.get(name, ""))
    _check_period(association.start_date, association.end_date)
    _check_municipalities(municipalities)
    _check_unique(association)
    association.full_clean()
    association.save()
    association.municipalities.set(municipalities)
    changes = diff(before, snapshot(association, ASSOCIATION_FIELDS))
    record_change(access=access, obj=association, action=action, changes=changes)
    return association


@transaction.atomic
def association_create(
    *,
    access,
    start_date: datetime.date,
    municipalities: Iterable[Municipality],
    **record: Unpack[AssociationRecord],
) -> Association:
    """Create an association (operator only)."""
    access.require("association.create")
    association = Association(start_date=start_date)
    return _save(
        access, association, municipalities, record, before={}, action="association.create"
    )


@transaction.atomic
def association_update(
    *,
    access,
    association: Association,
    municipalities: Iterable[Municipality],
    start_date: datetime.date | None = None,
    **record: Unpack[AssociationRecord],
) -> Association:
    """Change an association's record. `start_date=None` keeps the start date (SUS: fixed;
    only the operator changes it)."""
    access.require("association.change", association=association)
    if start_date is not None and start_date != association.start_date:
        access.require("association.change_start_date", association=association)
    before = snapshot(Association.objects.get(pk=association.pk), ASSOCIATION_FIELDS)
    if start_date is not None:
        association.start_date = start_date
    return _save(
        access, association, municipalities, record, before=before, action="association.update"
    )


def municipality_member_name(municipality: Municipality) -> str:
    """Default member name: "Skövde kommun", "Falköpings kommun" (genitive -s after a consonant)."""
    name = municipality.name
    if name[-1].lower() in "aeiouyåäösxz":
        return f"{name} kommun"
    return f"{name}s kommun"
