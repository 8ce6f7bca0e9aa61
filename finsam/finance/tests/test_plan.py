"""The operational plan (seed 002's figures), the contribution key written to the members'
contributions, closed years read-only, equity and the SUS cost report."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError

from finsam.finance import cost_report, equity, keys, plan, services
from finsam.finance.models import BudgetLine, ContributionKey, MemberContribution
from finsam.finance.tests import seed002
from finsam.staff.access import build_access


@pytest.fixture
def seed(world):
    members, year, initiatives = seed002.build(world.a)
    access = build_access(world.secretariat, world.a.pk)
    return members, year, initiatives, access


def _key(total=seed002.FUNDS_2020, **weights):
    return plan.KeyInput(
        total=Decimal(total),
        weights={b: Decimal(w) for b, w in (weights or {"population": 100}).items()},
        fixed_shares={},
        population_date=seed002.POPULATION_DATE,
    )


def _lines(**amounts):
    return {code: {"budget": Decimal(a)} for code, a in amounts.items()}


def test_seed_002_population_key_gives_each_member_its_contribution(seed):
    members, year, _initiatives, access = seed
    plan.contribution_key_set(access=access, association_year=year, data=_key())
    amounts = {
        c.member_id: c.amount for c in MemberContribution.objects.filter(association_year=year)
    }
    assert sum(amounts.values()) == seed002.FUNDS_2020
    assert amounts[members["fk"].pk] + amounts[members["af"].pk] == 3_600_000
    assert amounts[members["region"].pk] == 1_800_000
    for code, expected in seed002.POPULATION_KEY_2020.items():
        assert amounts[members[code].pk] == expected
    assert ContributionKey.objects.get(association_year=year).weight_population == 100


def test_seed_002_plan_totals_and_reserve(seed):
    _members, year, _initiatives, access = seed
    plan.contribution_key_set(access=access, association_year=year, data=_key())
    plan.plan_lines_save(
        access=access,
        association_year=year,
        lines=_lines(**seed002.OTHER_LINES_2020, EXP_PERSONNEL=950_000, EXP_PREMISES=400_000),
    )
    operational = plan.operational_plan(year.association, 2020)
    assert [y.year for y in operational.years] == [2020, 2021, 2022]
    totals = operational.current.budget_totals
    assert totals["initiatives"] == seed002.INITIATIVES_TOTAL
    assert totals["activity"] + totals["reserve"] == seed002.OTHER_TOTAL
    assert totals["reserve"] == seed002.RESERVE
    assert totals["funds"] == seed002.FUNDS_2020
    assert totals["admin"] == 1_350_000
    # The administration lines are the year's administration cost (what Uppföljning reads).
    year.refresh_from_db()
    assert year.admin_cost_budget == 1_350_000
    # 7 200 000 − (1 350 000 + 6 737 000 + 910 000): the equity the plan must use.
    assert totals["result"] == -1_797_000
    reserve = operational.current.group("reserve")[0]
    assert reserve.code == "EXP_FUTURE" and reserve.budget == 800_000
    planned = {line.label: line.planned_participants for line in operational.current.initiatives}
    assert planned["Rätt Hjälp"] == 75 and planned["Hantverksstegen"] == 7


def test_outcome_and_forecast_per_line(seed):
    _members, year, initiatives, access = seed
    budget = initiatives["Hälsoskolan"].budgets.get(year=2020)
    plan.plan_lines_save(
        access=access,
        association_year=year,
        lines={
            "EXP_EVAL": {
                "budget": Decimal(10_000),
                "outcome": Decimal(4_000),
                "forecast": Decimal(9_000),
            }
        },
        initiatives={budget.pk: {"outcome": Decimal(148_000), "forecast": Decimal(296_000)}},
    )
    current = plan.plan_year(year.association, 2020)
    evaluation = next(line for line in current.group("activity") if line.code == "EXP_EVAL")
    assert (evaluation.budget, evaluation.outcome, evaluation.forecast) == (10_000, 4_000, 9_000)
    school = next(line for line in current.initiatives if line.label == "Hälsoskolan")
    assert (school.outcome, school.forecast) == (148_000, 296_000)
    assert cost_report.initiative_outcome(initiatives["Hälsoskolan"], 2020) == 148_000


def test_bad_input_is_refused_with_nothing_saved(seed):
    members, year, _initiatives, access = seed
    with pytest.raises(ValidationError) as exc:
        plan.plan_lines_save(
            access=access,
            association_year=year,
            lines={"EXP_EVAL": {"budget": Decimal(10)}, "EXP_FUTURE": {"budget": Decimal(-1)}},
        )
    assert "negativt" in str(exc.value)
    assert not BudgetLine.objects.exists()
    fixed = plan.KeyInput(
        total=Decimal(1_000_000),
        weights={"fixed": Decimal(100)},
        fixed_shares={members["1496"].pk: Decimal(80), members["1499"].pk: Decimal(30)},
        population_date=None,
    )
    with pytest.raises(ValidationError) as exc:
        plan.contribution_key_set(access=access, association_year=year, data=fixed)
    assert "överstiga 100" in str(exc.value)
    assert "Ange kommunens andel" in str(exc.value)  # four municipalities not covered
    with pytest.raises(ValidationError, match="negativt"):
        plan.contribution_key_set(access=access, association_year=year, data=_key(total=-5))
    with pytest.raises(ValidationError, match="saknas för"):
        plan.contribution_key_set(
            access=access,
            association_year=year,
            data=plan.KeyInput(
                total=Decimal(1000),
                weights={"population": Decimal(100)},
                fixed_shares={},
                population_date=datetime.date(2001, 1, 1),
            ),
        )
    assert not MemberContribution.objects.exists()
    assert not ContributionKey.objects.exists()


def test_a_closed_year_refuses_every_write(seed):
    _members, year, initiatives, access = seed
    plan.year_close(access=access, association_year=year)
    message = "Året 2020 är stängt"
    with pytest.raises(ValidationError, match=message):
        plan.plan_lines_save(access=access, association_year=year, lines=_lines(EXP_EVAL=1))
    with pytest.raises(ValidationError, match=message):
        plan.contribution_key_set(access=access, association_year=year, data=_key())
    with pytest.raises(ValidationError, match=message):
        plan.year_close(access=access, association_year=year)
    with pytest.raises(ValidationError, match=message):
        services.association_year_update(
            access=access,
            association_year=year,
            equity_at_start=None,
            equity_at_end=None,
            admin_cost_budget=None,
            admin_cost_outcome=None,
        )
    with pytest.raises(ValidationError, match=message):
        services.association_year_delete(access=access, association_year=year)
    with pytest.raises(ValidationError, match=message):
        services.equity_band_set(
            access=access, association=year.association, year=2020, lower=10, upper=20
        )
    budget = initiatives["SAR Hjo"].budgets.get(year=2020)
    with pytest.raises(ValidationError, match=message):
        services.budget_save(
            access=access, initiative=budget.initiative, year=2020, amount=1, budget=budget
        )
    with pytest.raises(ValidationError, match=message):
        services.budget_delete(access=access, budget=budget)
    assert plan.plan_year(year.association, 2020).closed


def test_only_the_secretariat_writes_the_plan(world, seed):
    from django.core.exceptions import PermissionDenied

    _members, year, _initiatives, _access = seed
    for user in (world.board, world.analyst, world.b_secretariat):
        with pytest.raises(PermissionDenied):
            plan.plan_lines_save(
                access=build_access(user, world.a.pk), association_year=year, lines={}
            )


def test_equity_at_start_and_end_against_the_band_with_the_planning_sentence(seed):
    _members, year, _initiatives, access = seed
    plan.contribution_key_set(access=access, association_year=year, data=_key())
    position = equity.equity_position(year, Decimal(seed002.FUNDS_2020))
    # 2 900 000 / 7 200 000 = 40,3 %; 2 016 000 / 7 200 000 = 28,0 %: above 10–20 %.
    assert position.start.percent == Decimal("40.3")
    assert position.end.percent == Decimal("28.0")
    assert position.end.status == equity.ABOVE
    assert "måste planera att använda minst 576\xa0000 kr" in position.planning
    assert "2021" in position.planning
    assert not position.national.verified
    assert position.national_tier.max_pct == 20
    low = equity.planning_sentence(equity.equity_status(Decimal(500_000), Decimal(7_200_000)), 2021)
    assert "under intervallet" in low and "220\xa0000" in low
    ok = equity.planning_sentence(
        equity.equity_status(Decimal(1_000_000), Decimal(7_200_000)), 2021
    )
    assert "inom intervallet" in ok


def test_cost_report_has_the_sus_four_parts_and_agrees_with_uppfoljning(seed):
    from finsam.followup.successor import successor_report

    _members, year, initiatives, access = seed
    plan.contribution_key_set(access=access, association_year=year, data=_key())
    plan.plan_lines_save(
        access=access,
        association_year=year,
        lines={
            **_lines(**seed002.OTHER_LINES_2020),
            "EXP_PERSONNEL": {"budget": Decimal(950_000), "outcome": Decimal(900_000)},
            "EXP_PREMISES": {"budget": Decimal(400_000), "outcome": Decimal(387_000)},
            "INC_EQUITY_USE": {"budget": Decimal(1_797_000), "outcome": Decimal(884_000)},
        },
        initiatives={
            initiatives["Stärka individen"].budgets.get(year=2020).pk: {
                "outcome": Decimal(2_900_000)
            }
        },
    )
    report = cost_report.cost_report(year.association, 2020)
    assert [
        p.title for p in (report.funds, report.initiatives, report.administration, report.summary)
    ] == [
        "Medel per finansiär",
        "Insatskostnader",
        "Administrationskostnader",
        "Sammanställning",
    ]
    assert report.funds.rows[0].budget == 3_600_000
    assert report.funds.rows[1].budget == 1_800_000
    assert report.funds.rows[2].budget == 1_800_000
    assert report.funds.budget == 7_200_000 + 1_797_000
    assert report.initiatives.budget == seed002.INITIATIVES_TOTAL + seed002.OTHER_TOTAL
    assert report.administration.budget == 1_350_000
    assert report.administration.outcome == 1_287_000
    assert report.summary.rows[-1].budget == 0  # a balanced budget with the equity used
    successor = successor_report(year.association, 2020)
    assert successor.finance.funds == report.detail.funds == 7_200_000
    assert successor.finance.year.admin_cost_outcome == report.administration.outcome
    assert successor.budget_total == seed002.INITIATIVES_TOTAL
    content = cost_report.cost_report_xlsx(report)
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(content)).active
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "Medel per finansiär" in values and "Uppföljning Finsam" in values


def test_keys_module_reexports_bases():
    assert keys.BASES == ("population", "population_16_64", "equal", "fixed")
