"""Rules of the association's years: equity band, contributions, validation."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from finsam.associations.models import MemberKind
from finsam.associations.tests.factories import MemberFactory
from finsam.finance import selectors, services
from finsam.finance.models import AssociationYear, MemberContribution
from finsam.finance.tests.factories import (
    AssociationYearFactory,
    InitiativeBudgetFactory,
    MemberContributionFactory,
)
from finsam.staff.access import build_access


@pytest.mark.parametrize(
    ("equity", "funds", "status", "percent", "above_by", "below_by"),
    [
        # finance-law-privacy.md §3.2 worked example.
        (2_100_000, 7_953_000, "above", Decimal("26.4"), Decimal("509400"), 0),
        (1_000_000, 7_953_000, "ok", Decimal("12.6"), 0, 0),
        (795_300, 7_953_000, "ok", Decimal("10.0"), 0, 0),
        (1_590_600, 7_953_000, "ok", Decimal("20.0"), 0, 0),
        (500_000, 7_953_000, "below", Decimal("6.3"), 0, Decimal("295300")),
        (None, 7_953_000, "unknown", None, 0, 0),
        (500_000, 0, "unknown", None, 0, 0),
    ],
)
def test_equity_is_placed_against_10_to_20_percent_of_the_funds(
    equity, funds, status, percent, above_by, below_by
):
    result = selectors.equity_status(None if equity is None else Decimal(equity), Decimal(funds))
    assert result.status == status
    assert result.percent == percent
    assert result.above_by == above_by
    assert result.below_by == below_by
    assert result.outside == (status in ("above", "below"))


def test_a_new_year_takes_its_starting_equity_from_the_year_before(world):
    AssociationYearFactory(association=world.a, year=2020, equity_at_end=1_234_000)
    year = services.association_year_create(
        access=build_access(world.secretariat), association=world.a, year=2021
    )
    assert year.equity_at_start == 1_234_000
    assert year.history.get().history_user == world.secretariat


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (2021, "Det finns redan uppgifter för 2021. Ändra dem i stället."),
        (1990, "Året ska ligga mellan"),
        (datetime.date.today().year + 3, "Året ska ligga mellan"),
        (None, "Ange år."),
    ],
)
def test_a_bad_year_is_refused_in_swedish(world, year, message):
    world.a.start_date = datetime.date(2010, 1, 1)
    world.a.save()
    AssociationYearFactory(association=world.a, year=2021)
    with pytest.raises(ValidationError) as exc:
        services.association_year_create(
            access=build_access(world.secretariat), association=world.a, year=year
        )
    assert message in " ".join(exc.value.messages)
    assert AssociationYear.objects.count() == 1


def test_it_saves_equity_costs_and_contributions(world):
    fk = MemberFactory(association=world.a, kind=MemberKind.FORSAKRINGSKASSAN, name="FK")
    skovde = MemberFactory(association=world.a, name="Skövde kommun")
    hjo = MemberFactory(association=world.a, name="Hjo kommun")
    year = AssociationYearFactory(association=world.a, year=2021)
    MemberContributionFactory(association_year=year, member=hjo, amount=5)
    services.association_year_update(
        access=build_access(world.secretariat),
        association_year=year,
        equity_at_start=Decimal("900000"),
        equity_at_end=Decimal("1100000"),
        admin_cost_budget=Decimal("1200000"),
        admin_cost_outcome=Decimal("1150000"),
        note="Bokslut fastställt",
        contributions={fk.pk: Decimal("3976500"), skovde.pk: Decimal("1000000"), hjo.pk: None},
    )
    year.refresh_from_db()
    assert (year.equity_at_end, year.admin_cost_outcome, year.note) == (
        1100000,
        1150000,
        "Bokslut fastställt",
    )
    assert dict(MemberContribution.objects.values_list("member__name", "amount")) == {
        "FK": 3976500,
        "Skövde kommun": 1000000,
    }
    detail = selectors.year_detail(year)
    assert detail.funds == 4976500
    assert detail.equity.percent == Decimal("22.1")
    assert [line.member.name for line in detail.lines] == ["FK", "Hjo kommun", "Skövde kommun"]
    assert [line.share_of_funds for line in detail.lines] == [
        Decimal("79.9"),
        None,
        Decimal("20.1"),
    ]


def test_negative_amounts_are_refused_and_nothing_is_saved(world):
    member = MemberFactory(association=world.a)
    year = AssociationYearFactory(association=world.a, admin_cost_budget=7)
    with pytest.raises(ValidationError) as exc:
        services.association_year_update(
            access=build_access(world.secretariat),
            association_year=year,
            equity_at_start=None,
            equity_at_end=None,
            admin_cost_budget=Decimal("-1"),
            admin_cost_outcome=None,
            contributions={member.pk: Decimal("-5")},
        )
    assert exc.value.message_dict == {
        "admin_cost_budget": ["Kostnaden kan inte vara negativ."],
        f"member_{member.pk}": ["Bidraget kan inte vara negativt."],
    }
    year.refresh_from_db()
    assert year.admin_cost_budget == 7
    assert not MemberContribution.objects.exists()


def test_a_member_of_another_association_cannot_contribute(world):
    foreign = MemberFactory(association=world.b)
    year = AssociationYearFactory(association=world.a)
    with pytest.raises(ValidationError, match="Medlemmen hör inte till förbundet."):
        services.association_year_update(
            access=build_access(world.secretariat),
            association_year=year,
            equity_at_start=None,
            equity_at_end=None,
            admin_cost_budget=None,
            admin_cost_outcome=None,
            contributions={foreign.pk: Decimal("5")},
        )
    assert not MemberContribution.objects.exists()


def test_the_database_refuses_negative_contributions_and_duplicates(world):
    contribution = MemberContributionFactory(association_year__association=world.a)
    with pytest.raises(IntegrityError):
        MemberContribution.objects.create(
            association_year=contribution.association_year,
            member=contribution.member,
            amount=1,
        )


def test_the_database_refuses_a_negative_contribution(world):
    year = AssociationYearFactory(association=world.a)
    with pytest.raises(IntegrityError):
        MemberContribution.objects.create(
            association_year=year, member=MemberFactory(association=world.a), amount=-1
        )


def test_members_not_valid_in_the_year_are_left_out_unless_they_contributed(world):
    year = AssociationYearFactory(association=world.a, year=2021)
    MemberFactory(association=world.a, name="Gammal", valid_to=datetime.date(2020, 12, 31))
    MemberFactory(association=world.a, name="Ny", valid_from=datetime.date(2022, 1, 1))
    MemberFactory(association=world.a, name="Hela tiden")
    MemberFactory(association=world.a, name="Slutade i juni", valid_to=datetime.date(2021, 6, 30))
    left = MemberFactory(association=world.a, name="Lämnat", valid_to=datetime.date(2019, 1, 1))
    MemberContributionFactory(association_year=year, member=left, amount=10)
    names = [line.member.name for line in selectors.year_detail(year).lines]
    assert names == ["Hela tiden", "Lämnat", "Slutade i juni"]


def test_the_year_shows_the_initiatives_budget_and_outcome(world):
    year = AssociationYearFactory(association=world.a, year=2021, admin_cost_outcome=100)
    InitiativeBudgetFactory(initiative=world.a_initiative, year=2021, amount=1000, outcome=900)
    InitiativeBudgetFactory(initiative=world.a_other, year=2021, amount=500, outcome=400)
    InitiativeBudgetFactory(initiative=world.a_other, year=2022, amount=7)
    InitiativeBudgetFactory(initiative=world.b_initiative, year=2021, amount=99)
    MemberContributionFactory(association_year=year, amount=5000)
    detail = selectors.year_detail(year)
    assert (detail.initiative_budget, detail.initiative_outcome, detail.initiative_count) == (
        1500,
        1300,
        2,
    )
    assert detail.result == 5000 - 100 - 1300


def test_the_list_of_years_costs_one_query_whatever_its_length(world, django_assert_num_queries):
    for n in range(3):
        year = AssociationYearFactory(association=world.a, year=2000 + n)
        MemberContributionFactory(association_year=year, amount=100)
        MemberContributionFactory(association_year=year, amount=50)
    with django_assert_num_queries(1):
        rows = selectors.year_rows(world.a)
    assert [r.year.funds for r in rows] == [150, 150, 150]
    for n in range(3, 30):
        AssociationYearFactory(association=world.a, year=2000 + n)
    with django_assert_num_queries(1):
        assert len(selectors.year_rows(world.a)) == 30
