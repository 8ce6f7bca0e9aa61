"""The shared input rules (`finsam.core.validators`): the API, the services and the pages' forms
refuse control characters in texts and dates outside 1900 … ten years ahead alike."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from finsam.api.tests.conftest import personal_number
from finsam.core.validators import NoControlCharacters, validate_date_in_range
from finsam.initiatives import services as initiative_services
from finsam.initiatives.forms import InitiativeForm
from finsam.staff.access import build_access

CONTROL_NAMES = [
    "Insats\x00",
    "Insats\x1b[31m",
    "Rad\nbrytning",
    "Tab\tbar",
    "DEL\x7f",
    "C1\x85mitt",
]


def far_future():
    return timezone.localdate().replace(year=timezone.localdate().year + 11)


@pytest.mark.parametrize("name", CONTROL_NAMES)
def test_the_api_refuses_control_characters_in_an_initiative_name(world, api_for, name):
    response = api_for(world.secretariat).post(
        "/api/v1/initiatives/",
        {"name": name, "owner_organisation": "Skövde kommun", "start_date": "2024-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_long_texts_keep_line_breaks_and_tabs_but_no_other_control_characters(world, api_for):
    client = api_for(world.secretariat)
    url = f"/api/v1/initiatives/{world.a_initiative.pk}/"
    response = client.patch(url, {"background": "Rad ett\r\nRad två\n\tindrag"}, format="json")
    assert response.status_code == 200
    response = client.patch(url, {"background": "Klocka\x07"}, format="json")
    assert response.status_code == 400
    assert "background" in response.json()["errors"]


@pytest.mark.parametrize("start_date", ["9487-01-01", "1899-12-31", "0001-01-01"])
def test_the_api_refuses_an_initiative_start_date_out_of_range(world, api_for, start_date):
    response = api_for(world.secretariat).post(
        "/api/v1/initiatives/",
        {"name": "Ny insats", "owner_organisation": "Skövde kommun", "start_date": start_date},
        format="json",
    )
    assert response.status_code == 400
    assert "start_date" in response.json()["errors"]


def test_the_service_refuses_the_same_name_and_dates(world):
    with pytest.raises(ValidationError) as caught:
        initiative_services.initiative_create(
            access=build_access(world.secretariat),
            association=world.a,
            name="Insats\x00",
            owner_organisation="Skövde kommun",
            start_date=far_future(),
        )
    assert {"name", "start_date"} <= set(caught.value.message_dict)


def test_the_initiative_form_refuses_the_same_name_and_dates(world):
    form = InitiativeForm(
        data={
            "name": "Insats\x1b",
            "owner_organisation": "Skövde kommun",
            "orientation": "individual",
            "follow_up": "individual",
            "status": "active",
            "start_date": "9487-01-01",
        },
        association=world.a,
    )
    assert not form.is_valid()
    assert {"name", "start_date"} <= set(form.errors)


def test_the_api_refuses_control_characters_in_a_participant_name(world, api_for, codes):
    today = timezone.localdate()
    response = api_for(world.registrar).post(
        f"/api/v1/initiatives/{world.a_initiative.pk}/enrolments/",
        {
            "start_date": today.isoformat(),
            "personal_number": personal_number(1),
            "name": "Anna\x1bAndersson",
            "consent": {"given_on": today.isoformat(), "method": "paper", "form_version": "1"},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_the_rules_themselves():
    NoControlCharacters(multiline=True)("Rad\r\nRad\tA")
    with pytest.raises(ValidationError):
        NoControlCharacters()("Rad\nRad")
    validate_date_in_range(datetime.date(1900, 1, 1))
    validate_date_in_range(timezone.localdate().replace(year=timezone.localdate().year + 9))
    for day in (datetime.date(1899, 12, 31), far_future()):
        with pytest.raises(ValidationError):
            validate_date_in_range(day)
