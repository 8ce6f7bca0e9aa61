"""Real responses of every endpoint, for every role, validated against the OpenAPI document.

Each response's status must be one the operation documents, its content type JSON, and its body
must match the documented schema (schemathesis's validator: types, nullability, enums, required
properties). Successes and errors alike: errors must be the `Errors` schema.
"""

import json

import pytest
import requests
import schemathesis
from schemathesis.core.transport import Response

from finsam.api.tests.conftest import make_enrolment
from finsam.associations.models import MemberKind
from finsam.associations.tests.factories import MemberFactory
from finsam.indicators.tests.answers import many, questionnaire
from finsam.reference.tests.factories import MunicipalityFactory, RegionFactory

ROLES = [
    "operator",
    "secretariat",
    "initiative_manager",
    "registrar",
    "board",
    "applicant",
    "analyst",
    "anonymous",
]


@pytest.fixture
def openapi(client, db):
    document = json.loads(client.get("/api/openapi.json").content)
    return document, schemathesis.openapi.from_dict(document)


def requests_for(world, enrolment):
    a, b, initiative = world.a.pk, world.b.pk, world.a_initiative.pk
    uuid = enrolment.uuid
    return [
        ("get", "/api/v1/me/", "/api/v1/me/", None),
        ("get", "/api/v1/associations/", "/api/v1/associations/", None),
        ("get", "/api/v1/associations/{id}/", f"/api/v1/associations/{a}/", None),
        ("get", "/api/v1/associations/{id}/", f"/api/v1/associations/{b}/", None),
        ("get", "/api/v1/initiatives/", "/api/v1/initiatives/", None),
        ("get", "/api/v1/initiatives/", "/api/v1/initiatives/?status=bogus", None),
        ("get", "/api/v1/initiatives/", "/api/v1/initiatives/?association=999999", None),
        ("get", "/api/v1/initiatives/{id}/", f"/api/v1/initiatives/{initiative}/", None),
        ("get", "/api/v1/initiatives/{id}/", "/api/v1/initiatives/999999/", None),
        (
            "get",
            "/api/v1/initiatives/{id}/enrolments/",
            f"/api/v1/initiatives/{initiative}/enrolments/",
            None,
        ),
        ("get", "/api/v1/enrolments/{uuid}/", f"/api/v1/enrolments/{uuid}/", None),
        ("get", "/api/v1/statistics/", "/api/v1/statistics/", None),
        ("get", "/api/v1/public/grants/", "/api/v1/public/grants/", None),
        ("get", "/api/v1/public/grants/", "/api/v1/public/grants/?association=nope", None),
        ("get", "/api/v1/statistics/national/", "/api/v1/statistics/national/", None),
        (
            "get",
            "/api/v1/statistics/{kind}/{id}/",
            f"/api/v1/statistics/association/{a}/?table=headline&table=gender",
            None,
        ),
        (
            "get",
            "/api/v1/statistics/{kind}/{id}/",
            f"/api/v1/statistics/initiative/{initiative}/?period_start=2024-01-01",
            None,
        ),
        (
            "get",
            "/api/v1/statistics/{kind}/{id}/",
            f"/api/v1/statistics/association/{a}/?table=bogus",
            None,
        ),
        ("get", "/api/v1/indicators/", "/api/v1/indicators/", None),
        (
            "get",
            "/api/v1/indicators/{kind}/{id}/",
            f"/api/v1/indicators/association/{a}/?year=2026",
            None,
        ),
        (
            "get",
            "/api/v1/indicators/{kind}/{id}/",
            f"/api/v1/indicators/initiative/{initiative}/",
            None,
        ),
        (
            "get",
            "/api/v1/indicators/{kind}/{id}/",
            f"/api/v1/indicators/association/{a}/?year=bogus",
            None,
        ),
        ("post", "/api/v1/initiatives/", "/api/v1/initiatives/", {}),
        (
            "post",
            "/api/v1/initiatives/",
            "/api/v1/initiatives/",
            {"name": "Ny", "owner_organisation": "Skövde kommun", "start_date": "2024-02-01"},
        ),
        ("patch", "/api/v1/initiatives/{id}/", f"/api/v1/initiatives/{initiative}/", {}),
        (
            "post",
            "/api/v1/initiatives/{id}/enrolments/",
            f"/api/v1/initiatives/{initiative}/enrolments/",
            {},
        ),
        ("post", "/api/v1/enrolments/{uuid}/exit/", f"/api/v1/enrolments/{uuid}/exit/", {}),
    ]


def as_response(method, url, response) -> Response:
    request = requests.Request(method.upper(), f"http://testserver{url}").prepare()
    headers = {key.lower(): [value] for key, value in response.headers.items()}
    return Response(
        status_code=response.status_code,
        headers=headers,
        content=response.content,
        request=request,
        elapsed=0.0,
        verify=False,
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_response_matches_the_openapi_document(world, api_for, codes, openapi, role):
    document, schema = openapi
    region = RegionFactory(code="14")
    skovde = MunicipalityFactory(code="1496", name="Skövde")
    MemberFactory(association=world.a, kind=MemberKind.REGION, name="Regionen", region=region)
    MemberFactory(association=world.a, name="Skövde kommun", municipality=skovde)
    enrolment = make_enrolment(world.a_initiative, 0, codes=codes)
    make_enrolment(world.a_initiative, 1, anonymous=True)
    version = questionnaire()
    many(version, association=world.a, item="D02", choices=["6"] * 6, initiative=world.a_initiative)
    many(version, association=world.a, item="D03", choices=["6"] * 2, initiative=world.a_initiative)
    user = None if role == "anonymous" else world.user(role)
    client = api_for(user)
    seen = set()
    for method, path, url, body in requests_for(world, enrolment):
        kwargs = {"data": body, "format": "json"} if body is not None else {}
        response = getattr(client, method)(url, **kwargs)
        label = f"{role}: {method.upper()} {url} → {response.status_code}"
        documented = document["paths"][path][method]["responses"]
        assert str(response.status_code) in documented, label
        assert response["Content-Type"] == "application/json", label
        operation = schema[path][method.upper()]
        try:
            operation.validate_response(as_response(method, url, response))
        except Exception as exc:  # FailureGroup: every violation in its message
            pytest.fail(f"{label}: {exc}")
        seen.add((path, method))
    # Every operation of the document was exercised.
    operations = {(p, m) for p, ops in document["paths"].items() for m in ops if m != "parameters"}
    assert operations == seen


def test_every_operation_documents_the_error_responses(openapi):
    document, _schema = openapi
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            wanted = {"400", "401", "403", "404"}
            if method in ("post", "patch"):
                wanted |= {"409", "415"}
            assert wanted <= set(responses), f"{method} {path}"
            for code in wanted:
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Errors", f"{method} {path} {code}"
            # JSON only: no form-encoded request bodies are offered.
            if "requestBody" in operation:
                assert set(operation["requestBody"]["content"]) == {"application/json"}


def test_members_document_municipality_and_region_as_nullable(openapi):
    document, _schema = openapi
    member = document["components"]["schemas"]["Member"]["properties"]
    assert member["municipality"].get("nullable") is True
    assert member["region"].get("nullable") is True


def test_enums_are_the_code_lists(openapi):
    from finsam.initiatives.models import Status
    from finsam.statistics.engine import DIMENSIONS
    from finsam.statistics.scopes import KINDS

    document, _schema = openapi
    components = document["components"]["schemas"]

    def enum(schema, name):
        prop = components[schema]["properties"][name]
        ref = prop.get("$ref") or next(p["$ref"] for p in prop.get("allOf", []) if "$ref" in p)
        return components[ref.rsplit("/", 1)[1]]["enum"]

    assert enum("StatisticsScope", "kind") == list(KINDS)
    assert enum("StatisticsScopeInfo", "kind") == list(KINDS)
    assert enum("StatisticsTable", "dimension") == ["headline", *DIMENSIONS]
    assert enum("Initiative", "status") == list(Status.values)
