"""Reads for the socioeconomic estimate: the association's assumptions (stored or default), the
initiative's cost from its budgets, the participants who left benefits as an aggregate of the
exits (never per person), and an estimate's result."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from finsam.core import formats
from finsam.finance.models import InitiativeBudget
from finsam.participants.models import Enrolment
from finsam.socioeconomics import calculation as calc
from finsam.socioeconomics.defaults import defaults
from finsam.socioeconomics.models import (
    UNITS,
    Assumption,
    AssumptionKey,
    CostSource,
    Estimate,
    EstimateMode,
    LeaverSource,
    Unit,
)

# The national reporting categories of income sources (reference/data/README.md) that are a
# public benefit, and which actor pays them.
MUNICIPALITY_CATEGORIES = frozenset({"social_assistance"})
STATE_CATEGORIES = frozenset({"unemployment", "sickness", "activity"})
BENEFIT_CATEGORIES = MUNICIPALITY_CATEGORIES | STATE_CATEGORIES | {"other"}


@dataclass(frozen=True)
class AssumptionView:
    """One assumption as the estimate uses it: stored or the default."""

    key: str
    label: str
    value: Decimal
    unit: str
    source: str
    source_url: str
    source_date: object
    is_assumption: bool
    is_default: bool
    changed_by: object = None
    changed_at: object = None

    @property
    def is_percent(self) -> bool:
        return self.unit == Unit.PERCENT

    @property
    def unit_label(self) -> str:
        return Unit(self.unit).label


def assumptions(association) -> dict[str, AssumptionView]:
    """Every assumption of `association`, in the order of `AssumptionKey`."""
    stored = {
        a.key: a
        for a in Assumption.objects.filter(association=association).select_related("changed_by")
    }
    out = {}
    for key in AssumptionKey:
        if key.value in stored:
            a = stored[key.value]
            out[key.value] = AssumptionView(
                key.value,
                str(key.label),
                a.value,
                UNITS[key],
                a.source,
                a.source_url,
                a.source_date,
                a.is_assumption,
                False,
                a.changed_by,
                a.updated_at,
            )
        else:
            d = defaults()[key]
            out[key.value] = AssumptionView(
                key.value,
                str(key.label),
                d.value,
                UNITS[key],
                str(d.source),
                d.source_url,
                d.source_date,
                d.is_assumption,
                True,
            )
    return out


def assumption_history(association, limit: int = 50) -> list:
    """The latest changes of the association's assumptions, newest first."""
    return list(
        Assumption.history.filter(association_id=association.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )


def budget_cost(initiative) -> tuple[Decimal, list]:
    """The initiative's cost from its budgets: each year's outcome where known, else its budget;
    and the (year, amount) lines it is made of."""
    lines = [
        (b.year, b.outcome if b.outcome is not None else b.amount, b.outcome is not None)
        for b in InitiativeBudget.objects.filter(initiative=initiative).order_by("year")
    ]
    return sum((amount for _y, amount, _o in lines), Decimal(0)), lines


@dataclass(frozen=True)
class Leavers:
    """The participants who left benefits, counted from the exits (an aggregate)."""

    municipality: int
    state: int
    exited: int

    @property
    def total(self) -> int:
        return self.municipality + self.state

    @property
    def is_small(self) -> bool:
        """Fewer than the small-cell limit (1–4): the estimate rests on very few people."""
        return 1 <= self.total < settings.SMALL_CELL_LIMIT


def leavers_from_exits(initiative) -> Leavers:
    """Counted exits of `initiative` with a public benefit before and none after (income source
    after known): those who had social assistance count for the municipality, the others with a
    state-paid benefit for the state. One count per enrolment, never a list of persons."""
    exited = Enrolment.objects.counted().filter(initiative=initiative, end_date__isnull=False)
    left = (
        exited.filter(income_sources_after__isnull=False)
        .exclude(income_sources_after__category__in=BENEFIT_CATEGORIES | {"unknown"})
        .distinct()
    )
    municipality = left.filter(income_sources_before__category__in=MUNICIPALITY_CATEGORIES)
    state = left.filter(income_sources_before__category__in=STATE_CATEGORIES).exclude(
        income_sources_before__category__in=MUNICIPALITY_CATEGORIES
    )
    return Leavers(
        municipality.values("pk").distinct().count(),
        state.values("pk").distinct().count(),
        exited.count(),
    )


def estimate_cost(estimate: Estimate) -> Decimal:
    if estimate.cost_source == CostSource.ENTERED:
        return estimate.cost_amount or Decimal(0)
    return budget_cost(estimate.initiative)[0]


def _fraction(view: AssumptionView) -> Decimal:
    return view.value / 100


@dataclass(frozen=True)
class Result:
    estimate: Estimate
    assumptions: dict
    inputs: calc.Inputs
    cost_lines: list
    leavers: Leavers | None
    years: list
    sensitivity: list
    gain_1: Decimal
    gain_h: Decimal
    gain_h_undiscounted: Decimal
    by_actor_1: dict
    by_actor_5: dict
    by_actor_h: dict
    break_even_municipality: int | None
    break_even_state: int | None
    payback_years: Decimal | None
    production_h: Decimal

    @property
    def is_scenario(self) -> bool:
        return self.estimate.mode == EstimateMode.SCENARIO

    @property
    def net_h(self) -> Decimal:
        return self.gain_h - self.inputs.cost

    @property
    def net_h_undiscounted(self) -> Decimal:
        return self.gain_h_undiscounted - self.inputs.cost

    @property
    def covered(self) -> bool:
        return self.gain_h >= self.inputs.cost

    @property
    def covered_undiscounted(self) -> bool:
        return self.gain_h_undiscounted >= self.inputs.cost

    @property
    def actors(self) -> list[tuple[str, Decimal, Decimal, Decimal]]:
        """(actor, year 1, 5 years discounted, the horizon discounted) per actor."""
        return [
            (ACTOR_LABELS[a](), self.by_actor_1[a], self.by_actor_5[a], self.by_actor_h[a])
            for a in calc.ACTORS
        ]

    @property
    def gain_5(self) -> Decimal:
        return sum(self.by_actor_5.values(), Decimal(0))

    @property
    def shows_5_years(self) -> bool:
        """A horizon beyond 5 years: the 5-year figures get a column of their own."""
        return self.inputs.years > 5

    @property
    def used_assumptions(self) -> list[AssumptionView]:
        keys = [
            AssumptionKey.COST_STATE,
            AssumptionKey.COST_REGION,
            AssumptionKey.COST_MUNICIPALITY,
            AssumptionKey.DISCOUNT_RATE,
            AssumptionKey.PRODUCTION_VALUE,
        ]
        if not self.is_scenario:
            keys += [AssumptionKey.SHARE_YEAR1, AssumptionKey.SHARE_YEAR5]
        return [self.assumptions[k.value] for k in keys]


ACTOR_LABELS = {
    "state": lambda: _("Staten"),
    "region": lambda: _("Regionen"),
    "municipality": lambda: _("Kommunen"),
}


def inputs_for(estimate: Estimate, views: dict, leavers: Leavers | None) -> calc.Inputs:
    scenario = estimate.mode == EstimateMode.SCENARIO
    if leavers is not None:
        municipality, state = leavers.municipality, leavers.state
    else:
        municipality, state = estimate.leavers_municipality, estimate.leavers_state
    return calc.Inputs(
        cost=estimate_cost(estimate),
        leavers_municipality=municipality,
        leavers_state=state,
        cost_state=views[AssumptionKey.COST_STATE].value,
        cost_region=views[AssumptionKey.COST_REGION].value,
        cost_municipality=views[AssumptionKey.COST_MUNICIPALITY].value,
        discount_rate=_fraction(views[AssumptionKey.DISCOUNT_RATE]),
        share_year1=Decimal(1) if scenario else _fraction(views[AssumptionKey.SHARE_YEAR1]),
        share_year5=Decimal(1) if scenario else _fraction(views[AssumptionKey.SHARE_YEAR5]),
        years=estimate.years,
        production_value=views[AssumptionKey.PRODUCTION_VALUE].value,
    )


def result(estimate: Estimate) -> Result:
    views = assumptions(estimate.association)
    leavers = (
        leavers_from_exits(estimate.initiative)
        if estimate.leaver_source == LeaverSource.EXITS
        else None
    )
    inputs = inputs_for(estimate, views, leavers)
    if estimate.cost_source == CostSource.BUDGETS:
        cost_lines = budget_cost(estimate.initiative)[1]
    else:
        cost_lines = []
    rows = calc.years(inputs)
    return Result(
        estimate=estimate,
        assumptions=views,
        inputs=inputs,
        cost_lines=cost_lines,
        leavers=leavers,
        years=rows,
        sensitivity=calc.sensitivity(inputs, scenario=estimate.mode == EstimateMode.SCENARIO),
        gain_1=calc.gain(inputs, 1),
        gain_h=calc.gain(inputs),
        gain_h_undiscounted=calc.gain(inputs, discounted=False),
        by_actor_1=calc.gain_by_actor(inputs, 1),
        by_actor_5=calc.gain_by_actor(inputs, 5),
        by_actor_h=calc.gain_by_actor(inputs),
        break_even_municipality=calc.break_even(inputs, "municipality"),
        break_even_state=calc.break_even(inputs, "state"),
        payback_years=calc.payback_years(inputs),
        production_h=sum((r.production for r in rows), Decimal(0)),
    )


def section(initiative) -> dict:
    """The initiative's estimates, for its page's section."""
    return {
        "estimates": list(Estimate.objects.filter(initiative=initiative).order_by("-created_at"))
    }


def amount(value) -> str:
    """An amount rounded to whole kronor (half up) as Swedish readers write it: the estimate's
    figures carry decimals, and `formats.sv_amount` cuts them off."""
    if value is None or value == "":
        return formats.sv_amount(value)
    return formats.sv_amount(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _pct(fraction: Decimal) -> str:
    """0.4096 → "40,96 %", 0.8 → "80 %", 0.035 → "3,5 %" (at most two decimals)."""
    value = round(fraction * 100, 2)
    decimals = (
        0
        if value == value.to_integral()
        else (1 if value * 10 == (value * 10).to_integral() else 2)
    )
    return formats.sv_percent_value(value, decimals=decimals)


def arithmetic(result: Result) -> list[str]:
    """The estimate's arithmetic written out, line by line, for the page (and the test)."""
    i = result.inputs
    kr = amount
    lines = []
    per_m = i.cost_municipality + i.cost_region
    per_s = i.cost_state + i.cost_region
    parts = []
    if i.leavers_municipality:
        parts.append(
            _("%(n)s × (%(c)s + %(r)s) kr")
            % {"n": i.leavers_municipality, "c": kr(i.cost_municipality), "r": kr(i.cost_region)}
        )
    if i.leavers_state:
        parts.append(
            _("%(n)s × (%(c)s + %(r)s) kr")
            % {"n": i.leavers_state, "c": kr(i.cost_state), "r": kr(i.cost_region)}
        )
    yearly = i.leavers_municipality * per_m + i.leavers_state * per_s
    lines.append(
        _("Offentlig kostnad per år för dem som lämnar ersättning: %(parts)s = %(sum)s kr.")
        % {"parts": " + ".join(parts) or "0", "sum": kr(yearly)}
    )
    if result.is_scenario:
        lines.append(
            _("Utan diskontering, %(years)s år: %(yearly)s kr × %(years)s = %(total)s kr.")
            % {"years": i.years, "yearly": kr(yearly), "total": kr(result.gain_h_undiscounted)}
        )
    else:
        lines.append(
            _(
                "Andel som står utan ersättning år t: %(s1)s × %(p)s^(t−1) (%(s5)s efter 5 år). "
                "Utan diskontering, %(years)s år: %(total)s kr."
            )
            % {
                "s1": _pct(i.share_year1),
                "p": _pct(calc.persistence(i)),
                "s5": _pct(i.share_year5),
                "years": i.years,
                "total": kr(result.gain_h_undiscounted),
            }
        )
    lines.append(
        _(
            "Diskonterat med %(rate)s per år (år 1 diskonteras inte, år t med "
            "(1 + %(rate)s)^(t−1)): %(total)s kr."
        )
        % {"rate": _pct(i.discount_rate), "total": kr(result.gain_h)}
    )
    verdict = {
        (True, True): _("täcker kostnaden både utan och med diskontering"),
        (True, False): _("täcker kostnaden utan diskontering men inte med"),
        (False, False): _("täcker inte kostnaden"),
        (False, True): _("täcker kostnaden med diskontering"),
    }[(result.covered_undiscounted, result.covered)]
    lines.append(
        _(
            "Insatsens kostnad: %(cost)s kr. Vinsten över %(years)s år %(verdict)s "
            "(utan diskontering %(net_u)s kr, med %(net)s kr)."
        )
        % {
            "cost": kr(i.cost),
            "years": i.years,
            "verdict": verdict,
            "net_u": kr(result.net_h_undiscounted),
            "net": kr(result.net_h),
        }
    )
    if yearly > 0 and i.years:
        lines.append(
            _(
                "Kostnaden täcks utan diskontering om den offentliga kostnaden per år för dem som "
                "lämnar ersättning är minst %(needed)s kr."
            )
            % {
                "needed": kr(i.cost * yearly / result.gain_h_undiscounted)
                if result.gain_h_undiscounted
                else "–",
            }
        )
    return lines
