"""Initiatives through the API: list filters, create and change through the services."""

import datetime

import pytest

from finsam.accounts.models import ApiToken
from finsam.api.tests.conftest import make_enrolment
from finsam.initiatives.models import Initiative, Status
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.reference.models import CodeList
from finsam.reference.tests.factories import CodeFactory, MunicipalityFactory

URL = "/api/v1/initiatives/"


@pytest.fixture
def refs(world):
    skovde = MunicipalityFactory(code="1496", name="Skövde")
    world.a.municipalities.add(skovde)
    return {
        "municipality": skovde,
        "group": CodeFactory(code_list=CodeList.TARGET_GROUP, code="test-unga"),
        "specific": CodeFactory(
            code_list=CodeList.SPECIFIC_ORIENTATION, code="test-kartlaggning", category="individual"
        ),
    }


def valid_body(**overrides):
    body = {
        "name": "Steg framåt",
        "owner_organisation": "Falköpings kommun",
        "start_date": "2025-01-01",
        "end_date": "2026-12-31",
        "orientation": "individual",
        "specific_orientation": "test-kartlaggning",
        "target_groups": ["test-unga"],
        "municipalities": ["1496"],
        "planned_participants": 40,
        "purpose": "Fler i arbete eller studier.",
    }
    body.update(overrides)
    return body


def test_it_authenticates_by_token_and_answers_401_without(world, api_for):
    assert api_for(world.secretariat).get(URL).status_code == 200
    response = api_for(None).get(URL)
    assert response.status_code == 401
    assert response.json()["errors"]["__all__"]
    assert response["WWW-Authenticate"].startswith("Token")
    client = api_for(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(URL).status_code == 401
    assert ApiToken.objects.filter(user=world.secretariat).exists()


def test_removing_the_authenticator_app_revokes_the_tokens(world, api_for):
    from allauth.mfa.models import Authenticator

    client = api_for(world.registrar)
    assert client.get(URL).status_code == 200
    Authenticator.objects.filter(user=world.registrar).delete()
    assert client.get(URL).status_code == 401
    assert not ApiToken.objects.filter(user=world.registrar).exists()


def test_it_creates_an_initiative_for_the_secretariat(world, api_for, refs):
    response = api_for(world.secretariat).post(URL, valid_body(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    initiative = Initiative.objects.get(pk=data["id"])
    assert initiative.association == world.a
    assert data["target_groups"] == ["test-unga"]
    assert data["municipalities"] == ["1496"]
    assert data["specific_orientation"] == "test-kartlaggning"
    assert data["active_participants"] == 0
    assert data["status"] == Status.ACTIVE


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"end_date": "2024-12-31"}, "end_date", "före startdatum"),
        ({"name": "Cresco Create"}, "name", "finns redan"),
        ({"target_groups": ["ingen-sadan-kod"]}, "target_groups", "Okänd kod"),
        ({"municipalities": ["9999"]}, "municipalities", "Okänd kommunkod"),
        ({"orientation": "sideways"}, "orientation", "Ogiltigt val"),
        ({"start_date": "igår"}, "start_date", "Datum"),
        ({"name": ""}, "name", "blankt"),
    ],
)
def test_it_rejects_bad_initiatives_in_swedish(world, api_for, refs, overrides, field, words):
    before = Initiative.objects.count()
    response = api_for(world.secretariat).post(URL, valid_body(**overrides), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert words in " ".join(errors[field]), errors
    assert "sideways" not in response.content.decode()
    assert "ingen-sadan-kod" not in response.content.decode()
    assert Initiative.objects.count() == before


def test_it_changes_an_initiative_for_its_manager(world, api_for, refs):
    url = f"{URL}{world.a_initiative.pk}/"
    response = api_for(world.manager).patch(
        url, {"purpose": "Nytt syfte", "target_groups": ["test-unga"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    world.a_initiative.refresh_from_db()
    assert world.a_initiative.purpose == "Nytt syfte"
    assert list(world.a_initiative.target_groups.values_list("code", flat=True)) == ["test-unga"]


def test_it_saves_nothing_on_a_bad_change(world, api_for, refs):
    url = f"{URL}{world.a_initiative.pk}/"
    response = api_for(world.secretariat).patch(
        url, {"purpose": "Nytt syfte", "end_date": "2019-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "end_date" in response.json()["errors"]
    world.a_initiative.refresh_from_db()
    assert world.a_initiative.purpose == ""


def test_it_filters_and_counts_like_the_list_page(world, api_for, codes):
    InitiativeFactory(
        association=world.a,
        name="Gammal insats",
        status=Status.ENDED,
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2016, 12, 31),
        diary_number="SF-2015-7",
    )
    make_enrolment(world.a_initiative, 0)
    make_enrolment(world.a_initiative, 1)
    make_enrolment(
        world.a_initiative, 2, end_date=datetime.date(2024, 4, 1), exit_reason=codes["exit"]
    )
    client = api_for(world.secretariat)

    def names(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.json()
        return [row["name"] for row in response.json()["results"]]

    assert names(status="ended") == ["Gammal insats"]
    assert names(q="sf-2015") == ["Gammal insats"]
    assert names(q="cresco") == ["Cresco Create"]
    assert names(year="2016") == ["Gammal insats"]
    assert "Gammal insats" not in names(year="2024")
    rows = {row["name"]: row for row in client.get(URL).json()["results"]}
    assert rows["Cresco Create"]["active_participants"] == 2


def test_it_rejects_a_bad_filter_without_echoing_it(world, api_for):
    response = api_for(world.secretariat).get(URL, {"status": "198112189876"})
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    assert "198112189876" not in response.content.decode()
