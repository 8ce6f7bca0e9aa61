"""The arithmetic of the socioeconomic estimate (finance-law-privacy.md §5.2): plain functions on
plain numbers, no database.

For each year t = 1 … H of the horizon, a participant who left benefits of type X (social
assistance: the municipality; sickness or activity compensation, sickness or unemployment
benefit: the state) saves the actor paying X its yearly cost per person, and the region its
health-care cost per person, times the share who still stand without benefits that year:

    share(t)    = share_year1 × persistence^(t−1),   persistence = (share_year5 / share_year1)^(1/4)
    gain(t)     = [n_municipality × (c_municipality + c_region)
                   + n_state × (c_state + c_region)] × share(t)
    discounted  = gain(t) / (1 + rate)^(t−1)            (year 1 is not discounted)
    gain(H)     = Σ_{t=1..H} discounted gain(t)
    break-even  = ⌈ cost / per-person gain(H) ⌉          (participants leaving benefits of type X)
    payback     = cost / gain(1)                         (years, undiscounted)

A scenario ("N participants leave benefits of type X for Y years") is the same with share 100 %
every year of the horizon. Amounts are Decimals in kronor, shares and rates fractions (0.035).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
ACTORS = ("state", "region", "municipality")


@dataclass(frozen=True)
class Inputs:
    cost: Decimal  # the initiative's cost, kronor
    leavers_municipality: int  # participants who left social assistance
    leavers_state: int  # participants who left state-paid benefits
    cost_state: Decimal  # yearly public cost of one person outside work, per actor
    cost_region: Decimal
    cost_municipality: Decimal
    discount_rate: Decimal  # fraction
    share_year1: Decimal  # fraction still without benefits in year 1
    share_year5: Decimal  # fraction still without benefits in year 5
    years: int  # the horizon H
    production_value: Decimal = ZERO  # per person in work and year (societal, not public)

    @property
    def leavers(self) -> int:
        return self.leavers_municipality + self.leavers_state


def persistence(inputs: Inputs) -> Decimal:
    """The share who stay without benefits from one year to the next."""
    if inputs.share_year1 <= 0:
        return ZERO
    ratio = min(inputs.share_year5 / inputs.share_year1, ONE)
    if ratio <= 0:
        return ZERO
    return ratio ** Decimal("0.25")


def share(inputs: Inputs, year: int) -> Decimal:
    if year == 1:
        return inputs.share_year1
    return inputs.share_year1 * persistence(inputs) ** (year - 1)


def discount_factor(rate: Decimal, year: int) -> Decimal:
    return ONE / (ONE + rate) ** (year - 1)


@dataclass(frozen=True)
class Year:
    year: int
    share: Decimal
    by_actor: dict  # actor -> undiscounted gain of the year
    gain: Decimal  # undiscounted, all actors
    discounted: Decimal
    cumulative: Decimal  # discounted, years 1..year
    cumulative_undiscounted: Decimal
    production: Decimal  # undiscounted production value of the year (societal)


def per_person_yearly(inputs: Inputs, kind: str) -> dict:
    """The yearly gain per actor of one participant who left benefits of `kind`
    ("municipality" or "state"), before the share and discounting."""
    return {
        "state": inputs.cost_state if kind == "state" else ZERO,
        "region": inputs.cost_region,
        "municipality": inputs.cost_municipality if kind == "municipality" else ZERO,
    }


def years(inputs: Inputs) -> list[Year]:
    out = []
    cumulative = cumulative_undiscounted = ZERO
    municipality = per_person_yearly(inputs, "municipality")
    state = per_person_yearly(inputs, "state")
    for t in range(1, inputs.years + 1):
        s = share(inputs, t)
        by_actor = {
            actor: (
                inputs.leavers_municipality * municipality[actor]
                + inputs.leavers_state * state[actor]
            )
            * s
            for actor in ACTORS
        }
        gain = sum(by_actor.values(), ZERO)
        discounted = gain * discount_factor(inputs.discount_rate, t)
        cumulative += discounted
        cumulative_undiscounted += gain
        production = inputs.leavers * inputs.production_value * s
        out.append(
            Year(t, s, by_actor, gain, discounted, cumulative, cumulative_undiscounted, production)
        )
    return out


def gain(inputs: Inputs, horizon: int | None = None, *, discounted: bool = True) -> Decimal:
    """The public gain over `horizon` years (default: the inputs' horizon)."""
    horizon = inputs.years if horizon is None else horizon
    rows = years(dataclasses.replace(inputs, years=horizon))
    if not rows:
        return ZERO
    return rows[-1].cumulative if discounted else rows[-1].cumulative_undiscounted


def gain_by_actor(inputs: Inputs, horizon: int | None = None) -> dict:
    """The discounted public gain per actor over `horizon` years."""
    horizon = inputs.years if horizon is None else horizon
    rows = years(dataclasses.replace(inputs, years=horizon))
    return {
        actor: sum(
            (r.by_actor[actor] * discount_factor(inputs.discount_rate, r.year) for r in rows),
            ZERO,
        )
        for actor in ACTORS
    }


def per_person_gain(inputs: Inputs, kind: str, horizon: int | None = None) -> Decimal:
    """The discounted public gain over the horizon of one participant leaving `kind`."""
    one = dataclasses.replace(
        inputs,
        leavers_municipality=1 if kind == "municipality" else 0,
        leavers_state=1 if kind == "state" else 0,
    )
    return gain(one, horizon)


def break_even(inputs: Inputs, kind: str, horizon: int | None = None) -> int | None:
    """How many participants leaving benefits of `kind` pay back the cost over the horizon
    (discounted); None when one of them gains nothing."""
    if inputs.cost <= 0:
        return 0
    each = per_person_gain(inputs, kind, horizon)
    if each <= 0:
        return None
    return math.ceil(inputs.cost / each)


def payback_years(inputs: Inputs) -> Decimal | None:
    """The cost over the first year's gain (years); None without a gain."""
    first = gain(inputs, 1)
    if first <= 0:
        return None
    return inputs.cost / first


@dataclass(frozen=True)
class Variant:
    """One line of the sensitivity table: which assumption changed, to what, and the result."""

    parameter: str  # a key of `SENSITIVITY_LABELS` in the selectors
    value: Decimal  # the changed value (kr, fraction or years)
    gain: Decimal  # discounted over the variant's horizon
    net: Decimal  # gain − cost
    break_even_municipality: int | None
    break_even_state: int | None
    is_base: bool = False


def _variant(inputs: Inputs, parameter: str, value, *, is_base=False) -> Variant:
    g = gain(inputs)
    return Variant(
        parameter,
        Decimal(value),
        g,
        g - inputs.cost,
        break_even(inputs, "municipality"),
        break_even(inputs, "state"),
        is_base,
    )


def sensitivity(inputs: Inputs, *, scenario: bool = False) -> list[Variant]:
    """The result when one key assumption at a time is changed: the share who stay off benefits
    (not in a scenario, where they stay off by definition), the years off benefits, the cost per
    person (every actor's, ±20 %), the discount rate and the initiative's cost (±20 %)."""
    replace = dataclasses.replace
    out = [_variant(inputs, "base", 0, is_base=True)]
    if not scenario:
        for factor in (Decimal("0.5"), Decimal("0.75")):
            out.append(
                _variant(
                    replace(
                        inputs,
                        share_year1=inputs.share_year1 * factor,
                        share_year5=inputs.share_year5 * factor,
                    ),
                    "share",
                    inputs.share_year1 * factor,
                )
            )
    for horizon in sorted({1, max(1, inputs.years - 2), min(40, inputs.years + 2)}):
        if horizon != inputs.years:
            out.append(_variant(replace(inputs, years=horizon), "years", horizon))
    for factor in (Decimal("0.8"), Decimal("1.2")):
        out.append(
            _variant(
                replace(
                    inputs,
                    cost_state=inputs.cost_state * factor,
                    cost_region=inputs.cost_region * factor,
                    cost_municipality=inputs.cost_municipality * factor,
                ),
                "cost_per_person",
                factor,
            )
        )
    for rate in sorted({ZERO, inputs.discount_rate + Decimal("0.02")}):
        if rate != inputs.discount_rate:
            out.append(_variant(replace(inputs, discount_rate=rate), "discount_rate", rate))
    for factor in (Decimal("0.8"), Decimal("1.2")):
        out.append(_variant(replace(inputs, cost=inputs.cost * factor), "cost", factor))
    return out
