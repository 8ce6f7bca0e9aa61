"""Writes for the money: members' contribution shares, the association's years, the equity band
and the initiatives' budgets. Views, the API and commands call these.

Each takes the caller's `access`, checks the policy itself and records the change in the change
log (`finsam.audit.services.record_change`)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.associations.models import MEMBER_FIELDS, Association, Member, MemberKind
from finsam.associations.services import municipality_member_name
from finsam.audit.services import diff, record_change, snapshot
from finsam.finance import compensation as compensation_rules
from finsam.finance import contributions as contribution_rules
from finsam.finance.closing import ensure_open
from finsam.finance.models import (
    AssociationYear,
    CompensationCap,
    CompensationModel,
    EquityBand,
    InitiativeBudget,
    MemberContribution,
)
from finsam.initiatives.models import Initiative
from finsam.initiatives.services import non_negative
from finsam.reference.models import Municipality, Region

# How far ahead a year may be opened: the operational plan covers N and plan years N+1, N+2.
PLAN_YEARS_AHEAD = 2
YEAR_FIELDS = (
    "year",
    "equity_at_start",
    "equity_at_end",
    "admin_cost_budget",
    "admin_cost_outcome",
    "note",
)


def _delete_recorded(access, obj, action: str, fields) -> None:
    """Record the deletion of `obj` (its last values of `fields`) and delete it."""
    changes = diff(snapshot(obj, fields), {})
    record_change(access=access, obj=obj, action=action, changes=changes)
    obj.delete()


def _check_year(association: Association, year: int | None) -> None:
    if year is None:
        raise ValidationError({"year": _("Ange år.")})
    first = association.start_date.year
    last = timezone.localdate().year + PLAN_YEARS_AHEAD
    if year < first or year > last:
        raise ValidationError(
            {
                "year": _("Året ska ligga mellan %(first)s (förbundets start) och %(last)s.")
                % {"first": first, "last": last}
            }
        )
    if AssociationYear.objects.filter(association=association, year=year).exists():
        raise ValidationError(
            {
                "year": _("Det finns redan uppgifter för %(year)s. Ändra dem i stället.")
                % {"year": year}
            }
        )


@transaction.atomic
def association_year_create(*, access, association: Association, year: int) -> AssociationYear:
    """Open a year. The equity at its start is the equity at the end of the year before, when
    that is known (never typed twice)."""
    access.require("finance.change", association=association)
    _check_year(association, year)
    previous = AssociationYear.objects.filter(association=association, year=year - 1).first()
    association_year = AssociationYear(
        association=association,
        year=year,
        equity_at_start=previous.equity_at_end if previous else None,
    )
    association_year.full_clean(validate_constraints=False)
    association_year._history_user = access.user
    association_year.save()
    changes = diff({}, snapshot(association_year, YEAR_FIELDS))
    record_change(
        access=access, obj=association_year, action="finance.year_create", changes=changes
    )
    return association_year


@transaction.atomic
def association_year_update(
    *,
    access,
    association_year: AssociationYear,
    equity_at_start: Decimal | None,
    equity_at_end: Decimal | None,
    admin_cost_budget: Decimal | None,
    admin_cost_outcome: Decimal | None,
    note: str = "",
    contributions: Mapping[int, Decimal | None] | None = None,
) -> AssociationYear:
    """Change a year's equity, administration costs and members' contributions.

    `contributions` maps member ids to amounts; `None` removes the member's contribution.
    Members left out keep theirs.
    """
    access.require("finance.change", association=association_year.association_id)
    ensure_open(association_year.association_id, association_year.year)
    stored = AssociationYear.objects.filter(pk=association_year.pk).first()
    before = snapshot(stored, YEAR_FIELDS) if stored else {}
    errors: dict[str, list[str]] = {}
    for name, value in (
        ("admin_cost_budget", admin_cost_budget),
        ("admin_cost_outcome", admin_cost_outcome),
    ):
        if value is not None and value < 0:
            errors.setdefault(name, []).append(_("Kostnaden kan inte vara negativ."))
    contributions = dict(contributions or {})
    members = {
        m.pk: m
        for m in Member.objects.filter(
            association_id=association_year.association_id, pk__in=list(contributions)
        )
    }
    for member_id, amount in contributions.items():
        if member_id not in members:
            errors.setdefault("__all__", []).append(_("Medlemmen hör inte till förbundet."))
        elif amount is not None and amount < 0:
            errors.setdefault(f"member_{member_id}", []).append(
                _("Bidraget kan inte vara negativt.")
            )
    if errors:
        raise ValidationError(errors)

    association_year.equity_at_start = equity_at_start
    association_year.equity_at_end = equity_at_end
    association_year.admin_cost_budget = admin_cost_budget
    association_year.admin_cost_outcome = admin_cost_outcome
    association_year.note = note
    association_year.full_clean(validate_constraints=False)
    association_year._history_user = access.user
    association_year.save()
    changes = diff(before, snapshot(association_year, YEAR_FIELDS))

    existing = {
        c.member_id: c
        for c in MemberContribution.objects.filter(
            association_year=association_year, member_id__in=list(contributions)
        )
    }
    for member_id, amount in contributions.items():
        contribution = existing.get(member_id)
        if amount is None:
            if contribution is not None:
                contribution._history_user = access.user
                contribution.delete()
                changes[f"contribution:{member_id}"] = [str(contribution.amount), None]
            continue
        if contribution is None:
            contribution = MemberContribution(
                association_year=association_year, member_id=member_id
            )
        elif contribution.amount == amount:
            continue
        old = str(contribution.amount) if contribution.pk else None
        contribution.amount = amount
        contribution.full_clean(validate_constraints=False)
        contribution._history_user = access.user
        contribution.save()
        changes[f"contribution:{member_id}"] = [old, str(amount)]
    record_change(
        access=access, obj=association_year, action="finance.year_update", changes=changes
    )
    return association_year


@transaction.atomic
def association_year_delete(*, access, association_year: AssociationYear) -> None:
    access.require("finance.change", association=association_year.association_id)
    ensure_open(association_year.association_id, association_year.year)
    association_year._history_user = access.user
    _delete_recorded(access, association_year, "finance.year_delete", YEAR_FIELDS)


# --- The equity band ------------------------------------------------------------------------

EQUITY_BAND_FIELDS = ("year", "lower", "upper")


@transaction.atomic
def equity_band_set(
    *,
    access,
    association: Association,
    year: int,
    lower: Decimal | None,
    upper: Decimal | None,
) -> EquityBand:
    """Set the band the association's equity should lie in from `year` on (% of the allocated
    funds), replacing the one set for that year."""
    access.require("finance.change", association=association)
    ensure_open(association.pk, year)
    errors: dict[str, list[str]] = {}
    for name, value in (("lower", lower), ("upper", upper)):
        if value is None:
            errors.setdefault(name, []).append(_("Ange en procentsats."))
        elif not Decimal("0") <= value <= Decimal("100"):
            errors.setdefault(name, []).append(_("Ange en procentsats mellan 0 och 100."))
    if not errors and lower > upper:
        errors["upper"] = [_("Den övre gränsen kan inte vara lägre än den nedre.")]
    if errors:
        raise ValidationError(errors)
    band = EquityBand.objects.filter(association=association, year=year).first()
    before = snapshot(band, EQUITY_BAND_FIELDS) if band else {}
    band = band or EquityBand(association=association, year=year)
    band.lower, band.upper = lower, upper
    band.set_by, band.set_at = access.user, timezone.now()
    band.full_clean(validate_constraints=False)
    band.save()
    changes = diff(before, snapshot(band, EQUITY_BAND_FIELDS))
    record_change(access=access, obj=band, action="finance.equity_band_set", changes=changes)
    return band


# --- Members and their contribution shares ------------------------------------------------


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
    share_problem = contribution_rules.share_error(contribution_share)
    if share_problem:
        errors["contribution_share"] = share_problem
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
    contribution_rules.check_total(member, others)
    member.full_clean()
    member.save()
    changes = diff(before, snapshot(member, MEMBER_FIELDS))
    action = "association.member_change" if before else "association.member_add"
    record_change(access=access, obj=member, action=action, changes=changes)
    return member


@transaction.atomic
def member_delete(*, access, member: Member) -> None:
    access.require("association.change", association=member.association_id)
    try:
        _delete_recorded(access, member, "association.member_delete", MEMBER_FIELDS)
    except ProtectedError as exc:
        raise ValidationError(
            _(
                "Medlemmen används i budget eller andra uppgifter och kan inte tas bort. "
                "Sätt ett giltig till-datum i stället."
            )
        ) from exc


# --- Initiative budgets --------------------------------------------------------------------


BUDGET_FIELDS = (
    "year",
    "amount",
    "outcome",
    "rate_per_participant_week",
    "planned_participants",
    "note",
)


@transaction.atomic
def budget_save(
    *,
    access,
    initiative: Initiative,
    year: int,
    amount: Decimal,
    outcome: Decimal | None = None,
    rate_per_participant_week: Decimal | None = None,
    planned_participants: int | None = None,
    note: str = "",
    budget: InitiativeBudget | None = None,
) -> InitiativeBudget:
    """Create a year's budget, or change `budget` when given."""
    if budget is not None and budget.initiative_id != initiative.pk:
        raise ValueError("budget belongs to another initiative")
    access.require("budget.change", initiative=initiative)
    before = {}
    if budget is not None and budget.pk:
        before = snapshot(InitiativeBudget.objects.get(pk=budget.pk), BUDGET_FIELDS)
    errors: dict[str, list[str]] = {}
    first_year = initiative.start_date.year
    last_year = initiative.end_date.year if initiative.end_date else None
    if year is None:
        errors["year"] = [_("Ange år.")]
    elif year < first_year or (last_year is not None and year > last_year):
        period = f"{first_year}–{last_year}" if last_year else f"{first_year}–"
        errors["year"] = [
            _("Året ligger utanför insatsens period (%(period)s).") % {"period": period}
        ]
    else:
        clash = InitiativeBudget.objects.filter(initiative=initiative, year=year)
        if budget is not None:
            clash = clash.exclude(pk=budget.pk)
        if clash.exists():
            errors["year"] = [
                _("Det finns redan en budget för %(year)s. Ändra den i stället.") % {"year": year}
            ]
    for field, value in (
        ("amount", amount),
        ("outcome", outcome),
        ("rate_per_participant_week", rate_per_participant_week),
        ("planned_participants", planned_participants),
    ):
        non_negative(errors, field, value)
    if errors:
        raise ValidationError(errors)
    ensure_open(initiative.association_id, year)
    if budget is not None and budget.year != year:
        ensure_open(initiative.association_id, budget.year)
    if budget is None:
        budget = InitiativeBudget(initiative=initiative)
    budget.year = year
    budget.amount = amount
    budget.outcome = outcome
    budget.rate_per_participant_week = rate_per_participant_week
    budget.planned_participants = planned_participants
    budget.note = note
    budget.full_clean(validate_constraints=False)
    budget.save()
    record_change(
        access=access,
        obj=budget,
        action="budget.change" if before else "budget.create",
        changes=diff(before, snapshot(budget, BUDGET_FIELDS)),
    )
    return budget


@transaction.atomic
def budget_delete(*, access, budget: InitiativeBudget) -> None:
    access.require("budget.change", initiative=budget.initiative)
    ensure_open(budget.initiative.association_id, budget.year)
    _delete_recorded(access, budget, "budget.delete", BUDGET_FIELDS)


COMPENSATION_FIELDS = (
    "year",
    "kind",
    "fixed_amount",
    "fixed_period",
    "rate_per_week",
    "counting_rule",
    "unit_name",
    "unit_price",
)


@transaction.atomic
def compensation_models_set(
    *, access, initiative: Initiative, years, data: dict
) -> list[CompensationModel]:
    """Fix the compensation model `data` (`finsam.finance.compensation`) for each of `years`:
    one `CompensationModel` per year, with its caps per municipality. A year that already has a
    model keeps it (the decision that granted the initiative fixed it; a change is a new
    decision)."""
    access.require("budget.change", initiative=initiative)
    municipalities = {m.code: m for m in Municipality.objects.all()}
    data = compensation_rules.clean(data, municipality_codes=set(municipalities))
    created = []
    for year in sorted(set(years)):
        if CompensationModel.objects.filter(initiative=initiative, year=year).exists():
            raise ValidationError(
                {
                    "year": _("Ersättningsmodellen för %(year)s är redan fastställd.")
                    % {"year": year}
                }
            )
        model = CompensationModel.objects.create(
            initiative=initiative,
            year=year,
            kind=data["kind"],
            fixed_amount=data["fixed_amount"],
            fixed_period=data["fixed_period"],
            rate_per_week=data["rate_per_week"],
            counting_rule=data["counting_rule"],
            unit_name=data["unit_name"],
            unit_price=data["unit_price"],
        )
        for code, amount in data["caps"].items():
            CompensationCap.objects.create(
                model=model, municipality=municipalities[code], amount=amount
            )
        record_change(
            access=access,
            obj=model,
            action="compensation_model.create",
            changes={
                **diff({}, snapshot(model, COMPENSATION_FIELDS)),
                **({"caps": [None, data["caps"]]} if data["caps"] else {}),
            },
        )
        created.append(model)
    return created
