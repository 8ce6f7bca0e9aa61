"""Equity (eget kapital) at the start and end of a year as a share of the year's allocated funds,
against the band the association sets (finance-law-privacy.md §3.2), the national council's
tiers as configurable data (`data/equity_tiers.json`, marked unverified until a source is named)
and what the position means for next year's planning."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from finsam.core.formats import sv_amount
from finsam.finance.selectors import (
    ABOVE,
    BELOW,
    OK,
    UNKNOWN,
    EquityStatus,
    equity_status,
    year_band,
)
from finsam.reference.models import pick

TIERS_FILE = Path(__file__).parent / "data" / "equity_tiers.json"


@dataclass(frozen=True)
class Tier:
    """Up to `basis_upper` kr of allocated funds (None: no limit), equity up to `max_pct` %."""

    basis_upper: Decimal | None
    min_pct: Decimal
    max_pct: Decimal


@dataclass(frozen=True)
class NationalRule:
    tiers: list[Tier]
    source: str
    verified: bool
    note: str

    def tier_for(self, funds: Decimal) -> Tier | None:
        for tier in self.tiers:
            if tier.basis_upper is None or funds <= tier.basis_upper:
                return tier
        return None


def national_rule(path: Path = TIERS_FILE) -> NationalRule:
    """The national council's tiers (Nationella rådet's "trappa", 2013-10-02) as data; until a
    source is named they are the default of §3.2 and marked unverified."""
    data = json.loads(path.read_text(encoding="utf-8"))
    tiers = [
        Tier(
            basis_upper=Decimal(str(t["basis_upper"])) if t["basis_upper"] is not None else None,
            min_pct=Decimal(str(t["min_pct"])),
            max_pct=Decimal(str(t["max_pct"])),
        )
        for t in data["tiers"]
    ]
    source = data.get("source") or ""
    return NationalRule(
        tiers=tiers,
        source=source,
        verified=bool(source and data.get("verified")),
        note=_in_language(data["note"]),
    )


def _in_language(text) -> str:
    """A data text given per language ({"sv": …, "en": …}) in the active language, else Swedish."""
    return pick(text) if isinstance(text, dict) else text


@dataclass
class EquityPosition:
    year: int
    start: EquityStatus
    end: EquityStatus
    national: NationalRule
    national_tier: Tier | None

    @property
    def planning(self) -> str:
        return planning_sentence(self.end, self.year)


def _trim(value) -> str:
    """10.0 → "10", 12.5 → "12,5"."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def planning_sentence(status: EquityStatus, year: int) -> str:
    """What the equity at the end of `year` means for the planning of the next year."""
    band = f"{_trim(status.band.lower)}–{_trim(status.band.upper)} %"
    following = year + 1
    if status.status == BELOW:
        return _(
            "Eget kapital är under intervallet (%(band)s). Planera %(next)s för ett överskott "
            "på minst %(amount)s kr, eller minska insatserna, så att kapitalet når den nedre "
            "gränsen."
        ) % {"band": band, "next": following, "amount": sv_amount(status.below_by)}
    if status.status == ABOVE:
        return _(
            "Eget kapital är över intervallet (%(band)s). Förbundet måste planera att använda "
            "minst %(amount)s kr av det egna kapitalet %(next)s (ett budgeterat underskott); "
            "ett kapital över den rekommenderade nivån kan minska statens tilldelning."
        ) % {"band": band, "next": following, "amount": sv_amount(status.above_by)}
    if status.status == OK:
        return _(
            "Eget kapital är inom intervallet (%(band)s). Planera %(next)s för en budget i balans."
        ) % {"band": band, "next": following}
    return _("Eget kapital eller tilldelade medel saknas; läget kan inte bedömas.")


def equity_position(association_year, funds: Decimal) -> EquityPosition:
    """The year's equity at start and end against the year's band."""
    band = year_band(association_year)
    rule = national_rule()
    return EquityPosition(
        year=association_year.year,
        start=equity_status(association_year.equity_at_start, funds, band),
        end=equity_status(association_year.equity_at_end, funds, band),
        national=rule,
        national_tier=rule.tier_for(funds) if funds else None,
    )


__all__ = ["ABOVE", "BELOW", "OK", "UNKNOWN", "equity_position", "planning_sentence"]
