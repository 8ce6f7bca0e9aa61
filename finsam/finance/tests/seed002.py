"""Seed 002 (Verksamhetsplan 2020, Samordningsförbundet Östra Skaraborg) as test data: its
members, its initiatives' 2020 budgets, its other budget lines and its reserve. The total of the
members' contributions is not in the seed: the demo's assumption (7 200 000 kr) is used."""

from __future__ import annotations

import datetime
from decimal import Decimal

from finsam.associations.models import MemberKind
from finsam.associations.tests.factories import MemberFactory
from finsam.finance.tests.factories import AssociationYearFactory, InitiativeBudgetFactory
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.reference.models import Municipality, Region
from finsam.reference.population import load_population

# (name, amount, planned participants) — seed 002's initiatives and their 2020 budgets.
INITIATIVES_2020 = [
    ("Stärka individen", 3_000_000, None),
    ("Vägen framåt", 533_000, None),
    ("Rätt Hjälp", 558_000, 75),
    ("Hantverksstegen", 550_000, 7),
    ("Hälsoskolan", 296_000, None),
    ("Promise Hjo", 1_115_000, None),
    ("Våld i nära relation", 100_000, None),
    ("Ung Arena", 400_000, None),
    ("SAR Hjo", 160_000, None),
    ("Det goda exemplet", 25_000, None),
]
OTHER_LINES_2020 = {"EXP_EVAL": 10_000, "EXP_COMPETENCE": 100_000, "EXP_FUTURE": 800_000}
INITIATIVES_TOTAL = 6_737_000
OTHER_TOTAL = 910_000
RESERVE = 800_000
FUNDS_2020 = 7_200_000  # assumption (demo), not in the seed
MUNICIPALITIES = ["1496", "1499", "1498", "1472", "1497", "1446"]
# The population key on SCB's figures of 2019-12-31 (data/population.csv, unverified).
POPULATION_KEY_2020 = {
    "1496": 782_004,
    "1499": 462_618,
    "1498": 178_194,
    "1472": 154_539,
    "1497": 127_277,
    "1446": 95_368,
}
POPULATION_DATE = datetime.date(2019, 12, 31)


def build(association, *, with_budgets=True):
    """Members, populations, the 2020 year and (optionally) the initiatives' budgets."""
    load_population()
    members = {
        "fk": MemberFactory(
            association=association,
            kind=MemberKind.FORSAKRINGSKASSAN,
            name="Försäkringskassan",
            contribution_share=25,
        ),
        "af": MemberFactory(
            association=association,
            kind=MemberKind.ARBETSFORMEDLINGEN,
            name="Arbetsförmedlingen",
            contribution_share=25,
        ),
        "region": MemberFactory(
            association=association,
            kind=MemberKind.REGION,
            name="Västra Götalandsregionen",
            region=Region.objects.get(code="14"),
            contribution_share=25,
        ),
    }
    for code in MUNICIPALITIES:
        municipality = Municipality.objects.get(code=code)
        members[code] = MemberFactory(
            association=association,
            kind=MemberKind.MUNICIPALITY,
            name=f"{municipality.name} kommun",
            municipality=municipality,
            contribution_share=Decimal("4.167"),
        )
    year = AssociationYearFactory(
        association=association, year=2020, equity_at_start=2_900_000, equity_at_end=2_016_000
    )
    initiatives = {}
    if with_budgets:
        for name, amount, planned in INITIATIVES_2020:
            initiative = InitiativeFactory(
                association=association,
                name=name,
                start_date=datetime.date(2019, 1, 1),
                purpose=f"Syftet med {name}.",
            )
            InitiativeBudgetFactory(
                initiative=initiative, year=2020, amount=amount, planned_participants=planned
            )
            initiatives[name] = initiative
    return members, year, initiatives
