import datetime

import pytest
from django.urls import reverse

from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.reference.models import Municipality
from finsam.reports.models import InitiativeReport, ReportStatus
from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory


def url(period):
    return reverse("reports:create_reports", args=[period.pk])


@pytest.fixture
def period(world):
    return ReportingPeriodFactory(
        association=world.a,
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2021, 8, 31),
        deadline=datetime.date(2021, 9, 30),
    )


@pytest.fixture
def municipalities():
    return [Municipality.objects.get(name=name) for name in ("Skövde", "Falköping", "Hjo")]


@pytest.fixture
def strengthen(world, municipalities):
    """Stärka individen (seed 003): one initiative run in several municipalities."""
    initiative = InitiativeFactory(
        association=world.a,
        name="Stärka individen",
        owner_organisation="Falköpings, Hjo och Skövde kommuner",
        start_date=datetime.date(2014, 1, 1),
        background="Personer som anvisats till arbetsmarknadsenheterna.",
        purpose="Att stärka den enskildes möjlighet till arbete eller studier.",
        goals="Minst 30 % känner sig mer redo.",
        method="Arbetsmarknadsenheterna kartlägger.",
    )
    initiative.municipalities.set(municipalities)
    return initiative


def test_it_creates_a_report_for_every_initiative_active_in_the_period(world, client_for, period):
    volume = InitiativeFactory(association=world.a, name="Rehabforum", volume=True)
    InitiativeFactory(
        association=world.a,
        name="Avslutad 2020",
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2020, 12, 31),
    )
    InitiativeFactory(
        association=world.a, name="Startar 2022", start_date=datetime.date(2022, 1, 1)
    )
    ends_in_period = InitiativeFactory(
        association=world.a,
        name="Slutar i mars",
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2021, 3, 31),
    )
    response = client_for(world.secretariat).post(url(period), {})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:period", args=[period.pk])
    reports = InitiativeReport.objects.filter(period=period)
    assert {r.initiative for r in reports} == {
        world.a_initiative,
        world.a_other,
        volume,
        ends_in_period,
    }
    assert all(r.status == ReportStatus.DRAFT and r.kind == "interim" for r in reports)
    assert all(r.parent is None and r.municipality is None for r in reports)
    # B's initiative is never touched.
    assert not InitiativeReport.objects.filter(initiative=world.b_initiative).exists()


def test_the_report_is_prefilled_from_the_initiative(world, client_for, period, strengthen):
    client_for(world.secretariat).post(url(period), {})
    report = InitiativeReport.objects.get(period=period, initiative=strengthen)
    assert report.project_name == "Stärka individen"
    assert report.owner_organisation == "Falköpings, Hjo och Skövde kommuner"
    assert report.project_period == "Från 2014-01-01"
    assert report.background == strengthen.background
    assert report.purpose == strengthen.purpose
    assert report.goals == strengthen.goals
    assert report.method == strengthen.method
    assert report.results == ""


def test_it_creates_sub_reports_per_municipality_when_asked(
    world, client_for, period, strengthen, municipalities
):
    response = client_for(world.secretariat).post(url(period), {"sub_reports": [strengthen.pk]})
    assert response.status_code == 302
    main = InitiativeReport.objects.get(period=period, initiative=strengthen, parent=None)
    subs = list(main.sub_reports.order_by("municipality__name"))
    assert [s.municipality.name for s in subs] == ["Falköping", "Hjo", "Skövde"]
    assert all(s.initiative == strengthen and s.period == period for s in subs)
    assert subs[0].project_name == "Stärka individen – Falköping"
    # A sub-report has the municipality's results and analysis only.
    assert [name for name, _h, _q in subs[0].sections()] == [
        "results",
        "analysis_success_factors",
        "analysis_cooperation",
        "analysis_goal_attainment",
    ]


def test_creating_again_adds_only_what_is_missing(world, client_for, period, strengthen):
    client = client_for(world.secretariat)
    client.post(url(period), {})
    report = InitiativeReport.objects.get(period=period, initiative=world.a_initiative)
    report.results = "Skrivet av insatsen."
    report.save()
    count = InitiativeReport.objects.count()
    response = client.post(url(period), {})
    assert InitiativeReport.objects.count() == count
    assert (
        "Alla insatser har redan rapporter för perioden."
        in client.get(response["Location"]).content.decode()
    )
    # Sub-reports can be added afterwards, under the existing main report.
    client.post(url(period), {"sub_reports": [strengthen.pk]})
    main = InitiativeReport.objects.get(period=period, initiative=strengthen, parent=None)
    assert main.sub_reports.count() == 3
    client.post(url(period), {"sub_reports": [strengthen.pk]})
    assert main.sub_reports.count() == 3
    report.refresh_from_db()
    assert report.results == "Skrivet av insatsen."


def test_a_final_period_creates_final_reports(world, client_for):
    period = ReportingPeriodFactory(association=world.a, kind="final")
    client_for(world.secretariat).post(url(period), {})
    report = InitiativeReport.objects.get(period=period, initiative=world.a_initiative)
    assert report.kind == "final"
    assert [name for name, _h, _q in report.sections()][-3:] == [
        "summary",
        "lessons_learned",
        "implementation",
    ]


def test_sub_reports_need_two_municipalities_and_nothing_is_saved(
    world, client_for, period, municipalities
):
    world.a_initiative.municipalities.set(municipalities[:1])
    response = client_for(world.secretariat).post(
        url(period), {"sub_reports": [world.a_initiative.pk]}
    )
    assert response.status_code == 200
    assert "Delrapporter per kommun kan bara väljas för insatser med minst två kommuner." in (
        response.content.decode()
    )
    assert not InitiativeReport.objects.exists()


def test_sub_reports_of_another_associations_initiative_are_refused(world, client_for, period):
    response = client_for(world.secretariat).post(
        url(period), {"sub_reports": [world.b_initiative.pk]}
    )
    assert response.status_code == 200
    assert not InitiativeReport.objects.exists()


def test_the_page_lists_the_active_initiatives_with_the_sub_report_checkbox(
    world, client_for, period, strengthen
):
    InitiativeReportFactory(period=period, initiative=world.a_initiative)
    body = client_for(world.secretariat).get(url(period)).content.decode()
    assert "Stärka individen" in body and "Level Upgrade" in body and "Cresco Create" in body
    assert f'name="sub_reports" value="{strengthen.pk}"' in body
    assert f'name="sub_reports" value="{world.a_other.pk}"' not in body
    assert "Finns redan" in body
    assert "Rätt Hjälp" not in body


def test_a_period_without_active_initiatives_says_so(world, client_for):
    period = ReportingPeriodFactory(
        association=world.a,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2010, 6, 30),
        deadline=datetime.date(2010, 7, 31),
    )
    client = client_for(world.secretariat)
    assert "Inga insatser är aktiva under perioden." in client.get(url(period)).content.decode()
    response = client.post(url(period), {})
    assert "Inga insatser är aktiva under perioden." in response.content.decode()


@pytest.mark.parametrize(
    "role", ["operator", "manager", "registrar", "board", "applicant", "analyst", "no_role"]
)
def test_only_the_secretariat_creates_reports(world, client_for, period, role):
    client = client_for(world.user(role))
    assert client.get(url(period)).status_code == 403
    assert client.post(url(period), {}).status_code == 403
    assert not InitiativeReport.objects.exists()
