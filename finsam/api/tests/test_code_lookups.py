"""Code fields of the API parse every code of a request with one query."""

import pytest

from finsam.api import serializers as s
from finsam.api.tests.conftest import count_queries, personal_number
from finsam.api.tests.test_registration import identified_body, register_url
from finsam.reference.models import CodeList
from finsam.reference.tests.factories import CodeFactory


def test_all_code_fields_of_a_registration_take_one_query(codes, django_assert_num_queries):
    CodeFactory(code_list=CodeList.INCOME_SOURCE, code="test-sjukpenning")
    body = identified_body(
        income_sources_before=["test-lon", "test-forsorjningsstod", "test-sjukpenning"]
    )
    serializer = s.EnrolmentIn(data=body)
    # The process's code book read once, whatever the number of code fields: the lists, their
    # versions, the codes, the translations and the municipalities.
    with django_assert_num_queries(5):
        assert serializer.is_valid(), serializer.errors
    data = serializer.validated_data
    assert [c.code for c in data["income_sources_before"]] == [
        "test-lon",
        "test-forsorjningsstod",
        "test-sjukpenning",
    ]
    assert data["occupation_before"] == codes["occupation"]
    assert data["education"] == codes["education"]
    assert data["time_outside_work"] == codes["time"]
    assert data["referrer"] == codes["referrer"]
    assert data["home_municipality"] == codes["municipality"]
    # Then kept by the process: the next request parses its codes without a query.
    again = s.EnrolmentIn(data=body)
    with django_assert_num_queries(0):
        assert again.is_valid(), again.errors
    assert again.validated_data["occupation_before"] == codes["occupation"]


def test_a_changed_code_is_seen_at_once_by_the_process_that_changed_it(codes):
    assert s.EnrolmentIn(data=identified_body()).is_valid()  # the codes are now kept
    codes["education"].active = False
    codes["education"].save()
    serializer = s.EnrolmentIn(data=identified_body())
    assert not serializer.is_valid()
    assert list(serializer.errors) == ["education"]
    CodeFactory(code_list=CodeList.REFERRER, code="test-ny")
    assert s.EnrolmentIn(data=identified_body(education=None, referrer="test-ny")).is_valid()


def test_no_code_no_query(db, django_assert_num_queries):
    serializer = s.ExitIn(data={"end_date": "2025-01-01"})
    with django_assert_num_queries(0):
        assert not serializer.is_valid()
    assert "exit_reason" in serializer.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("occupation_before", "test-lon"),  # a code of another list
        ("occupation_before", "TEST-ARBETAR"),  # codes are exact
        ("education", "test-gammal"),  # not active
        ("referrer", "okand"),
    ],
)
def test_it_still_rejects_codes_outside_the_list(codes, field, value):
    CodeFactory(code_list=CodeList.EDUCATION, code="test-gammal", active=False)
    serializer = s.EnrolmentIn(data=identified_body(**{field: value}))
    assert not serializer.is_valid()
    assert list(serializer.errors) == [field]
    assert "Okänd kod i kodlistan" in str(serializer.errors[field][0])
    assert value not in str(serializer.errors[field][0])


def test_it_rejects_a_bad_item_of_a_code_list(codes):
    body = identified_body(income_sources_before=["test-lon", "okand"])
    serializer = s.EnrolmentIn(data=body)
    assert not serializer.is_valid()
    assert list(serializer.errors) == ["income_sources_before"]


def test_the_number_of_codes_does_not_change_the_queries_of_a_registration(world, api_for, codes):
    CodeFactory(code_list=CodeList.INCOME_SOURCE, code="test-sjukpenning")
    client = api_for(world.registrar)
    warm = identified_body(personal_number=personal_number(5, birth="19900214"))
    assert client.post(register_url(world.a_initiative), warm, format="json").status_code == 201
    counts = []
    for n, sources in enumerate(
        [["test-lon"], ["test-lon", "test-forsorjningsstod", "test-sjukpenning"]]
    ):
        body = identified_body(
            personal_number=personal_number(n, birth="19900214"), income_sources_before=sources
        )
        with count_queries() as queries:
            response = client.post(register_url(world.a_initiative), body, format="json")
        assert response.status_code == 201, response.json()
        counts.append(len(queries))
    assert counts[0] == counts[1]
