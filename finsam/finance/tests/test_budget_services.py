"""The initiatives' budgets (finance.services.budget_save, budget_delete)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finsam.finance import services
from finsam.finance.models import InitiativeBudget
from finsam.finance.tests.factories import InitiativeBudgetFactory
from finsam.staff.access import build_access


def errors(excinfo):
    return excinfo.value.message_dict


def budget(world, **kwargs):
    defaults = {
        "access": build_access(world.secretariat),
        "initiative": world.a_initiative,
        "year": 2021,
        "amount": Decimal(3000000),
    }
    return services.budget_save(**{**defaults, **kwargs})


def test_it_saves_and_changes_a_budget(world):
    created = budget(world, rate_per_participant_week=Decimal(1500), planned_participants=25)
    changed = budget(world, budget=created, outcome=Decimal(2750000), note="Utfall helår")
    assert changed.pk == created.pk
    stored = InitiativeBudget.objects.get()
    assert (stored.year, stored.amount, stored.outcome, stored.note) == (
        2021,
        3000000,
        2750000,
        "Utfall helår",
    )


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"year": 2019}, "year", "Året ligger utanför insatsens period (2020–)."),
        ({"amount": Decimal(-1)}, "amount", "Värdet kan inte vara negativt."),
        ({"outcome": Decimal(-1)}, "outcome", "Värdet kan inte vara negativt."),
        ({"rate_per_participant_week": Decimal(-5)}, "rate_per_participant_week", "negativt"),
        ({"planned_participants": -2}, "planned_participants", "negativt"),
    ],
)
def test_a_budget_with_bad_values_is_not_saved(world, kwargs, field, message):
    with pytest.raises(ValidationError) as excinfo:
        budget(world, **kwargs)
    assert message in errors(excinfo)[field][0]
    assert not InitiativeBudget.objects.exists()


def test_a_budget_year_after_the_end_is_rejected(world):
    world.a_initiative.end_date = datetime.date(2021, 12, 31)
    with pytest.raises(ValidationError) as excinfo:
        budget(world, year=2022)
    assert errors(excinfo)["year"] == ["Året ligger utanför insatsens period (2020–2021)."]


def test_a_year_has_one_budget(world):
    budget(world)
    with pytest.raises(ValidationError) as excinfo:
        budget(world)
    assert errors(excinfo)["year"] == ["Det finns redan en budget för 2021. Ändra den i stället."]
    other = budget(world, year=2022)
    with pytest.raises(ValidationError):
        budget(world, budget=other, year=2021)


def test_a_budget_is_deleted(world):
    budget = InitiativeBudgetFactory(initiative=world.a_initiative)
    services.budget_delete(access=build_access(world.secretariat), budget=budget)
    assert not InitiativeBudget.objects.exists()
