import datetime

import pytest
from django.urls import reverse

from finsam.reports.models import ReportingPeriod
from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory

CREATE = reverse("reports:period_create")
VALID = {
    "name": "Delårsrapport januari–augusti 2021",
    "kind": "interim",
    "start_date": "2021-01-01",
    "end_date": "2021-08-31",
    "deadline": "2021-09-30",
}


def edit_url(period):
    return reverse("reports:period_edit", args=[period.pk])


def test_it_creates_a_period_and_goes_on_to_create_the_reports(world, client_for):
    response = client_for(world.secretariat).post(CREATE, VALID)
    period = ReportingPeriod.objects.get(association=world.a)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:create_reports", args=[period.pk])
    assert period.name == VALID["name"]
    assert period.kind == "interim"
    assert period.start_date == datetime.date(2021, 1, 1)
    assert period.end_date == datetime.date(2021, 8, 31)
    assert period.deadline == datetime.date(2021, 9, 30)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": "  "}, "name", "Ange ett namn på perioden."),
        ({"end_date": "2020-12-31"}, "end_date", "Slutdatum kan inte vara före startdatum."),
        (
            {"deadline": "2021-08-30"},
            "deadline",
            "Sista inlämningsdag kan inte vara före periodens slutdatum.",
        ),
        ({"start_date": "31/1"}, "start_date", "Fyll i ett giltigt datum."),
        ({"kind": "annual"}, "kind", "Välj ett giltigt alternativ."),
    ],
)
def test_it_refuses_a_bad_period_and_saves_nothing(world, client_for, change, field, message):
    response = client_for(world.secretariat).post(CREATE, {**VALID, **change})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert message in response.content.decode()
    assert not ReportingPeriod.objects.exists()


def test_it_refuses_a_name_the_association_already_uses(world, client_for):
    ReportingPeriodFactory(association=world.a, name=VALID["name"])
    ReportingPeriodFactory(association=world.b, name="Delår B")
    response = client_for(world.secretariat).post(CREATE, VALID)
    assert "Förbundet har redan en period med det namnet." in response.content.decode()
    assert ReportingPeriod.objects.filter(association=world.a).count() == 1
    # Another association may use the same name.
    response = client_for(world.b_secretariat).post(CREATE, {**VALID})
    assert response.status_code == 302


def test_it_edits_a_period(world, client_for):
    period = ReportingPeriodFactory(association=world.a)
    response = client_for(world.secretariat).post(
        edit_url(period), {**VALID, "name": "Delår 2 2021", "deadline": "2021-10-15"}
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.name == "Delår 2 2021"
    assert period.deadline == datetime.date(2021, 10, 15)


def test_an_edit_with_bad_dates_changes_nothing(world, client_for):
    period = ReportingPeriodFactory(association=world.a, name="Delår 1")
    response = client_for(world.secretariat).post(
        edit_url(period), {**VALID, "name": "Nytt namn", "deadline": "2021-01-01"}
    )
    assert response.status_code == 200
    period.refresh_from_db()
    assert period.name == "Delår 1"
    assert period.deadline == datetime.date(2021, 9, 30)
    # The heading shows the stored name, not the rejected one.
    assert "Ändra Delår 1" in response.content.decode()


def test_the_kind_cannot_change_once_the_period_has_reports(world, client_for):
    period = ReportingPeriodFactory(association=world.a)
    InitiativeReportFactory(period=period, initiative=world.a_initiative)
    response = client_for(world.secretariat).post(edit_url(period), {**VALID, "kind": "final"})
    assert "Typen kan inte ändras när perioden har rapporter." in response.content.decode()
    period.refresh_from_db()
    assert period.kind == "interim"


@pytest.mark.parametrize(
    "role", ["operator", "manager", "registrar", "board", "applicant", "analyst", "no_role"]
)
def test_only_the_secretariat_creates_and_edits_periods(world, client_for, role):
    period = ReportingPeriodFactory(association=world.a)
    client = client_for(world.user(role))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, VALID).status_code == 403
    assert client.post(edit_url(period), VALID).status_code == 403
    assert ReportingPeriod.objects.count() == 1


def test_another_associations_secretariat_gets_404_on_a_period(world, client_for):
    period = ReportingPeriodFactory(association=world.a)
    client = client_for(world.b_secretariat)
    for url in (
        edit_url(period),
        reverse("reports:period", args=[period.pk]),
        reverse("reports:create_reports", args=[period.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, VALID).status_code in (404, 405)


def test_the_period_list_shows_the_associations_periods_only(world, client_for):
    ReportingPeriodFactory(association=world.a, name="Delår A")
    ReportingPeriodFactory(association=world.b, name="Delår B")
    body = client_for(world.secretariat).get(reverse("reports:periods")).content.decode()
    assert "Delår A" in body
    assert "Delår B" not in body
    assert reverse("reports:period_create") in body
