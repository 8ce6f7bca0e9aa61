"""The OpenAPI document and the endpoint list page."""

import json

from django.urls import URLPattern, URLResolver, reverse

from finsam.api import urls as api_urls

EXPECTED = {
    "/api/v1/me/": {"get"},
    "/api/v1/associations/": {"get"},
    "/api/v1/associations/{id}/": {"get"},
    "/api/v1/initiatives/": {"get", "post"},
    "/api/v1/initiatives/{id}/": {"get", "patch"},
    "/api/v1/initiatives/{id}/enrolments/": {"get", "post"},
    "/api/v1/enrolments/{uuid}/": {"get"},
    "/api/v1/enrolments/{uuid}/exit/": {"post"},
    "/api/v1/statistics/": {"get"},
    "/api/v1/statistics/national/": {"get"},
    "/api/v1/statistics/{kind}/{id}/": {"get"},
    "/api/v1/public/grants/": {"get"},
    "/api/v1/indicators/": {"get"},
    "/api/v1/indicators/{kind}/{id}/": {"get"},
}


def get_schema(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_it_serves_the_openapi_document_publicly(client, db):
    schema = get_schema(client)
    assert schema["openapi"].startswith("3.")
    operations = {
        path: {m for m in ops if m in ("get", "post", "put", "patch", "delete")}
        for path, ops in schema["paths"].items()
    }
    assert operations == EXPECTED
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_it_documents_every_v1_route():
    """A new route in urls.py without its path in EXPECTED fails here."""

    def routes(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    v1 = [r for r in routes(api_urls.urlpatterns) if r.startswith("^(?P<version>v1)/")]
    assert len(v1) == len(EXPECTED)
    assert reverse("api:openapi") == "/api/openapi.json"
    assert reverse("api:me", kwargs={"version": "v1"}) == "/api/v1/me/"


def test_it_documents_the_association_parameter_bodies_and_errors(client, db):
    schema = get_schema(client)
    paths = schema["paths"]
    initiative_list = paths["/api/v1/initiatives/"]
    names = {p["name"] for p in initiative_list["get"]["parameters"]}
    assert {"association", "q", "status", "orientation", "follow_up", "year", "page"} <= names
    create = initiative_list["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/InitiativeInput"
    )
    assert {"201", "400", "401", "403", "404"} <= set(create["responses"])
    register = paths["/api/v1/initiatives/{id}/enrolments/"]["post"]
    assert register["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/EnrolmentInput"
    )
    enrolment = schema["components"]["schemas"]["Enrolment"]
    assert "personal_number" in enrolment["properties"]
    assert "personal_number" not in enrolment["required"]
    errors = schema["components"]["schemas"]["Errors"]
    assert errors["required"] == ["errors"]


def test_it_lists_the_endpoints_on_a_page(client, db):
    response = client.get("/api/")
    assert response.status_code == 200
    content = response.content.decode()
    for path in EXPECTED:
        assert path in content
    assert "/api/openapi.json" in content
