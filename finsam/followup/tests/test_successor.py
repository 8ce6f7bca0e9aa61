"""Uppföljning Finsam: every figure against the known registrations, permissions, XLSX."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finsam.associations.models import MemberKind
from finsam.associations.tests.factories import MemberFactory
from finsam.finance.tests.factories import AssociationYearFactory, MemberContributionFactory
from finsam.followup import successor
from finsam.statistics.tests.test_sus_registrations import build_known

URL = reverse("followup:successor")


@pytest.fixture
def known(world):
    known = build_known(world)
    year = AssociationYearFactory(
        association=world.a,
        year=2021,
        equity_at_start=1_500_000,
        equity_at_end=1_200_000,
        admin_cost_budget=800_000,
        admin_cost_outcome=760_000,
    )
    for kind, name, amount in (
        (MemberKind.FORSAKRINGSKASSAN, "Försäkringskassan", 3_000_000),
        (MemberKind.REGION, "Västra Götalandsregionen", 1_500_000),
        (MemberKind.MUNICIPALITY, "Skövde kommun", 1_500_000),
    ):
        member = MemberFactory(association=world.a, kind=kind, name=name)
        MemberContributionFactory(association_year=year, member=member, amount=amount)
    return known


def figures(report):
    return {
        line.initiative.name: (line.women, line.men, line.other, line.total, line.counted_as)
        for line in report.lines
    }


def test_participants_are_distinct_persons_or_head_counts(world, known):
    report = successor.successor_report(world.a, 2021)
    assert figures(report) == {
        # Women: e1, e2 and the anonymous e6. Men: e3/e10 (one person), e4, anonymous e7.
        "Cresco Create": (3, 3, 0, 6, "persons"),
        "Hälsoskolan": (4, 2, 0, 6, "head_counts"),
        "Level Upgrade": (1, 0, 0, 1, "persons"),
    }
    assert (report.women, report.men, report.total) == (8, 5, 13)


def test_planned_participants_budget_and_outcome_of_the_year(world, known):
    report = successor.successor_report(world.a, 2021)
    lines = {line.initiative.name: line for line in report.lines}
    assert (lines["Cresco Create"].planned_participants, lines["Cresco Create"].budget) == (
        25,
        1_000_000,
    )
    assert lines["Cresco Create"].outcome == 900_000
    assert lines["Level Upgrade"].planned_participants == 10
    assert (lines["Hälsoskolan"].budget, lines["Hälsoskolan"].outcome) == (100_000, None)
    assert (report.budget_total, report.outcome_total, report.planned_total) == (
        1_100_000,
        900_000,
        35,
    )


def test_the_association_funds_and_equity(world, known):
    report = successor.successor_report(world.a, 2021)
    detail = report.finance
    assert detail.funds == 6_000_000
    assert [line.member.name for line in detail.lines] == [
        "Försäkringskassan",
        "Västra Götalandsregionen",
        "Skövde kommun",
    ]
    assert str(detail.equity.percent) == "20.0"
    assert detail.equity.status == "ok"


def test_another_year_counts_only_that_year(world, known):
    report = successor.successor_report(world.a, 2022)
    assert figures(report)["Hälsoskolan"] == (5, 0, 0, 5, "head_counts")
    # e4, e9, e10 and e6 run into 2022.
    assert figures(report)["Cresco Create"] == (1, 3, 0, 4, "persons")
    assert report.finance is None


def test_it_is_never_suppressed(world, known):
    report = successor.successor_report(world.a, 2021)
    assert figures(report)["Level Upgrade"][3] == 1
    assert "utan maskering" in report.notes[0]


def test_the_report_costs_a_fixed_number_of_queries(world, known, django_assert_num_queries):
    from finsam.initiatives.tests.factories import InitiativeFactory

    with django_assert_num_queries(10) as few:
        successor.successor_report(world.a, 2021)
    for n in range(27):
        InitiativeFactory(association=world.a, name=f"Extra {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(successor.successor_report(world.a, 2021).lines) == 30


@pytest.mark.parametrize("role", ["secretariat", "operator"])
def test_the_secretariat_and_operator_see_the_page(world, client_for, known, role):
    response = client_for(world.user(role)).get(URL, {"year": "2021"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Uppföljning Finsam 2021" in html
    assert "utan maskering" in html
    assert "6\xa0000\xa0000" in html
    assert "Rätt Hjälp" not in html
    assert "1–4" not in html


@pytest.mark.parametrize(
    "role", ["board", "analyst", "manager", "registrar", "applicant", "no_role", "b_registrar"]
)
def test_other_roles_get_403(world, client_for, known, role):
    client = client_for(world.user(role))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"year": "2021", "export": "xlsx"}).status_code == 403


def test_association_b_sees_only_its_own(world, client_for, known):
    response = client_for(world.b_secretariat).get(URL, {"year": "2021"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rätt Hjälp" in html
    assert "Cresco Create" not in html
    assert "6\xa0000\xa0000" not in html


def test_a_bad_year_is_refused_in_swedish(world, client_for, known):
    client = client_for(world.secretariat)
    response = client.get(URL, {"year": "1850"})
    assert response.status_code == 200
    assert "Välj ett år mellan" in response.content.decode()
    assert client.get(URL, {"year": "abc", "export": "xlsx"}).status_code == 400


def test_the_default_year_is_the_latest_with_finances(world, client_for, known):
    response = client_for(world.secretariat).get(URL)
    assert response.context["year"] == 2021


def test_without_finances_the_default_year_is_the_latest_budget_year(world, known):
    import datetime

    from finsam.finance.models import AssociationYear

    AssociationYear.objects.all().delete()
    assert successor.default_year(world.a, datetime.date(2026, 5, 1)) == 2022
    assert successor.default_year(world.b, datetime.date(2026, 5, 1)) == 2025


def test_the_xlsx_is_laid_out_like_the_form(world, client_for, known):
    response = client_for(world.secretariat).get(URL, {"year": "2021", "export": "xlsx"})
    assert response.status_code == 200
    assert "uppfoljning-finsam-a-2021.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Förbundet", "Insatser"]
    first = {row[0]: row[1:] for row in workbook["Förbundet"].iter_rows(values_only=True) if row[0]}
    assert first["Samordningsförbund"][0] == "Samordningsförbundet A"
    assert first["År"][0] == 2021
    assert first["Försäkringskassan"][1] == 3_000_000
    assert first["Summa tilldelade medel"][1] == 6_000_000
    assert first["Eget kapital vid årets början"][1] == 1_500_000
    assert first["Eget kapital vid årets slut"][1] == 1_200_000
    assert first["Eget kapital i % av tilldelade medel"][1] == 20.0
    assert first["Administrativa kostnader"] == (800_000, 760_000)
    rows = list(workbook["Insatser"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:2] == ("Insatsnamn", "Inriktning")
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    cresco = by_name["Cresco Create"]
    assert (cresco["Kvinnor"], cresco["Män"], cresco["Totalt"]) == (3, 3, 6)
    assert (cresco["Planerat antal deltagare"], cresco["Budget (kr)"]) == (25, 1_000_000)
    assert cresco["Målgrupp"] == "Unga (16–29 år)" or "16" in cresco["Målgrupp"]
    assert by_name["Hälsoskolan"]["Räknat som"] == "Antal (volyminsats)"
    assert by_name["Level Upgrade"]["Totalt"] == 1
    assert by_name["Totalt"]["Totalt"] == 13
    assert by_name["Totalt"]["Budget (kr)"] == 1_100_000


def test_the_xlsx_without_finances_says_so(world, client_for):
    response = client_for(world.secretariat).get(URL, {"year": "2021", "export": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    texts = [row[0] for row in workbook["Förbundet"].iter_rows(values_only=True)]
    assert "Förbundets ekonomi för året är inte registrerad i finsam." in texts
