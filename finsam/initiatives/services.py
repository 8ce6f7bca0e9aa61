"""Writes for initiatives: the initiative itself, monthly head counts (volume initiatives) and
the assignments of users to it (the yearly budgets are `finance`'s).

Every function takes the caller's `access` and keyword-only arguments, checks the policy itself
(`PermissionDenied`), validates with Swedish messages, runs in a transaction, saves nothing when it
raises and records what it changed in the change log (`finsam.audit.services.record_change`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from finsam.audit.services import diff, record_change, snapshot
from finsam.core.history import save_with_history
from finsam.core.roles import INITIATIVE_SCOPED_ROLES, Role
from finsam.initiatives.models import (
    INITIATIVE_TEXT_FIELDS,
    FollowUp,
    HeadCount,
    Initiative,
    Orientation,
    Status,
)
from finsam.initiatives.selectors import initiative_has_registrations
from finsam.reference.models import Code, CodeList

# Fields an initiative's create/update accepts (association is set at creation only).
INITIATIVE_FIELDS = (
    "name",
    "diary_number",
    "owner_organisation",
    "orientation",
    "specific_orientation",
    "follow_up",
    "esf_funded",
    "start_date",
    "end_date",
    "status",
    "planned_participants",
    *INITIATIVE_TEXT_FIELDS,
)
M2M_FIELDS = ("target_groups", "municipalities")
# Participant-follow-up R11: fixed once the initiative has registrations.
IMMUTABLE_AFTER_REGISTRATION = ("orientation", "follow_up", "esf_funded")


def _fmt(day: datetime.date) -> str:
    return date_format(day, "Y-m-d")


def _validate_initiative(
    initiative: Initiative,
    *,
    target_groups: list[Code],
    municipalities: list,
    previous: Initiative | None,
) -> None:
    """Collect every broken rule into one ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    initiative.name = (initiative.name or "").strip()
    field_errors = _field_errors(initiative)
    if initiative.name and "name" not in field_errors:
        _check_unique_name(errors, initiative)
    _check_period(errors, initiative)
    _check_classification(errors, initiative, target_groups, municipalities)
    if previous is not None and initiative_has_registrations(initiative=previous):
        _check_fixed_after_registration(errors, initiative, previous)
        _check_period_covers_registrations(errors, initiative, previous)
    for field, messages in field_errors.items():
        if field not in errors:
            errors[field] = messages
    if errors:
        raise ValidationError(errors)


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _field_errors(initiative: Initiative) -> dict[str, list[str]]:
    """The fields' own rules. They come first: a name the database cannot even compare (a NUL
    byte on PostgreSQL) must not reach the uniqueness query."""
    try:
        initiative.full_clean(exclude=["association"], validate_constraints=False)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _check_unique_name(errors: dict, initiative: Initiative) -> None:
    name = initiative.name
    clash = Initiative.objects.filter(association=initiative.association, name__iexact=name)
    if initiative.pk:
        clash = clash.exclude(pk=initiative.pk)
    if clash.exists():
        message = _("Det finns redan en insats med namnet ”%(name)s” i förbundet.")
        _add(errors, "name", message % {"name": name})


def _check_period(errors: dict, initiative: Initiative) -> None:
    association = initiative.association
    start, end = initiative.start_date, initiative.end_date
    if start and end and end < start:
        _add(errors, "end_date", _("Slutdatum kan inte vara före startdatum."))
    if start and association.start_date and start < association.start_date:
        _add(
            errors,
            "start_date",
            _("Startdatum kan inte vara före förbundets startdatum (%(date)s).")
            % {"date": _fmt(association.start_date)},
        )


def _check_classification(
    errors: dict, initiative: Initiative, target_groups: list[Code], municipalities: list
) -> None:
    """Specific orientation within the orientation, target groups from their code list,
    municipalities within the association's area."""
    code = initiative.specific_orientation
    if code is not None and (
        code.code_list != CodeList.SPECIFIC_ORIENTATION or code.category != initiative.orientation
    ):
        message = _("Den preciserade inriktningen hör inte till vald inriktning.")
        _add(errors, "specific_orientation", message)
    if any(group.code_list != CodeList.TARGET_GROUP for group in target_groups):
        _add(errors, "target_groups", _("Välj målgrupper ur listan."))
    allowed = set(initiative.association.municipalities.values_list("pk", flat=True))
    outside = [m for m in municipalities if m.pk not in allowed]
    if outside:
        _add(
            errors,
            "municipalities",
            _("%(names)s ingår inte i förbundets område.")
            % {"names": ", ".join(str(m) for m in outside)},
        )


def _check_fixed_after_registration(
    errors: dict, initiative: Initiative, previous: Initiative
) -> None:
    """`IMMUTABLE_AFTER_REGISTRATION` keep their stored values."""
    labels = {
        "orientation": _("Inriktningen"),
        "follow_up": _("Deltagarregistreringen"),
        "esf_funded": _("ESF-finansieringen"),
    }
    for field in IMMUTABLE_AFTER_REGISTRATION:
        if getattr(previous, field) != getattr(initiative, field):
            _add(
                errors,
                field,
                _(
                    "%(what)s kan inte ändras när insatsen har registrerade deltagare "
                    "eller antal. Skapa en ny insats i stället."
                )
                % {"what": labels[field]},
            )


def _check_period_covers_registrations(
    errors: dict, initiative: Initiative, previous: Initiative
) -> None:
    """The period must keep covering what is already registered (enrolments, head counts)."""
    enrolled = previous.enrolments.aggregate(first=Min("start_date"), last=Max("start_date"))
    counted = HeadCount.objects.filter(initiative_id=previous.pk).aggregate(
        first=Min("month"), last=Max("month")
    )
    start, end = initiative.start_date, initiative.end_date
    first = start and _registered_before(start, enrolled["first"], counted["first"])
    if first:
        _add(
            errors,
            "start_date",
            _("Det finns registreringar före det nya startdatumet (första %(date)s).")
            % {"date": _fmt(first)},
        )
    last = end and _registered_after(end, enrolled["last"], counted["last"])
    if last:
        _add(
            errors,
            "end_date",
            _("Det finns registreringar efter det nya slutdatumet (sista %(date)s).")
            % {"date": _fmt(last)},
        )


def _registered_before(start: datetime.date, enrolled, counted_month) -> datetime.date | None:
    """The first enrolment start (else head-count month) before the period's new start."""
    if enrolled and start > enrolled:
        return enrolled
    if counted_month and start.replace(day=1) > counted_month:
        return counted_month
    return None


def _registered_after(end: datetime.date, enrolled, counted_month) -> datetime.date | None:
    """The last enrolment start (else head-count month) after the period's new end."""
    if enrolled and end < enrolled:
        return enrolled
    if counted_month and end.replace(day=1) < counted_month:
        return counted_month
    return None


@transaction.atomic
def initiative_create(
    *,
    access,
    association,
    name: str,
    owner_organisation: str,
    start_date: datetime.date,
    diary_number: str = "",
    orientation: str = Orientation.INDIVIDUAL,
    specific_orientation: Code | None = None,
    follow_up: str = FollowUp.INDIVIDUAL,
    target_groups: Iterable[Code] = (),
    municipalities: Iterable = (),
    esf_funded: bool = False,
    end_date: datetime.date | None = None,
    status: str = Status.ACTIVE,
    planned_participants: int | None = None,
    steering_group: str = "",
    background: str = "",
    purpose: str = "",
    goals: str = "",
    target_group_description: str = "",
    method: str = "",
    referral: str = "",
    follow_up_description: str = "",
    economy: str = "",
) -> Initiative:
    access.require("initiative.create", association=association)
    initiative = Initiative(
        association=association,
        name=name,
        diary_number=diary_number,
        owner_organisation=owner_organisation,
        orientation=orientation,
        specific_orientation=specific_orientation,
        follow_up=follow_up,
        esf_funded=esf_funded,
        start_date=start_date,
        end_date=end_date,
        status=status,
        planned_participants=planned_participants,
        steering_group=steering_group,
        background=background,
        purpose=purpose,
        goals=goals,
        target_group_description=target_group_description,
        method=method,
        referral=referral,
        follow_up_description=follow_up_description,
        economy=economy,
    )
    target_groups, municipalities = list(target_groups), list(municipalities)
    _validate_initiative(
        initiative, target_groups=target_groups, municipalities=municipalities, previous=None
    )
    # One history record with the row and both sets.
    m2m = {"target_groups": target_groups, "municipalities": municipalities}
    save_with_history(initiative, user=access.user, m2m=m2m)
    changes = diff({}, snapshot(initiative, (*INITIATIVE_FIELDS, *M2M_FIELDS)))
    record_change(access=access, obj=initiative, action="initiative.create", changes=changes)
    return initiative


@transaction.atomic
def initiative_update(*, access, initiative: Initiative, data: dict[str, Any]) -> Initiative:
    """Change the fields given in `data` (any of INITIATIVE_FIELDS and M2M_FIELDS)."""
    unknown = set(data) - set(INITIATIVE_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise ValueError(f"Unknown initiative fields: {sorted(unknown)}")
    # Compare against the stored row, not the (possibly form-modified) instance in memory.
    previous = Initiative.objects.select_for_update().get(pk=initiative.pk)
    access.require("initiative.edit", initiative=previous)
    before = snapshot(previous, (*INITIATIVE_FIELDS, *M2M_FIELDS))
    current = Initiative.objects.select_related("association").get(pk=initiative.pk)
    for field in INITIATIVE_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    target_groups = list(
        data["target_groups"] if "target_groups" in data else current.target_groups.all()
    )
    municipalities = list(
        data["municipalities"] if "municipalities" in data else current.municipalities.all()
    )
    _validate_initiative(
        current, target_groups=target_groups, municipalities=municipalities, previous=previous
    )
    # One history record with the row and both sets.
    m2m = {"target_groups": target_groups, "municipalities": municipalities}
    save_with_history(current, user=access.user, m2m=m2m)
    changes = diff(before, snapshot(current, (*INITIATIVE_FIELDS, *M2M_FIELDS)))
    record_change(access=access, obj=current, action="initiative.update", changes=changes)
    # Callers (views, API) may go on using the instance they passed in.
    initiative.refresh_from_db()
    return current


def non_negative(errors: dict, field: str, value) -> None:
    if value is not None and value < 0:
        errors.setdefault(field, []).append(_("Värdet kan inte vara negativt."))


# --- Head counts (volume initiatives) --------------------------------------------------------


@transaction.atomic
def head_count_save(
    *,
    access,
    initiative: Initiative,
    month: datetime.date,
    women: int,
    men: int,
    other: int,
    today: datetime.date | None = None,
) -> HeadCount:
    """Create or replace the head count of one month (stored as the month's first day)."""
    access.require("head_count.change", initiative=initiative)
    if not initiative.is_volume:
        raise ValidationError(
            _("Antal per månad registreras bara för volyminsatser (endast antal).")
        )
    errors: dict[str, list[str]] = {}
    month = month.replace(day=1)
    today = today or timezone.localdate()
    first = initiative.start_date.replace(day=1)
    last = initiative.end_date.replace(day=1) if initiative.end_date else None
    association_start = initiative.association.start_date
    if month < first or (last is not None and month > last):
        errors["month"] = [_("Månaden ligger utanför insatsens period.")]
    elif association_start and month < association_start.replace(day=1):
        errors["month"] = [_("Månaden ligger före förbundets startdatum.")]
    elif month > today.replace(day=1):
        errors["month"] = [_("Antal kan inte registreras för en kommande månad.")]
    for field, value in (("women", women), ("men", men), ("other", other)):
        if value is None:
            errors.setdefault(field, []).append(_("Ange ett antal (0 om inga)."))
        else:
            non_negative(errors, field, value)
    if errors:
        raise ValidationError(errors)
    fields = ("month", "women", "men", "other")
    stored = HeadCount.objects.filter(initiative=initiative, month=month).first()
    before = snapshot(stored, fields) if stored else {}
    head_count, _created = HeadCount.objects.update_or_create(
        initiative=initiative,
        month=month,
        defaults={"women": women, "men": men, "other": other},
    )
    changes = diff(before, snapshot(head_count, fields))
    record_change(access=access, obj=head_count, action="head_count.change", changes=changes)
    return head_count


# --- Assignments -----------------------------------------------------------------------------


@transaction.atomic
def assignment_add(*, access, initiative: Initiative, user, role: str):
    """Give `user` (who holds `role` in the association) that role for this initiative."""
    from finsam.accounts.models import InitiativeAssignment, RoleAssignment

    access.require("assignment.change", initiative=initiative)
    if role not in INITIATIVE_SCOPED_ROLES:
        raise ValidationError({"role": [_("Den rollen kan inte knytas till en insats.")]})
    label = str(Role(role).label).lower()
    if not RoleAssignment.objects.filter(
        user=user, association_id=initiative.association_id, role=role
    ).exists():
        raise ValidationError(
            {"user": [_("Användaren har inte rollen %(role)s i förbundet.") % {"role": label}]}
        )
    if InitiativeAssignment.objects.filter(user=user, initiative=initiative, role=role).exists():
        raise ValidationError(
            {"user": [_("Användaren är redan %(role)s för insatsen.") % {"role": label}]}
        )
    assignment = InitiativeAssignment(user=user, initiative=initiative, role=role)
    assignment.full_clean(validate_constraints=False)
    assignment.save()
    changes = diff({}, snapshot(assignment, ASSIGNMENT_FIELDS))
    record_change(
        access=access,
        obj=assignment,
        action="assignment.add",
        changes=changes,
        label=str(initiative),
    )
    return assignment


ASSIGNMENT_FIELDS = ("user", "initiative", "role")


@transaction.atomic
def assignment_remove(*, access, assignment) -> None:
    access.require("assignment.change", initiative=assignment.initiative)
    changes = diff(snapshot(assignment, ASSIGNMENT_FIELDS), {})
    record_change(
        access=access,
        obj=assignment,
        action="assignment.remove",
        changes=changes,
        label=str(assignment.initiative),
    )
    assignment.delete()
