"""Demo finance years (`finance_years` in `data/skaraborg.json`), through `finsam.finance.services`.

The year's allocated funds are never typed as a total in finsam: they are the members'
contributions. The JSON gives the funds of a year; each member contributes its share of them
(rounded to whole kronor by largest remainder, so the contributions add up to the funds exactly).
A year that already exists is left as it is.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from finsam.finance import services
from finsam.finance.models import AssociationYear


def split_funds(funds: int, shares: dict[int, Decimal]) -> dict[int, Decimal]:
    """`funds` kr split in proportion to `shares` (member id → share), whole kronor, exact sum."""
    whole = sum(shares.values())
    raw = {pk: Decimal(funds) * share / whole for pk, share in shares.items()}
    parts = {pk: value.to_integral_value(rounding=ROUND_FLOOR) for pk, value in raw.items()}
    left = int(funds - sum(parts.values()))
    for pk in sorted(raw, key=lambda pk: raw[pk] - parts[pk], reverse=True)[:left]:
        parts[pk] += 1
    return parts


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
            contributions=split_funds(year["funds"], shares),
        )
        result.add("associationyear")
