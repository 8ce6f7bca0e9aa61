"""Demo socioeconomic estimates, through `finsam.socioeconomics.services`, with the association's
default assumptions (Finsam Uppsala's 162 000 kr per full-year equivalent, the rest marked as
assumptions):

- Östra Skaraborg's Promise Hjo: the domain page's worked example (finance-law-privacy.md §5.2):
  the 2020 budget of 1 115 000 kr (seed 002), 8 of 20 participants leaving social assistance
  (outcomes invented), over 5 years;
- seed 004's claim as a scenario: one participant leaving 14 years of social assistance covers
  the first two years' costs of the Lund project "Kraft" (2 × 1 096 000 kr). The demo has no
  Lund association; the scenario sits on Promise Hjo, which serves the same target group.

An estimate whose title already exists is left as it is."""

from __future__ import annotations

from decimal import Decimal

from finsam.socioeconomics import services
from finsam.socioeconomics.models import Estimate

ESTIMATES = {
    "ostra-skaraborg": [
        {
            "initiative": "Promise Hjo",
            "title": "Promise Hjo 2020: 8 av 20 deltagare lämnar försörjningsstöd",
            "mode": "initiative",
            "cost_source": "budgets",
            "cost_amount": None,
            "leaver_source": "entered",
            "leavers_municipality": 8,
            "leavers_state": 0,
            "years": 5,
            "note": (
                "Räkneexemplet i finance-law-privacy.md §5.2: budget 2020 (seed 002), 20 deltagare "
                "med försörjningsstöd, vid avslut 5 i arbete och 3 i studier (utfallet påhittat)."
            ),
        },
        {
            "initiative": "Promise Hjo",
            "title": "Scenario ur seed 004: en deltagare lämnar 14 års försörjningsstöd",
            "mode": "scenario",
            "cost_source": "entered",
            "cost_amount": Decimal(2 * 1_096_000),
            "leaver_source": "entered",
            "leavers_municipality": 1,
            "leavers_state": 0,
            "years": 14,
            "note": (
                "Seed 004 (Lunds samordningsförbund, projektet Kraft, sökta medel 1 096 000 kr per "
                "år): ”en av deltagarna i första gruppen, 55 år gammal, är nu i heltidsarbete. "
                "Deltagaren har tidigare haft ekonomiskt bistånd under 14 år … Räknar vi "
                "socioekonomiskt på detta bör projektets kostnader för de två första åren vara "
                "täckta.” Kostnaden här: de två första åren, 2 × 1 096 000 kr."
            ),
        },
    ]
}


def load_estimates(association, initiatives: dict, *, access, result) -> None:
    """The demo estimates of `association`; `initiatives` maps names to initiatives."""
    for spec in ESTIMATES.get(association.slug, []):
        initiative = initiatives.get(spec["initiative"])
        if initiative is None:
            continue
        if Estimate.objects.filter(initiative=initiative, title=spec["title"]).exists():
            continue
        data = {k: v for k, v in spec.items() if k != "initiative"}
        services.estimate_save(access=access, initiative=initiative, **data)
        result.add("estimate")
