"""The operational plan and budget for year N with plan years N+1 and N+2 (seed 002's shape,
finance-law-privacy.md §3.1): income per financier (the members' contributions and other income),
equity used, administration costs by type, each initiative's budget, other activity lines and the
unallocated reserve; budget against outcome and a forecast during the year. Reads (`operational_
plan`) and writes (`plan_lines_save`, `contribution_key_set`, `year_close`) of the plan."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.associations.models import Member, MemberKind
from finsam.audit.services import record_change
from finsam.core.formats import sv_kronor
from finsam.finance import keys
from finsam.finance.closing import ensure_open
from finsam.finance.models import (
    AssociationYear,
    BudgetLine,
    BudgetLineGroup,
    BudgetLineType,
    CompensationModel,
    ContributionKey,
    ContributionKeyShare,
    InitiativeBudget,
    InitiativeForecast,
    MemberContribution,
    YearClosure,
)
from finsam.finance.selectors import members_in_year
from finsam.reference.population import populations_on

PLAN_YEARS = 2  # N + two plan years
ZERO = Decimal("0")
LINE_FIELDS = ("budget", "outcome", "forecast")


def compensation_model_label(initiative, year: int) -> str:
    """The initiative's compensation model for `year` (`finance.CompensationModel`), for the
    plan's column: its kind and, per participant-week, the rate ("" when none is set)."""
    model = CompensationModel.objects.filter(initiative=initiative, year=year).first()
    if model is None:
        return ""
    label = str(model.get_kind_display())
    if model.rate_per_week:
        label += f", {sv_kronor(model.rate_per_week)}/v"
    if model.unit_price:
        label += f", {sv_kronor(model.unit_price)}/{model.unit_name}"
    return label


# --- Reads ------------------------------------------------------------------------------------


@dataclass
class Line:
    code: str
    label: str
    group: str
    budget: Decimal | None = None
    outcome: Decimal | None = None
    forecast: Decimal | None = None
    text: str = ""
    planned_participants: int | None = None
    compensation_model: str = ""
    initiative: object = None
    budget_pk: int | None = None


def _sum(values) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, ZERO) if known else None


@dataclass
class PlanYear:
    year: int
    association_year: AssociationYear | None
    contributions: list[Line] = field(default_factory=list)  # one per member
    lines: dict[str, list[Line]] = field(default_factory=dict)  # group → lines
    initiatives: list[Line] = field(default_factory=list)
    closed: bool = False

    def group(self, group: str) -> list[Line]:
        return self.lines.get(group, [])

    def total(self, lines, attr="budget") -> Decimal | None:
        return _sum(getattr(line, attr) for line in lines)

    def income_lines(self) -> list[Line]:
        return self.contributions + self.group(BudgetLineGroup.INCOME)

    def cost_lines(self) -> list[Line]:
        return (
            self.group(BudgetLineGroup.ADMIN)
            + self.initiatives
            + self.group(BudgetLineGroup.ACTIVITY)
            + self.group(BudgetLineGroup.RESERVE)
        )

    def totals(self, attr="budget") -> dict:
        """The sums of `attr` (budget, outcome or forecast); a sum of lines of which none has
        a figure is None (shown as "–"), not 0, except for the budget."""
        fallback = ZERO if attr == "budget" else None

        def total(lines):
            value = self.total(lines, attr)
            return value if value is not None else fallback

        funds = total(self.contributions)
        other = total(self.group(BudgetLineGroup.INCOME))
        equity = total(self.group(BudgetLineGroup.EQUITY))
        costs = total(self.cost_lines())
        financing = _sum([funds, other, equity])
        return {
            "funds": funds,
            "other_income": other,
            "income": _sum([funds, other]),
            "equity_used": equity,
            "financing": financing,
            "admin": total(self.group(BudgetLineGroup.ADMIN)),
            "initiatives": total(self.initiatives),
            "activity": total(self.group(BudgetLineGroup.ACTIVITY)),
            "reserve": total(self.group(BudgetLineGroup.RESERVE)),
            "costs": costs,
            "result": None if financing is None or costs is None else financing - costs,
        }

    @property
    def budget_totals(self):
        return self.totals("budget")

    @property
    def outcome_totals(self):
        return self.totals("outcome")

    @property
    def forecast_totals(self):
        return self.totals("forecast")


@dataclass
class OperationalPlan:
    association: object
    year: int
    years: list[PlanYear]

    @property
    def current(self) -> PlanYear:
        return self.years[0]


def line_types() -> list[BudgetLineType]:
    return list(BudgetLineType.objects.filter(active=True).order_by("sort_order", "code"))


def plan_year(association, year: int, types=None) -> PlanYear:
    association_year = AssociationYear.objects.filter(association=association, year=year).first()
    result = PlanYear(year=year, association_year=association_year)
    types = types if types is not None else line_types()
    stored = {}
    if association_year is not None:
        result.closed = YearClosure.objects.filter(association_year=association_year).exists()
        stored = {
            line.line_type_id: line
            for line in BudgetLine.objects.filter(association_year=association_year)
        }
        amounts = {
            c.member_id: c.amount
            for c in MemberContribution.objects.filter(association_year=association_year)
        }
        for member in members_in_year(association, year):
            amount = amounts.get(member.pk)
            result.contributions.append(
                Line(
                    code=f"INC_MEMBER_{member.pk}",
                    label=member.name,
                    group="contribution",
                    budget=amount,
                    outcome=amount,
                )
            )
    for line_type in types:
        line = stored.get(line_type.pk)
        result.lines.setdefault(line_type.group, []).append(
            Line(
                code=line_type.code,
                label=line_type.name,
                group=line_type.group,
                budget=line.budget if line else None,
                outcome=line.outcome if line else None,
                forecast=line.forecast if line else None,
                text=line.text if line else "",
            )
        )
    budgets = (
        InitiativeBudget.objects.filter(initiative__association=association, year=year)
        .select_related("initiative", "forecast")
        .order_by("initiative__name")
    )
    for budget in budgets:
        forecast = getattr(budget, "forecast", None)
        result.initiatives.append(
            Line(
                code=f"EXP_INITIATIVE_{budget.initiative_id}",
                label=budget.initiative.name,
                group="initiative",
                budget=budget.amount,
                outcome=budget.outcome,
                forecast=forecast.amount if forecast else None,
                text=budget.note,
                planned_participants=budget.planned_participants,
                compensation_model=compensation_model_label(budget.initiative, year),
                initiative=budget.initiative,
                budget_pk=budget.pk,
            )
        )
    return result


def operational_plan(association, year: int) -> OperationalPlan:
    """Year N and its plan years N+1, N+2."""
    types = line_types()
    return OperationalPlan(
        association=association,
        year=year,
        years=[plan_year(association, y, types) for y in range(year, year + PLAN_YEARS + 1)],
    )


# --- Writes -----------------------------------------------------------------------------------


def _check_amount(errors, name, value):
    if value is not None and value < 0:
        errors.setdefault(name, []).append(_("Beloppet kan inte vara negativt."))


def _save_initiative(budget: InitiativeBudget, values: Mapping, changes: dict) -> None:
    """An initiative's outcome (on its budget) and forecast for the year."""
    pk = budget.pk
    if budget.outcome != values.get("outcome"):
        changes[f"initiative_outcome:{pk}"] = [str(budget.outcome), str(values.get("outcome"))]
        budget.outcome = values.get("outcome")
        budget.save(update_fields=["outcome", "updated_at"])
    forecast = values.get("forecast")
    existing = InitiativeForecast.objects.filter(budget=budget).first()
    if forecast is None:
        if existing is not None:
            existing.delete()
            changes[f"initiative_forecast:{pk}"] = [str(existing.amount), None]
    elif existing is None or existing.amount != forecast:
        changes[f"initiative_forecast:{pk}"] = [
            str(existing.amount) if existing else None,
            str(forecast),
        ]
        InitiativeForecast.objects.update_or_create(budget=budget, defaults={"amount": forecast})


@transaction.atomic
def plan_lines_save(
    *,
    access,
    association_year: AssociationYear,
    lines: Mapping[str, Mapping],
    initiatives: Mapping[int, Mapping] | None = None,
) -> None:
    """Save the year's budget lines (`lines`: code → {budget, outcome, forecast, text}) and the
    initiatives' outcome and forecast (`initiatives`: InitiativeBudget pk → {outcome,
    forecast}). The administration lines' sums become the year's administration cost budget and
    outcome (what Uppföljning Finsam reads)."""
    access.require("finance.change", association=association_year.association_id)
    ensure_open(association_year.association_id, association_year.year)
    types = {t.code: t for t in BudgetLineType.objects.all()}
    initiatives = dict(initiatives or {})
    errors: dict[str, list[str]] = {}
    for code, values in lines.items():
        if code not in types:
            errors.setdefault("__all__", []).append(_("Okänd budgetpost."))
            continue
        for name in LINE_FIELDS:
            _check_amount(errors, f"{name}_{code}", values.get(name))
    budgets = {
        b.pk: b
        for b in InitiativeBudget.objects.select_for_update().filter(
            pk__in=list(initiatives),
            initiative__association_id=association_year.association_id,
            year=association_year.year,
        )
    }
    for pk, values in initiatives.items():
        if pk not in budgets:
            errors.setdefault("__all__", []).append(_("Insatsen hör inte till året."))
            continue
        for name in ("outcome", "forecast"):
            _check_amount(errors, f"{name}_i{pk}", values.get(name))
    if errors:
        raise ValidationError(errors)

    changes: dict[str, list] = {}
    stored = {
        line.line_type.code: line
        for line in BudgetLine.objects.select_for_update()
        .filter(association_year=association_year)
        .select_related("line_type")
    }
    for code, values in lines.items():
        line = stored.get(code)
        empty = all(values.get(n) is None for n in LINE_FIELDS) and not values.get("text")
        if line is None and empty:
            continue
        line = line or BudgetLine(association_year=association_year, line_type=types[code])
        before = [str(getattr(line, n)) if line.pk else None for n in LINE_FIELDS]
        for name in LINE_FIELDS:
            setattr(line, name, values.get(name))
        line.text = values.get("text", "") or ""
        line._history_user = access.user
        line.full_clean(validate_constraints=False)
        line.save()
        after = [str(getattr(line, n)) for n in LINE_FIELDS]
        if before != after:
            changes[f"line:{code}"] = [before, after]
    for pk, values in initiatives.items():
        _save_initiative(budgets[pk], values, changes)
    admin = BudgetLine.objects.filter(
        association_year=association_year, line_type__group=BudgetLineGroup.ADMIN
    )
    if admin.exists():
        budget_sum = _sum(line.budget for line in admin)
        outcome_sum = _sum(line.outcome for line in admin)
        association_year.admin_cost_budget = budget_sum
        association_year.admin_cost_outcome = outcome_sum
        association_year._history_user = access.user
        association_year.save(
            update_fields=["admin_cost_budget", "admin_cost_outcome", "updated_at"]
        )
    record_change(
        access=access, obj=association_year, action="finance.plan_lines_save", changes=changes
    )


@dataclass
class KeyInput:
    total: Decimal | None
    weights: dict[str, Decimal]
    fixed_shares: dict[int, Decimal]
    population_date: datetime.date | None


def key_members(association_year: AssociationYear) -> list[Member]:
    return members_in_year(association_year.association, association_year.year)


def compute_contributions(association_year: AssociationYear, data: KeyInput) -> dict[int, int]:
    """The members' contributions for `data` (raises ValidationError with field messages)."""
    errors: dict[str, list[str]] = {}
    if data.total is None:
        errors["total"] = [_("Ange förbundets totala medlemsbidrag i hela kronor.")]
    elif data.total < 0:
        errors["total"] = [_("Beloppet kan inte vara negativt.")]
    if errors:
        raise ValidationError(errors)
    members = key_members(association_year)
    municipal_ids = [m.municipality_id for m in members if m.kind == MemberKind.MUNICIPALITY]
    populations = {}
    if data.population_date is not None:
        populations = {
            mid: keys.Population(total=p.total, aged_16_64=p.aged_16_64)
            for mid, p in populations_on(municipal_ids, data.population_date).items()
        }
    spec = keys.KeySpec(weights=data.weights, fixed_shares=data.fixed_shares)
    try:
        return keys.split_contributions(
            int(data.total), [keys.member_ref(m) for m in members], spec, populations
        )
    except keys.KeySplitError as exc:
        raise ValidationError(exc.problems) from exc


@transaction.atomic
def contribution_key_set(
    *, access, association_year: AssociationYear, data: KeyInput
) -> ContributionKey:
    """Set the year's key and write every member's contribution from it (all or nothing)."""
    access.require("finance.change", association=association_year.association_id)
    ensure_open(association_year.association_id, association_year.year)
    AssociationYear.objects.select_for_update().filter(pk=association_year.pk).first()
    amounts = compute_contributions(association_year, data)
    key = ContributionKey.objects.filter(association_year=association_year).first()
    key = key or ContributionKey(association_year=association_year)
    key.total = data.total
    key.weight_population = data.weights.get(keys.POPULATION) or ZERO
    key.weight_population_16_64 = data.weights.get(keys.POPULATION_16_64) or ZERO
    key.weight_equal = data.weights.get(keys.EQUAL) or ZERO
    key.weight_fixed = data.weights.get(keys.FIXED) or ZERO
    key.population_date = data.population_date
    key.set_by, key.set_at = access.user, timezone.now()
    key.save()
    key.shares.all().delete()
    if key.weight_fixed:
        ContributionKeyShare.objects.bulk_create(
            ContributionKeyShare(key=key, member_id=pk, percent=percent)
            for pk, percent in data.fixed_shares.items()
            if pk in amounts
        )
    existing = {
        c.member_id: c for c in MemberContribution.objects.filter(association_year=association_year)
    }
    changes = {}
    for member_id, contribution in existing.items():
        if member_id not in amounts:
            changes[f"contribution:{member_id}"] = [str(contribution.amount), None]
            contribution.delete()
    for member_id, amount in amounts.items():
        contribution = existing.get(member_id) or MemberContribution(
            association_year=association_year, member_id=member_id
        )
        if contribution.pk and contribution.amount == amount:
            continue
        changes[f"contribution:{member_id}"] = [
            str(contribution.amount) if contribution.pk else None,
            str(amount),
        ]
        contribution.amount = amount
        contribution._history_user = access.user
        contribution.save()
    changes["key"] = [
        None,
        {
            "total": str(data.total),
            "weights": {b: str(w) for b, w in data.weights.items() if w},
            "population_date": str(data.population_date or ""),
        },
    ]
    record_change(
        access=access, obj=association_year, action="finance.contribution_key_set", changes=changes
    )
    return key


@transaction.atomic
def year_close(*, access, association_year: AssociationYear) -> YearClosure:
    """Close the year: from now on it is read-only."""
    access.require("finance.change", association=association_year.association_id)
    AssociationYear.objects.select_for_update().filter(pk=association_year.pk).first()
    ensure_open(association_year.association_id, association_year.year)
    closure = YearClosure.objects.create(
        association_year=association_year, closed_at=timezone.now(), closed_by=access.user
    )
    record_change(
        access=access,
        obj=association_year,
        action="finance.year_close",
        changes={"closed": [None, True]},
    )
    return closure
