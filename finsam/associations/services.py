"""Writes for associations and their members. Views, the API and commands call these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from finsam.associations.models import Association, Member, MemberKind
from finsam.associations.templatetags.association_tags import percent
from finsam.associations.validators import normalize_org_number
from finsam.audit.services import diff, record_change, snapshot
from finsam.reference.models import Municipality, Region


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
MEMBER_FIELDS = (
    "kind",
    "name",
    "municipality",
    "region",
    "contribution_share",
    "is_financier",
    "valid_from",
    "valid_to",
)


@transaction.atomic
def association_create(
    *,
    access,
    name: str,
    slug: str,
    org_number: str,
    start_date: datetime.date,
    municipalities: Iterable[Municipality],
    end_date: datetime.date | None = None,
    description: str = "",
    address: str = "",
    contact_person: str = "",
    contact_email: str = "",
) -> Association:
    """Create an association (operator only)."""
    access.require("association.create")
    municipalities = list(municipalities)
    association = Association(
        name=name.strip(),
        slug=slug.strip(),
        org_number=_normalized_org_number(org_number),
        start_date=start_date,
        end_date=end_date,
        description=description,
        address=address,
        contact_person=contact_person,
        contact_email=contact_email,
    )
    _check_period(start_date, end_date)
    _check_municipalities(municipalities)
    _check_unique(association)
    association.full_clean()
    association.save()
    association.municipalities.set(municipalities)
    changes = diff({}, snapshot(association, ASSOCIATION_FIELDS))
    record_change(access=access, obj=association, action="association.create", changes=changes)
    return association


@transaction.atomic
def association_update(
    *,
    access,
    association: Association,
    name: str,
    slug: str,
    org_number: str,
    municipalities: Iterable[Municipality],
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    description: str = "",
    address: str = "",
    contact_person: str = "",
    contact_email: str = "",
) -> Association:
    """Change an association's record. `start_date=None` keeps the start date (SUS: fixed;
    only the operator changes it)."""
    access.require("association.change", association=association)
    if start_date is not None and start_date != association.start_date:
        access.require("association.change_start_date", association=association)
    before = snapshot(Association.objects.get(pk=association.pk), ASSOCIATION_FIELDS)
    municipalities = list(municipalities)
    association.name = name.strip()
    association.slug = slug.strip()
    association.org_number = _normalized_org_number(org_number)
    if start_date is not None:
        association.start_date = start_date
    association.end_date = end_date
    association.description = description
    association.address = address
    association.contact_person = contact_person
    association.contact_email = contact_email
    _check_period(association.start_date, end_date)
    _check_municipalities(municipalities)
    _check_unique(association)
    association.full_clean()
    association.save()
    association.municipalities.set(municipalities)
    changes = diff(before, snapshot(association, ASSOCIATION_FIELDS))
    record_change(access=access, obj=association, action="association.update", changes=changes)
    return association


# --- Members ---------------------------------------------------------------------------------

_DAY_MIN, _DAY_MAX = datetime.date.min, datetime.date.max


def _overlapping_total(member: Member, others: list[Member]) -> Decimal:
    """The highest total share on any day of `member`'s validity period, `member` included.

    The total only grows where some member's period starts, so checking the start of the
    period and every other start inside it is enough.
    """
    start = member.valid_from or _DAY_MIN
    end = member.valid_to or _DAY_MAX
    days = {start} | {o.valid_from for o in others if o.valid_from and start <= o.valid_from <= end}
    best = Decimal("0")
    for day in days:
        total = member.contribution_share + sum(
            (
                o.contribution_share
                for o in others
                if (o.valid_from or _DAY_MIN) <= day <= (o.valid_to or _DAY_MAX)
            ),
            Decimal("0"),
        )
        best = max(best, total)
    return best


def municipality_member_name(municipality: Municipality) -> str:
    """Default member name: "Skövde kommun", "Falköpings kommun" (genitive -s after a consonant)."""
    name = municipality.name
    if name[-1].lower() in "aeiouyåäösxz":
        return f"{name} kommun"
    return f"{name}s kommun"


@transaction.atomic
def member_save(
    *,
    access,
    association: Association,
    kind: str,
    contribution_share: Decimal,
    member: Member | None = None,
    name: str = "",
    municipality: Municipality | None = None,
    region: Region | None = None,
    is_financier: bool = True,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Member:
    """Add a member to `association`, or change `member` (which must belong to it)."""
    if member is not None and member.association_id != association.pk:
        raise ValueError("member belongs to another association")
    access.require("association.change", association=association)
    before = snapshot(Member.objects.get(pk=member.pk), MEMBER_FIELDS) if member else {}
    errors: dict[str, str] = {}
    if kind not in MemberKind.values:
        errors["kind"] = _("Välj en giltig medlemstyp.")
    if kind == MemberKind.MUNICIPALITY:
        region = None
        if municipality is None:
            errors["municipality"] = _("En kommun som medlem måste ha en kommun vald.")
    elif kind == MemberKind.REGION:
        municipality = None
        if region is None:
            errors["region"] = _("En region som medlem måste ha en region vald.")
    else:
        municipality = region = None
    if contribution_share is None:
        errors["contribution_share"] = _("Ange medlemmens andel i procent.")
    elif not Decimal("0") <= contribution_share <= Decimal("100"):
        errors["contribution_share"] = _("Andelen ska vara mellan 0 och 100 procent.")
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = _("Giltig till kan inte vara före giltig från.")
    if errors:
        raise ValidationError(errors)

    name = (name or "").strip()
    if not name:
        if kind in (MemberKind.FORSAKRINGSKASSAN, MemberKind.ARBETSFORMEDLINGEN):
            name = str(MemberKind(kind).label)
        elif municipality is not None:
            name = municipality_member_name(municipality)
        else:
            raise ValidationError(
                {"name": _("Ange regionens namn som medlem, t.ex. Västra Götalandsregionen.")}
            )

    member = member or Member(association=association)
    member.kind = kind
    member.name = name
    member.municipality = municipality
    member.region = region
    member.contribution_share = contribution_share
    member.is_financier = is_financier
    member.valid_from = valid_from
    member.valid_to = valid_to

    others = list(
        Member.objects.select_for_update().filter(association=association).exclude(pk=member.pk)
    )
    if any(o.name.casefold() == name.casefold() for o in others):
        raise ValidationError({"name": _("Förbundet har redan en medlem med det namnet.")})
    total = _overlapping_total(member, others)
    if total > 100:
        raise ValidationError(
            {
                "contribution_share": _(
                    "Medlemmarnas andelar blir tillsammans %(total)s; de får inte överstiga 100 %%."
                )
                % {"total": percent(total)}
            }
        )
    member.full_clean()
    member.save()
    changes = diff(before, snapshot(member, MEMBER_FIELDS))
    action = "association.member_change" if before else "association.member_add"
    record_change(access=access, obj=member, action=action, changes=changes)
    return member


@transaction.atomic
def member_delete(*, access, member: Member) -> None:
    access.require("association.change", association=member.association_id)
    changes = diff(snapshot(member, MEMBER_FIELDS), {})
    record_change(access=access, obj=member, action="association.member_delete", changes=changes)
    try:
        member.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _(
                "Medlemmen används i budget eller andra uppgifter och kan inte tas bort. "
                "Sätt ett giltig till-datum i stället."
            )
        ) from exc
