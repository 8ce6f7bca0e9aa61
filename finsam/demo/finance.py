"""Demo finance years (`finance_years` in `data/skaraborg.json`), through `finsam.finance.services`.

The year's allocated funds are never typed as a total in finsam: they are the members'
contributions. The JSON gives the funds of a year; each member contributes its share of them
(rounded to whole kronor by largest remainder, so the contributions add up to the funds exactly).
A year that already exists is left as it is.
"""

from __future__ import annotations

from decimal import Decimal

from finsam.demo.plan import load_operational_plan
from finsam.finance import services
from finsam.finance.contributions import largest_remainder
from finsam.finance.models import AssociationYear


def load_finance_years(spec: dict, association, *, access, result) -> None:
    finance = spec.get("finance_years") or {}
    shares = {m.pk: m.contribution_share for m in association.members.all()}
    existing = set(
        AssociationYear.objects.filter(association=association).values_list("year", flat=True)
    )
    for year in sorted(finance.get("years", []), key=lambda y: y["year"]):
        if year["year"] in existing:
            continue
        association_year = services.association_year_create(
            access=access, association=association, year=year["year"]
        )
        services.association_year_update(
            access=access,
            association_year=association_year,
            equity_at_start=Decimal(year["equity_at_start"]),
            equity_at_end=Decimal(year["equity_at_end"]),
            admin_cost_budget=Decimal(year["admin_cost_budget"]),
            admin_cost_outcome=Decimal(year["admin_cost_outcome"]),
            note=year.get("note", ""),
            contributions=largest_remainder(year["funds"], shares),
        )
        result.add("associationyear")
    load_operational_plan(spec, association, access=access, result=result)
