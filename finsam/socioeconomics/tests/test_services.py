"""Writing assumptions and estimates: Swedish messages on bad input, nothing half saved, every
write in the change log; the estimate's figures from budgets and from the exits (aggregate)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from finsam.audit.models import ChangeEvent
from finsam.finance.models import InitiativeBudget
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reference.models import Code, CodeListKey
from finsam.socioeconomics import selectors, services
from finsam.socioeconomics.models import Assumption, Estimate
from finsam.staff.access import build_access

pytestmark = pytest.mark.django_db


def _estimate_data(**changes):
    data = {
        "title": "Kraft",
        "mode": "scenario",
        "cost_source": "entered",
        "cost_amount": Decimal(2_192_000),
        "leaver_source": "entered",
        "leavers_municipality": 1,
        "leavers_state": 0,
        "years": 14,
        "note": "",
    }
    data.update(changes)
    return data


def test_defaults_carry_their_source_or_are_marked_as_assumptions(world):
    views = selectors.assumptions(world.a)
    assert views["cost_municipality"].value == 162_000
    assert "Uppsala" in views["cost_municipality"].source
    assert views["cost_municipality"].source_url == "https://finsamuppsala.se/nyttoanalys/"
    assert views["cost_municipality"].source_date == datetime.date(2022, 12, 31)
    assert not views["cost_municipality"].is_assumption
    assert views["discount_rate"].is_assumption and views["discount_rate"].is_default
    assert views["share_year5"].value == Decimal("40.96")


def test_the_secretariat_sets_an_assumption_with_history_and_change_event(world):
    access = build_access(world.secretariat)
    services.assumption_set(
        access=access,
        association=world.a,
        key="cost_municipality",
        value=Decimal(140_000),
        source="Socialstyrelsen, ekonomiskt bistånd 2024, Lunds kommun",
        source_date=datetime.date(2024, 12, 31),
    )
    services.assumption_set(
        access=access,
        association=world.a,
        key="cost_municipality",
        value=Decimal(145_000),
        source="Socialstyrelsen, ekonomiskt bistånd 2025, Lunds kommun",
        source_date=datetime.date(2025, 12, 31),
    )
    stored = Assumption.objects.get(association=world.a, key="cost_municipality")
    assert stored.value == 145_000 and stored.changed_by == world.secretariat
    assert stored.history.count() == 2
    events = ChangeEvent.objects.filter(action="estimate.assumption_set")
    assert events.count() == 2
    assert events.order_by("pk").last().changes["value"] == ["140000", "145000"]
    # Another association still has the default.
    assert selectors.assumptions(world.b)["cost_municipality"].value == 162_000


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("cost_state", Decimal(-1), "Värdet kan inte vara negativt."),
        ("share_year1", Decimal(101), "En andel kan inte vara över 100 %."),
        ("discount_rate", Decimal(25), "Diskonteringsräntan ska ligga mellan 0 och 20 %."),
        ("share_year5", Decimal(100), "kan inte vara större än andelen efter"),
    ],
)
def test_bad_assumptions_are_refused_in_swedish_and_nothing_is_saved(world, key, value, message):
    access = build_access(world.secretariat)
    services.assumption_set(
        access=access, association=world.a, key="share_year1", value=Decimal(90), source="x"
    )
    with pytest.raises(ValidationError) as exc:
        services.assumption_set(
            access=access, association=world.a, key=key, value=value, source="Källa"
        )
    assert any(message in m for m in exc.value.message_dict["value"])
    assert Assumption.objects.filter(association=world.a).count() == 1
    assert ChangeEvent.objects.filter(action="estimate.assumption_set").count() == 1


def test_an_assumption_needs_a_source_or_the_assumption_mark(world):
    access = build_access(world.secretariat)
    with pytest.raises(ValidationError) as exc:
        services.assumption_set(
            access=access, association=world.a, key="cost_region", value=Decimal(20_000)
        )
    assert "source" in exc.value.message_dict
    services.assumption_set(
        access=access,
        association=world.a,
        key="cost_region",
        value=Decimal(20_000),
        is_assumption=True,
    )


@pytest.mark.parametrize("role", ["board", "analyst", "manager", "registrar", "b_secretariat"])
def test_only_the_own_secretariat_writes(world, role):
    with pytest.raises(PermissionDenied):
        services.assumption_set(
            access=build_access(world.user(role)),
            association=world.a,
            key="cost_state",
            value=Decimal(1),
            source="x",
        )
    with pytest.raises(PermissionDenied):
        services.estimate_save(
            access=build_access(world.user(role)),
            initiative=world.a_initiative,
            **_estimate_data(),
        )


def test_seed_004_scenario_written_out(world):
    """Seed 004: one participant leaves 14 years of social assistance; the first two years of
    the project (2 × 1 096 000 kr) are covered, undiscounted."""
    estimate = services.estimate_save(
        access=build_access(world.secretariat), initiative=world.a_initiative, **_estimate_data()
    )
    result = selectors.result(estimate)
    assert result.inputs.cost == 2_192_000
    assert result.gain_h_undiscounted == 2_268_000  # 14 × 162 000
    assert result.covered_undiscounted and not result.covered  # at 3.5 % it is not
    assert result.break_even_municipality == 2
    # Also shown over 5 years: 162 000 × (1 + 1.035^−1 + … + 1.035^−4) = 162 000 × 4.67308.
    assert result.shows_5_years and round(result.gain_5) == 757_039
    lines = selectors.arithmetic(result)
    text = " ".join(lines)
    assert "1 × (162\xa0000 + 0) kr = 162\xa0000 kr" in text
    assert "162\xa0000 kr × 14 = 2\xa0268\xa0000 kr" in text
    assert "2\xa0192\xa0000 kr" in text
    assert "täcker kostnaden utan diskontering men inte med" in text
    assert "minst 156\xa0571 kr" in text
    assert ChangeEvent.objects.filter(action="estimate.create").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"cost_amount": Decimal(-5)}, "cost_amount", "Kostnaden kan inte vara negativ."),
        ({"cost_amount": None}, "cost_amount", "Ange kostnaden i kronor."),
        ({"leavers_state": -1}, "leavers_state", "Antalet kan inte vara negativt."),
        ({"years": 0}, "years", "Antalet år ska ligga mellan 1 och 40."),
        ({"years": 41}, "years", "Antalet år ska ligga mellan 1 och 40."),
        ({"title": " "}, "title", "Ange en rubrik."),
        ({"leaver_source": "exits"}, "leaver_source", "Ett scenario anger själv"),
    ],
)
def test_bad_estimates_are_refused_in_swedish(world, changes, field, message):
    with pytest.raises(ValidationError) as exc:
        services.estimate_save(
            access=build_access(world.secretariat),
            initiative=world.a_initiative,
            **_estimate_data(**changes),
        )
    assert any(message in m for m in exc.value.message_dict[field])
    assert not Estimate.objects.exists()
    assert not ChangeEvent.objects.filter(action__startswith="estimate.").exists()


def test_cost_from_budgets_uses_the_outcome_where_known(world):
    InitiativeBudget.objects.create(
        initiative=world.a_initiative, year=2022, amount=1_000_000, outcome=900_000
    )
    InitiativeBudget.objects.create(initiative=world.a_initiative, year=2023, amount=1_200_000)
    estimate = services.estimate_save(
        access=build_access(world.secretariat),
        initiative=world.a_initiative,
        **_estimate_data(mode="initiative", cost_source="budgets", cost_amount=Decimal(5)),
    )
    assert estimate.cost_amount is None
    assert selectors.result(estimate).inputs.cost == 2_100_000


def _code(category):
    return Code.objects.filter(code_list=CodeListKey.INCOME_SOURCE, category=category).first()


def test_leavers_from_the_exits_are_an_aggregate(world):
    social, sickness, salary = _code("social_assistance"), _code("sickness"), _code("salary")
    ongoing = _code("unemployment")
    end = datetime.date(2025, 6, 30)

    def exit_(before, after):
        enrolment = EnrolmentFactory(
            initiative=world.a_initiative,
            end_date=end,
            exit_reason=Code.objects.filter(code_list=CodeListKey.EXIT_REASON).first(),
        )
        enrolment.income_sources_before.set(before)
        enrolment.income_sources_after.set(after)
        return enrolment

    exit_([social], [salary])
    exit_([social, sickness], [salary])
    exit_([sickness], [salary])
    exit_([social], [ongoing])  # still on a benefit
    exit_([salary], [salary])  # had no benefit
    EnrolmentFactory(initiative=world.a_initiative)  # not exited
    leavers = selectors.leavers_from_exits(world.a_initiative)
    assert (leavers.municipality, leavers.state, leavers.exited) == (2, 1, 5)
    assert leavers.is_small
