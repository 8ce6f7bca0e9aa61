"""Walk every page as every role, with objects of the user's own association and of another.

This is the net under the per-app permission tests: it fails on any server error, on any page
that answers 2xx/3xx for another association's object, on any personal data shown to anyone but
the participant's registrar, and on any new URL that nobody added to `OBJECT_KWARGS` below.
"""

import html
import re

import pytest
from django.urls import NoReverseMatch, reverse

from finsam.accounts.models import ApplicantOrganisation
from finsam.accounts.tests.factories import UserFactory
from finsam.core.tests.walk import (
    A_USERS,
    NAME,
    NAMES,
    OBJECT_KWARGS,
    PERSONAL_NUMBER,
    PLAIN,
    PUBLIC,
    url_of,
)


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _assert_no_identity(response, who, url):
    body = _body(response)
    for secret in (PERSONAL_NUMBER, PERSONAL_NUMBER.replace("-", ""), NAME):
        assert secret not in body, f"{who} saw personal data on {url}"


def _assert_accessible_markup(response, url):
    """A full page's title is plain text, and every id its aria-describedby names exists."""
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    body = _body(response)
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    if title is None:
        return  # a fragment for htmx
    assert "<" not in html.unescape(title.group(1)), f"{url}: markup in the title {title.group(1)}"
    ids = set(re.findall(r'\sid="([^"]+)"', body))
    for described in re.findall(r'aria-describedby="([^"]*)"', body):
        missing = set(described.split()) - ids
        assert not missing, f"{url}: aria-describedby names missing ids {missing}"


@pytest.mark.parametrize("who", A_USERS)
def test_every_page_of_the_own_association_answers_without_error_or_leak(
    world, objects, client, client_for, who
):
    client_for(world.user(who))
    for name in NAMES:
        url = url_of(name, objects["own"])
        response = client.get(url)
        assert response.status_code < 500, f"{who} GET {url}: {response.status_code}"
        _assert_accessible_markup(response, url)
        if who != "registrar":
            _assert_no_identity(response, who, url)


@pytest.mark.parametrize("who", A_USERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_page_answers_for_another_associations_object(
    world, objects, client, client_for, who, method
):
    client_for(world.user(who))
    for name in OBJECT_KWARGS:
        if name in PUBLIC:
            continue
        url = url_of(name, objects["foreign"])
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404, 405), (
            f"{who} {method.upper()} {url} (association B): {response.status_code}"
        )
        _assert_no_identity(response, who, url)


def test_the_registrar_sees_identity_only_in_its_own_initiative(world, objects, client, client_for):
    client_for(world.registrar)
    own = client.get(url_of("participants:enrolment_detail", objects["own"]))
    assert NAME in _body(own)
    assert PERSONAL_NUMBER in _body(own)


def test_every_page_but_the_public_ones_asks_for_login(objects, client):
    for name in NAMES:
        if name in PUBLIC:
            continue
        url = url_of(name, objects["own"])
        response = client.get(url)
        assert response.status_code == 302, f"anonymous GET {url}: {response.status_code}"
        assert "/accounts/login/" in response["Location"]
        _assert_no_identity(response, "anonymous", url)


def test_every_page_serves_some_role(world, objects, client, client_for):
    """The walk means something only if each page really answers someone (no blanket 404)."""
    served = set()
    for who in A_USERS:
        client_for(world.user(who))
        for name in NAMES:
            if client.get(url_of(name, objects["own"])).status_code in (200, 302, 405):
                served.add(name)
    assert set(NAMES) - served == set()


def test_every_url_with_an_object_is_walked():
    """A new URL whose path takes an object must be added to OBJECT_KWARGS."""
    for name in PLAIN:
        try:
            reverse(name)
        except NoReverseMatch:
            pytest.fail(f"{name} takes arguments: add it to OBJECT_KWARGS")


def test_an_applicant_organisations_user_is_refused_every_page_but_the_applications(
    world, objects, client, client_for
):
    """A user of an applicant organisation of A (a principal, not staff): the start page and
    the applications' pages (scoped to its own applications); every other page answers 403 (or
    404/405)."""
    organisation = ApplicantOrganisation.objects.create(association=world.a, name="Föreningen Bro")
    user = UserFactory(email="sokande-org@example.se")
    organisation.members.add(user)
    client_for(user)
    start = client.get("/", follow=True)  # the start page sends it to its applications
    assert start.status_code == 200
    for name in PLAIN + list(OBJECT_KWARGS):
        if name in PUBLIC or name == "home":
            continue
        url = url_of(name, objects["own"])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if name.startswith("applications:") and response.status_code < 400:
                continue  # its own pages (the walk's objects belong to another organisation)
            assert response.status_code in (403, 404, 405), (
                f"applicant organisation {method.upper()} {url}: {response.status_code}"
            )
            _assert_no_identity(response, "applicant organisation", url)
