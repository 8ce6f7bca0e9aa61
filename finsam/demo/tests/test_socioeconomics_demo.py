"""The demo's socioeconomic estimates: Promise Hjo's worked example and seed 004's scenario."""

from decimal import Decimal

import pytest

from finsam.demo.loading import DemoResult
from finsam.demo.socioeconomics import load_estimates
from finsam.finance.models import InitiativeBudget
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.socioeconomics import selectors
from finsam.socioeconomics.models import Estimate
from finsam.staff.access import build_access

pytestmark = pytest.mark.django_db


def test_the_demo_estimates_reproduce_the_worked_example_and_seed_004(world):
    world.a.slug = "ostra-skaraborg"
    world.a.save()
    promise = InitiativeFactory(association=world.a, name="Promise Hjo")
    InitiativeBudget.objects.create(initiative=promise, year=2020, amount=1_115_000)
    access = build_access(world.secretariat)
    result = DemoResult()
    load_estimates(world.a, {"Promise Hjo": promise}, access=access, result=result)
    load_estimates(world.a, {"Promise Hjo": promise}, access=access, result=DemoResult())
    assert result.created == {"estimate": 2}
    assert Estimate.objects.count() == 2  # a second run adds nothing

    worked = selectors.result(Estimate.objects.get(mode="initiative"))
    assert worked.inputs.cost == 1_115_000
    assert worked.gain_1 == 1_296_000  # 8 × 162 000
    assert round(worked.gain_h_undiscounted) == 4_356_634  # × 3.3616
    assert round(worked.payback_years, 2) == Decimal("0.86")

    seed = selectors.result(Estimate.objects.get(mode="scenario"))
    assert seed.inputs.cost == 2_192_000
    assert seed.gain_h_undiscounted == 2_268_000 and seed.covered_undiscounted
