"""Every error under /api/ in the one JSON format; the cases `make fuzz` (schemathesis) found."""

import json

import pytest
from django.test import RequestFactory

from finsam.api import errors

ERROR_KEYS = {"errors"}


def assert_api_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert set(data) == ERROR_KEYS
    assert all(
        isinstance(messages, list) and all(isinstance(m, str) and m for m in messages)
        for messages in data["errors"].values()
    )
    return data["errors"]


# --- Bodies that do not parse ----------------------------------------------------------------


def test_a_malformed_body_on_a_refused_request_is_refused_not_a_server_error(world, api_for):
    """The exception handler read `request.data` to scrub the identity and parsed the body a
    second time: the parse error escaped from the handler (500). Fuzz: 44 server errors."""
    client = api_for(world.board)  # may not create initiatives: 403 before the body is read
    response = client.post("/api/v1/initiatives/", data=b"{bad", content_type="application/json")
    assert_api_error(response, 403)
    response = client.post("/api/v1/initiatives/", data=b"\x00", content_type="application/json")
    assert_api_error(response, 403)


def test_a_body_of_another_media_type_answers_415(world, api_for):
    client = api_for(world.secretariat)
    response = client.post("/api/v1/initiatives/", data=b"name=x", content_type="text/plain")
    assert_api_error(response, 415)
    # Form-encoded bodies are not accepted either (the schema lists JSON only).
    response = client.post(
        "/api/v1/initiatives/", data="name=x", content_type="application/x-www-form-urlencoded"
    )
    assert_api_error(response, 415)


def test_malformed_json_answers_400_in_swedish(world, api_for):
    response = api_for(world.secretariat).post(
        "/api/v1/initiatives/", data=b'{"name": ', content_type="application/json"
    )
    assert assert_api_error(response, 400) == {
        "__all__": ["Innehållet kunde inte tolkas som JSON."]
    }


# --- Requests that never reach a DRF view ----------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nonexistent/",
        "/api/v1/enrolments/not-a-uuid/",
        "/api/v1/initiatives/null,null/",
        "/api/v1/associations/-1/",
        "/api/v2/me/",
    ],
)
def test_unknown_api_paths_answer_404_as_json(world, api_for, path):
    assert assert_api_error(api_for(world.secretariat).get(path), 404)
    assert assert_api_error(api_for(None).get(path), 404)


def test_pages_outside_the_api_keep_the_html_404(world, client):
    client.force_login(world.secretariat)
    response = client.get("/nonexistent/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Sidan finns inte" in response.content.decode()


def test_too_many_query_parameters_answer_400_as_json(world, api_for):
    """Django's limit on the number of fields (TooManyFieldsSent) ends in handler400."""
    query = "&".join(f"page={n}" for n in range(1100))
    response = api_for(world.secretariat).get(f"/api/v1/me/?{query}")
    assert_api_error(response, 400)


def test_a_wrong_method_answers_405_as_json(world, api_for):
    assert_api_error(api_for(world.secretariat).delete("/api/v1/me/"), 405)


def test_server_errors_under_the_api_answer_json_and_pages_html(db):
    factory = RequestFactory()
    response = errors.server_error(factory.get("/api/v1/me/"))
    assert_api_error(response, 500)
    response = errors.server_error(factory.get("/initiatives/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_permission_denied_outside_drf_answers_json_under_the_api(db):
    from django.core.exceptions import PermissionDenied

    factory = RequestFactory()
    assert_api_error(errors.permission_denied(factory.get("/api/v1/me/"), PermissionDenied()), 403)


# --- Statistics filters ----------------------------------------------------------------------


def test_an_id_beyond_the_id_column_is_an_invalid_filter_not_a_server_error(world, api_for):
    """Fuzz: `target_group=61795334614189010987195039744` (SQLite: OverflowError in `__in`)."""
    client = api_for(world.secretariat)
    huge = "61795334614189010987195039744"
    for param in ("target_group", "municipality", "initiative"):
        response = client.get(f"/api/v1/statistics/association/{world.a.pk}/", {param: huge})
        assert set(assert_api_error(response, 400)) == {param}
    response = client.get(
        f"/api/v1/statistics/initiative/{world.a_initiative.pk}/", {"target_group": "-1"}
    )
    assert set(assert_api_error(response, 400)) == {"target_group"}


def test_the_statistics_page_refuses_the_same_id(world, client):
    client.force_login(world.secretariat)
    response = client.get(
        f"/statistics/association/{world.a.pk}/", {"target_group": "61795334614189010987195039744"}
    )
    assert response.status_code == 200  # the form shows its error
    assert "target_group" in response.context["form"].errors
