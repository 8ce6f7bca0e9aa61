"""The demo's operational plan (seed 002, Östra Skaraborg's Verksamhetsplan 2020), through
`finsam.finance.plan` and `finsam.finance.services`: municipal population figures (SCB, marked
unverified), the plan year 2020 with the plan years 2021 and 2022, the members' contributions by
the population key, the equity band of the seed (10–20 %), the other budget lines and the
reserve ("Framtida insatser, ca 800 000 kr").

Only an association whose spec has `other_budget_lines_2020` (seed 002) gets a plan. Figures not
in the seed are assumptions: the split of the administration costs by type, the equity used and
the plan years' figures (a plan year's reserve is what is not yet allocated). A year that
already has a key or lines is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from finsam.finance import plan, services
from finsam.finance.models import AssociationYear, BudgetLine, ContributionKey
from finsam.reference.population import load_population

PLAN_YEAR = 2020
POPULATION_DATE = datetime.date(2019, 12, 31)
# Assumption: the administration cost of a year split by type (shares of the year's total).
ADMIN_SPLIT = {
    "EXP_PERSONNEL": Decimal("0.70"),
    "EXP_PREMISES": Decimal("0.09"),
    "EXP_BOARD": Decimal("0.11"),
    "EXP_AUDIT": Decimal("0.04"),
    "EXP_ADMIN_OTHER": Decimal("0.06"),
}
# Assumption: the plan years' figures (the seed plans 2020 only).
PLAN_YEARS = {2022: {"funds": 7_200_000, "admin_cost_budget": 1_400_000}}
_LINE_CODES = {
    "Utvärdering/uppföljning": "EXP_EVAL",
    "Kompetensutvecklingsinsatser": "EXP_COMPETENCE",
    "Framtida insatser": "EXP_FUTURE",
}


def _split(total: int | None) -> dict[str, Decimal | None]:
    if total is None:
        return dict.fromkeys(ADMIN_SPLIT)
    from finsam.finance.contributions import largest_remainder

    return {code: Decimal(v) for code, v in largest_remainder(total, ADMIN_SPLIT).items()}


def load_operational_plan(spec: dict, association, *, access, result) -> None:
    other_lines = spec.get("other_budget_lines_2020")
    if not other_lines:
        return
    load_population()
    funds = {y["year"]: y["funds"] for y in (spec.get("finance_years") or {}).get("years", [])}
    for year, figures in PLAN_YEARS.items():
        funds.setdefault(year, figures["funds"])
        if not AssociationYear.objects.filter(association=association, year=year).exists():
            services.association_year_create(access=access, association=association, year=year)
            result.add("associationyear")
    low, high = spec.get("equity_target_percent") or (10, 20)
    services.equity_band_set(
        access=access,
        association=association,
        year=PLAN_YEAR,
        lower=Decimal(low),
        upper=Decimal(high),
    )
    for year in range(PLAN_YEAR, PLAN_YEAR + plan.PLAN_YEARS + 1):
        association_year = AssociationYear.objects.get(association=association, year=year)
        if not ContributionKey.objects.filter(association_year=association_year).exists():
            plan.contribution_key_set(
                access=access,
                association_year=association_year,
                data=plan.KeyInput(
                    total=Decimal(funds[year]),
                    weights={"population": Decimal(100)},
                    fixed_shares={},
                    population_date=POPULATION_DATE,
                ),
            )
        if BudgetLine.objects.filter(association_year=association_year).exists():
            continue
        budget_total = association_year.admin_cost_budget or PLAN_YEARS.get(year, {}).get(
            "admin_cost_budget"
        )
        budget = _split(int(budget_total) if budget_total is not None else None)
        outcome_total = association_year.admin_cost_outcome
        outcome = _split(int(outcome_total) if outcome_total is not None else None)
        lines = {code: {"budget": budget[code], "outcome": outcome[code]} for code in ADMIN_SPLIT}
        for item in other_lines:  # the seed's lines, planned the same in the plan years
            lines[_LINE_CODES[item["name"]]] = {
                "budget": Decimal(item["amount"]),
                "text": item["text"] if year == PLAN_YEAR else "",
            }
        current = plan.plan_year(association, year)
        if year != PLAN_YEAR:
            # Assumption: a plan year keeps what is not yet allocated as its reserve.
            others = sum(v["budget"] or 0 for c, v in lines.items() if c != "EXP_FUTURE")
            lines["EXP_FUTURE"]["budget"] = max(
                Decimal(funds[year]) - others - current.budget_totals["initiatives"], Decimal(0)
            )
        costs = sum(v["budget"] or 0 for v in lines.values()) + (
            current.budget_totals["initiatives"] or 0
        )
        # The equity the budget uses: what the costs exceed the contributions by.
        equity_used = max(Decimal(costs) - Decimal(funds[year]), Decimal(0))
        equity_outcome = None
        if (
            association_year.equity_at_start is not None
            and association_year.equity_at_end is not None
        ):
            equity_outcome = max(
                association_year.equity_at_start - association_year.equity_at_end, 0
            )
        lines["INC_EQUITY_USE"] = {
            "budget": equity_used,
            "outcome": Decimal(equity_outcome) if equity_outcome is not None else None,
        }
        plan.plan_lines_save(access=access, association_year=association_year, lines=lines)
        result.add("budgetline")
