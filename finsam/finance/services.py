"""Writes for the association's years. Views, the API and commands call these.

Each takes the caller's `access`, checks the policy itself ("finance.change") and records the
change in the change log."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.associations.models import Association, Member
from finsam.audit.services import diff, record_change, snapshot
from finsam.finance.models import AssociationYear, MemberContribution

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
    changes = diff(snapshot(association_year, YEAR_FIELDS), {})
    record_change(
        access=access, obj=association_year, action="finance.year_delete", changes=changes
    )
    association_year._history_user = access.user
    association_year.delete()
