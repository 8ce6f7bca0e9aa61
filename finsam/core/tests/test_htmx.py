"""The shared HTMX answers (finsam.core.htmx): partial or page, and `Vary: HX-Request`."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxMiddleware

from finsam.core.htmx import client_redirect, vary_on_htmx, wants_partial


def _request(**headers):
    request = RequestFactory().get("/", headers=headers)
    HtmxMiddleware(lambda r: HttpResponse())(request)
    return request


@pytest.mark.parametrize(
    ("headers", "partial"),
    [
        ({}, False),  # a normal load
        ({"HX-Request": "true"}, True),  # an HTMX swap
        ({"HX-Request": "true", "HX-Boosted": "true"}, False),  # a boosted link: a whole page
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, False),  # history
    ],
)
def test_only_an_htmx_swap_wants_the_partial(headers, partial):
    assert wants_partial(_request(**headers)) is partial


def test_a_request_without_the_middleware_wants_the_page():
    assert wants_partial(RequestFactory().get("/", headers={"HX-Request": "true"})) is False


def test_vary_on_htmx_adds_to_the_vary_header():
    response = HttpResponse()
    response["Vary"] = "Cookie"
    assert vary_on_htmx(response) is response
    assert response["Vary"] == "Cookie, HX-Request"


def test_client_redirect_is_an_empty_answer_naming_the_url():
    response = client_redirect("/somewhere/")
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/somewhere/"
    assert response.content == b""
