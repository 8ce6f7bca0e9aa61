"""The API token page: create (shown once), regenerate, revoke; two-factor first for registrars."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from rest_framework.authtoken.models import Token

from finsam.accounts.tests.factories import RoleAssignmentFactory
from finsam.conftest import make_user
from finsam.core.roles import Role

URL = reverse("accounts:api_token")


def test_the_page_explains_the_api_in_swedish(world, client_for):
    response = client_for(world.board).get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Du har ingen API-nyckel" in content
    assert "Authorization: Token" in content
    assert "/api/openapi.json" in content
    assert "?association=" in content


def test_a_user_creates_a_token_and_sees_it_once(world, client_for):
    client = client_for(world.board)
    response = client.post(URL, {"action": "create"})
    assert response.status_code == 200
    token = Token.objects.get(user=world.board)
    assert token.key in response.content.decode()
    assert "visas bara den här gången" in response.content.decode()
    again = client.get(URL)
    assert token.key not in again.content.decode()
    assert "Du har en API-nyckel" in again.content.decode()


def test_the_token_authenticates_api_calls(world, client_for, client):
    key = client_for(world.board).post(URL, {"action": "create"}).context["new_key"]
    client.logout()
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_regenerating_replaces_the_old_token(world, client_for):
    client = client_for(world.board)
    first = client.post(URL, {"action": "create"}).context["new_key"]
    second = client.post(URL, {"action": "create"}).context["new_key"]
    assert first != second
    assert list(Token.objects.filter(user=world.board).values_list("key", flat=True)) == [second]


def test_revoking_deletes_the_token(world, client_for):
    client = client_for(world.board)
    client.post(URL, {"action": "create"})
    response = client.post(URL, {"action": "revoke"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=world.board).exists()
    assert "API-nyckeln är återkallad" in client.get(URL).content.decode()


def test_an_unknown_action_is_refused(world, client_for):
    response = client_for(world.board).post(URL, {"action": "steal"})
    assert response.status_code == 400
    assert "Okänd åtgärd" in response.content.decode()
    assert not Token.objects.exists()


def test_users_only_touch_their_own_token(world, client_for):
    other = Token.objects.create(user=world.analyst)
    client = client_for(world.board)
    client.post(URL, {"action": "create"})
    client.post(URL, {"action": "revoke"})
    assert Token.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize(
    "role",
    [
        "operator",
        "secretariat",
        "initiative_manager",
        "registrar",
        "board",
        "applicant",
        "analyst",
        "b_secretariat",
        "b_registrar",
    ],
)
def test_every_role_may_have_a_token(world, client_for, role):
    user = getattr(world, role) if role.startswith("b_") else world.user(role)
    response = client_for(user).post(URL, {"action": "create"})
    assert response.status_code == 200
    assert Token.objects.filter(user=user).exists()


@pytest.fixture
def registrar_in_b_without_totp(world):
    """Secretariat in A (the current association) and registrar in B, without TOTP."""
    user = make_user(world.a, Role.SECRETARIAT, email="tvaroller@example.se")
    RoleAssignmentFactory(user=user, association=world.b, role=Role.REGISTRAR)
    Authenticator.objects.filter(user=user).delete()
    return user


def test_a_registrar_elsewhere_needs_two_factor_before_a_token(
    world, client_for, registrar_in_b_without_totp
):
    user = registrar_in_b_without_totp
    client = client_for(user)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Aktivera tvåstegsinloggning innan du skapar en API-nyckel" in page.content.decode()
    response = client.post(URL, {"action": "create"})
    assert response.status_code == 400
    assert not Token.objects.filter(user=user).exists()


def test_a_session_without_two_factor_gets_no_api_access(
    world, client_for, registrar_in_b_without_totp
):
    client = client_for(registrar_in_b_without_totp)
    response = client.get(f"/api/v1/initiatives/?association={world.b.pk}")
    assert response.status_code == 403
    assert "Tvåstegsinloggning" in response.json()["errors"]["__all__"][0]


def test_anonymous_users_are_sent_to_login(db, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
