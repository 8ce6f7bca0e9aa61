"""Registering in and out through the API: the participant services with channel "api"."""

import datetime

import pytest

from finsam.api.tests.conftest import make_enrolment, personal_number
from finsam.audit.models import AccessEvent
from finsam.participants.models import Consent, Enrolment, Participant

TODAY = datetime.date.today()
START = TODAY - datetime.timedelta(days=30)


def register_url(initiative):
    return f"/api/v1/initiatives/{initiative.pk}/enrolments/"


def exit_url(enrolment):
    return f"/api/v1/enrolments/{enrolment.uuid}/exit/"


def identified_body(**overrides):
    body = {
        "start_date": START.isoformat(),
        "personal_number": personal_number(5, birth="19900214"),
        "name": "Kim Provsson",
        "home_municipality": "1496",
        "income_sources_before": ["test-forsorjningsstod"],
        "occupation_before": "test-arbetar",
        "occupation_extent_before": 50,
        "education": "test-gymnasial",
        "time_outside_work": "test-1-2-ar",
        "referrer": "test-fk",
        "consent": {"given_on": START.isoformat(), "method": "paper", "form_version": "9443-2024"},
    }
    body.update(overrides)
    return body


def nothing_saved():
    return (
        not Enrolment.objects.exists()
        and not Participant.objects.exists()
        and not Consent.objects.exists()
        and not AccessEvent.objects.exists()
    )


def test_it_registers_an_identified_participant(world, api_for, codes):
    response = api_for(world.registrar).post(
        register_url(world.a_initiative), identified_body(), format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    enrolment = Enrolment.objects.get(uuid=data["uuid"])
    assert enrolment.initiative == world.a_initiative
    assert data["personal_number"] == personal_number(5, birth="19900214")
    assert data["name"] == "Kim Provsson"
    assert data["age_at_start"] == enrolment.age_at_start
    assert data["home_municipality"] == "1496"
    assert data["income_sources_before"] == ["test-forsorjningsstod"]
    assert data["consent"]["form_version"] == "9443-2024"
    events = AccessEvent.objects.for_pseudonym(data["pseudonym"])
    assert events.exists()
    assert {e.channel for e in events} == {"api"}


def test_it_registers_an_anonymous_participant(world, api_for, codes):
    body = {
        "start_date": START.isoformat(),
        "anonymous_reason": "protected_identity",
        "gender": "other",
        "age_at_start": 27,
        "referrer": "test-fk",
    }
    response = api_for(world.registrar).post(register_url(world.a_initiative), body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["anonymous"] is True
    assert data["personal_number"] is None
    assert data["pseudonym"].startswith("A-")
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("19811218-9875", "Kontrollsiffran"),
        ("19811345-1234", "Datumet i personnumret finns inte"),
        ("8112189876", "fyra siffror"),
        ("hej", "ÅÅÅÅMMDD-NNNN"),
    ],
)
def test_it_rejects_a_bad_personal_number_in_swedish(world, api_for, codes, raw, words):
    response = api_for(world.registrar).post(
        register_url(world.a_initiative), identified_body(personal_number=raw), format="json"
    )
    assert response.status_code == 400
    messages = response.json()["errors"]["personal_number"]
    assert words in " ".join(messages)
    content = response.content.decode()
    assert raw not in content
    assert "1981-13-45" not in content
    assert "Kim Provsson" not in content
    assert nothing_saved()


def test_it_requires_consent_for_an_identified_participant(world, api_for, codes):
    response = api_for(world.registrar).post(
        register_url(world.a_initiative), identified_body(consent=None), format="json"
    )
    assert response.status_code == 400
    assert "Samtycke krävs" in response.json()["errors"]["consent"][0]
    assert nothing_saved()


def test_it_reports_nested_and_code_errors_per_field(world, api_for, codes):
    body = identified_body(
        education="ingen-sadan-kod",
        home_municipality="0000",
        consent={"given_on": "i morse", "method": "duva", "form_version": ""},
    )
    response = api_for(world.registrar).post(register_url(world.a_initiative), body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {
        "education",
        "home_municipality",
        "consent.given_on",
        "consent.method",
        "consent.form_version",
    }
    assert errors["consent.method"] == ["Ogiltigt val."]
    assert "duva" not in response.content.decode()
    assert nothing_saved()


def test_it_registers_out(world, api_for, codes):
    enrolment = make_enrolment(world.a_initiative, 3, start_date=START)
    body = {
        "end_date": TODAY.isoformat(),
        "exit_reason": "test-arbete",
        "income_sources_after": ["test-lon"],
        "occupation_after": "test-arbetar",
        "occupation_extent_after": 100,
    }
    response = api_for(world.registrar).post(exit_url(enrolment), body, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["end_date"] == TODAY.isoformat()
    assert data["exit_reason"] == "test-arbete"
    assert data["income_sources_after"] == ["test-lon"]
    assert data["personal_number"] == personal_number(3)
    assert AccessEvent.objects.filter(action="exit", channel="api").count() == 1


def test_it_rejects_an_exit_before_the_start(world, api_for, codes):
    enrolment = make_enrolment(world.a_initiative, 3, start_date=START)
    body = {
        "end_date": (START - datetime.timedelta(days=1)).isoformat(),
        "exit_reason": "test-arbete",
    }
    response = api_for(world.registrar).post(exit_url(enrolment), body, format="json")
    assert response.status_code == 400
    assert "end_date" in response.json()["errors"]
    enrolment.refresh_from_db()
    assert enrolment.end_date is None
    assert not AccessEvent.objects.exists()
