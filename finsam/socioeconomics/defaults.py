"""The defaults of the assumptions (finance-law-privacy.md §5, §7), each with its source or
marked as an assumption ("antagande") where no public source gives the number.

An association that has not set an assumption uses these; the secretariat replaces them with the
association's own figures (e.g. the member municipality's own social assistance per full-year
equivalent, as Finsam Uppsala's "Nyttoanalys" asks its users to enter)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from finsam.socioeconomics.models import AssumptionKey

UPPSALA_URL = "https://finsamuppsala.se/nyttoanalys/"
UPPSALA_DATE = datetime.date(2022, 12, 31)


@dataclass(frozen=True)
class Default:
    value: Decimal
    source: str
    source_url: str = ""
    source_date: datetime.date | None = None
    is_assumption: bool = False


def _uppsala(what):
    return _(
        "Finsam Uppsala, Nyttoanalys: standardkostnad per helårsekvivalent (SCB), genomsnitt "
        "Uppsala län 2022, 162 000 kr. Gäller alla ersättningar; här som %(what)s."
    ) % {"what": what}


def defaults() -> dict[str, Default]:
    """The default of every assumption key (translated at call time)."""
    return {
        AssumptionKey.COST_STATE: Default(
            Decimal("162000"),
            _uppsala(_("ersättning från staten (sjuk- och aktivitetsersättning, sjukpenning)")),
            UPPSALA_URL,
            UPPSALA_DATE,
        ),
        AssumptionKey.COST_REGION: Default(
            Decimal("0"),
            _(
                "Ingen offentlig källa hittad för regionens vårdkostnad per person. Satt till 0 "
                "(försiktigt) tills förbundet anger en egen uppgift."
            ),
            is_assumption=True,
        ),
        AssumptionKey.COST_MUNICIPALITY: Default(
            Decimal("162000"),
            _uppsala(_("försörjningsstöd (ekonomiskt bistånd)")),
            UPPSALA_URL,
            UPPSALA_DATE,
        ),
        AssumptionKey.PRODUCTION_VALUE: Default(
            Decimal("0"),
            _(
                "Ingen offentlig källa hittad. Satt till 0 tills förbundet anger en egen uppgift; "
                "produktionsvärdet är en samhällsvinst, inte en offentlig, och räknas inte in i "
                "återbetalningen."
            ),
            is_assumption=True,
        ),
        AssumptionKey.DISCOUNT_RATE: Default(
            Decimal("3.5"),
            _(
                "Vanlig real kalkylränta i svenska samhällsekonomiska kalkyler; "
                "ingen källa angiven."
            ),
            is_assumption=True,
        ),
        AssumptionKey.SHARE_YEAR1: Default(
            Decimal("100"),
            _(
                "Alla som lämnat ersättning vid avslut står utan ersättning år 1 (metodförslaget i "
                "finance-law-privacy.md §5.2, ingen offentlig källa)."
            ),
            is_assumption=True,
        ),
        AssumptionKey.SHARE_YEAR5: Default(
            Decimal("40.96"),
            _(
                "80 % står kvar från ett år till nästa, alltså 0,8⁴ = 40,96 % efter 5 år "
                "(metodförslaget i finance-law-privacy.md §5.2, ingen offentlig källa)."
            ),
            is_assumption=True,
        ),
    }
