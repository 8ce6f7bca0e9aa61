"""What an API request costs (issue 9): fewer queries, the same answers and permissions.

No timing here: the number of SQL statements is what the tests hold, so that a regression shows
without a stopwatch (the figures are in bench/README.md).
"""

import datetime

import pytest
from django.utils import timezone

from finsam.accounts.models import ApiToken
from finsam.api import views
from finsam.api.tests.conftest import personal_number
from finsam.api.tests.test_registration import identified_body, register_url
from finsam.initiatives.scoping import (
    editable_initiatives,
    follow_up_initiatives,
    in_scope,
    registrar_initiatives,
    visible_initiatives,
)
from finsam.participants.models import Enrolment
from finsam.reference.models import CodeList
from finsam.reference.tests.factories import CodeFactory
from finsam.staff.access import build_access

ROLES = ("secretariat", "manager", "registrar", "board", "analyst", "b_secretariat", "b_registrar")


def test_the_scope_predicates_agree_with_the_scopes(world, django_assert_num_queries):
    scopes = (visible_initiatives, registrar_initiatives, follow_up_initiatives)
    scopes += (editable_initiatives,)
    checked = 0
    for role in ROLES:
        user = getattr(world, role, None)
        if user is None:
            continue
        access = build_access(user)
        for initiative in visible_initiatives(access):
            for scope in scopes:
                expected = scope(access).filter(pk=initiative.pk).exists()
                with django_assert_num_queries(0):
                    answer = in_scope(access, initiative.pk, scope)
                assert answer is expected, (role, scope)
                checked += 1
    assert checked > 10


def read_back(response):
    enrolment = views.enrolment_queryset(
        Enrolment.objects.filter(uuid=response.json()["uuid"]), identity=True
    ).get()
    from finsam.api import serializers as s

    return s.EnrolmentOut(enrolment).data


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"name": ""},
        {"income_sources_before": ["test-sjukpenning", "test-lon", "test-forsorjningsstod"]},
        {"home_municipality": None, "occupation_before": None, "income_sources_before": []},
        {
            "personal_number": "",
            "name": "",
            "consent": None,
            "anonymous_reason": "no_consent",
            "gender": "woman",
            "age_at_start": 44,
        },
    ],
)
def test_the_response_equals_the_enrolment_read_back(world, api_for, codes, overrides):
    CodeFactory(code_list=CodeList.INCOME_SOURCE, code="test-sjukpenning")
    body = identified_body(**overrides)
    response = api_for(world.registrar).post(register_url(world.a_initiative), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == dict(read_back(response))


def test_a_registration_for_a_person_already_known_answers_as_read_back(world, api_for, codes):
    client = api_for(world.registrar)
    first = client.post(register_url(world.a_initiative), identified_body(), format="json")
    uuid = first.json()["uuid"]
    start = datetime.date.fromisoformat(first.json()["start_date"])
    exit_body = {
        "end_date": (start + datetime.timedelta(1)).isoformat(),
        "exit_reason": "test-arbete",
    }
    exited = client.post(f"/api/v1/enrolments/{uuid}/exit/", exit_body, format="json")
    assert exited.status_code == 200, exited.json()
    again = identified_body(
        name="Kim Nyttnamn", start_date=(start + datetime.timedelta(2)).isoformat()
    )
    response = client.post(register_url(world.a_initiative), again, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "Kim Nyttnamn"
    assert response.json() == dict(read_back(response))


def test_a_registration_costs_a_fixed_small_number_of_queries(
    world, api_for, codes, django_assert_max_num_queries
):
    client = api_for(world.registrar)
    warm = identified_body(personal_number=personal_number(7, birth="19900214"))
    assert client.post(register_url(world.a_initiative), warm, format="json").status_code == 201
    # Token (1), access (2), initiative (1), participant look-up (1), then the writes: participant,
    # enrolment, code set, their history (2), consent and its history, the access log (2), inside
    # the request's transaction and the service's savepoints. Before issue 9: 27.
    with django_assert_max_num_queries(20):
        response = client.post(register_url(world.a_initiative), identified_body(), format="json")
    assert response.status_code == 201, response.json()


# --- Token look-ups ---------------------------------------------------------------------------


def _expired_token(user):
    token, _key = ApiToken.objects.create(user=user, name="gammal")
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(1))
    return token


def test_a_recently_used_token_costs_one_query_to_authenticate(world, api_for):
    client = api_for(world.registrar)  # last used just now
    expired = _expired_token(world.registrar)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/me/").status_code == 200
    token_queries = [q for q in captured if "accounts_apitoken" in q["sql"]]
    assert len(token_queries) == 1
    # The user's other expired tokens are left for the next write of the last use.
    assert ApiToken.objects.filter(pk=expired.pk).exists()


def test_the_other_expired_tokens_are_deleted_when_the_last_use_is_written(world, api_for):
    client = api_for(world.registrar)
    ApiToken.objects.filter(user=world.registrar).update(
        last_used=timezone.now() - datetime.timedelta(minutes=5)
    )
    expired = _expired_token(world.registrar)
    assert client.get("/api/v1/me/").status_code == 200
    assert not ApiToken.objects.filter(pk=expired.pk).exists()


def test_an_expired_token_is_refused_even_when_used_recently(world):
    from rest_framework.test import APIClient

    token, key = ApiToken.objects.create(user=world.registrar, name="x", last_used=timezone.now())
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # Refused (knox deletes it, but the request's transaction is rolled back with the 401).
    assert client.get("/api/v1/me/").status_code == 401
