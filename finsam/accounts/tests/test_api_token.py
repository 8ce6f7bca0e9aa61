"""API tokens: named, hashed at rest, shown once, expiring, last use recorded; created only in a
session that passed two factors; revoked by the user, by a new password and with the
authenticator app."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from finsam.accounts import services
from finsam.accounts.models import ApiToken
from finsam.conftest import PASSWORD

URL = reverse("accounts:api_token")
ME = "/api/v1/me/"


@pytest.fixture
def board(world):
    """A board member with an authenticator app (roles without personal data may have one)."""
    TOTP.activate(world.board, generate_totp_secret())
    return world.board


def create(client, name="Verksamhetssystemet"):
    return client.post(URL, {"action": "create", "name": name})


def test_the_page_explains_the_api_in_swedish(world, client_for):
    response = client_for(world.board).get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Du har ingen API-nyckel" in content
    assert "Authorization: Token" in content
    assert "/api/openapi.json" in content
    assert "?association=" in content
    assert "90 dagar" in content


def test_a_session_without_two_factor_cannot_create_a_token(world, client_for):
    """The old page gave a token to any logged-in session."""
    client = client_for(world.board)  # no authenticator app: the session passed one factor
    page = client.get(URL).content.decode()
    assert "Bekräfta med tvåstegsinloggning" in page
    assert reverse("mfa_activate_totp") in page
    response = create(client)
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_an_authenticator_alone_is_not_enough_the_session_must_have_passed(world, client):
    client.force_login(world.registrar)  # has TOTP, but this session never entered a code
    client.get(URL)  # sent to enter the code first
    response = create(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not ApiToken.objects.exists()


def test_a_token_is_named_shown_once_and_stored_hashed(board, client_for):
    client = client_for(board)
    response = create(client)
    assert response.status_code == 200
    key = response.context["new_key"]
    content = response.content.decode()
    assert key in content
    assert "visas bara den här gången" in content
    token = ApiToken.objects.get(user=board)
    assert token.name == "Verksamhetssystemet"
    # Only a hash of the key is kept: the key appears in no column of the table.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert key not in stored and key[-20:] not in stored
    again = client.get(URL).content.decode()
    assert key not in again
    assert "Verksamhetssystemet" in again


def test_a_token_expires_after_the_configured_days(board, client_for, settings):
    token, _key = services.api_token_create(user=board, name="a")
    assert token.expiry - token.created == pytest.approx(
        datetime.timedelta(days=90), abs=datetime.timedelta(seconds=5)
    )
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": datetime.timedelta(days=7)}
    token, _key = services.api_token_create(user=board, name="b")
    assert token.expiry - token.created == pytest.approx(
        datetime.timedelta(days=7), abs=datetime.timedelta(seconds=5)
    )


def test_the_token_authenticates_and_records_its_last_use(board, client_for, client):
    key = create(client_for(board)).context["new_key"]
    client.logout()
    assert ApiToken.objects.get(user=board).last_used is None
    response = client.get(ME, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert ApiToken.objects.get(user=board).last_used is not None


def test_an_expired_token_is_refused(board, client):
    token, key = services.api_token_create(user=board, name="gammal")
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(1))
    assert client.get(ME, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_a_user_has_several_tokens_and_revokes_one(board, client_for, client):
    page = client_for(board)
    first = create(page, "Första").context["new_key"]
    second = create(page, "Andra").context["new_key"]
    listed = page.get(URL).context["tokens"]
    assert [t.name for t in listed] == ["Andra", "Första"]
    revoke = page.post(URL, {"action": "revoke", "token": listed[1].digest})
    assert revoke.status_code == 302
    assert "API-nyckeln är återkallad" in page.get(URL).content.decode()
    page.logout()
    assert client.get(ME, HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    assert client.get(ME, HTTP_AUTHORIZATION=f"Token {second}").status_code == 200


def test_revoke_all(board, client_for):
    client = client_for(board)
    create(client, "a")
    create(client, "b")
    assert client.post(URL, {"action": "revoke_all"}).status_code == 302
    assert not ApiToken.objects.filter(user=board).exists()


def test_a_token_needs_a_name(board, client_for):
    response = create(client_for(board), "  ")
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_an_unknown_action_is_refused(board, client_for):
    response = client_for(board).post(URL, {"action": "steal"})
    assert response.status_code == 400
    assert "Okänd åtgärd" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_users_only_touch_their_own_tokens(world, board, client_for):
    other, _key = services.api_token_create(user=world.registrar, name="annans")
    client = client_for(board)
    client.post(URL, {"action": "revoke", "token": other.digest})
    client.post(URL, {"action": "revoke_all"})
    assert ApiToken.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("role", ["operator", "secretariat", "registrar", "b_registrar"])
def test_every_role_may_have_a_token_after_two_factors(world, client_for, role):
    user = getattr(world, role) if role.startswith("b_") else world.user(role)
    if not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, generate_totp_secret())
    assert create(client_for(user)).status_code == 200
    assert ApiToken.objects.filter(user=user).exists()


def test_a_new_password_revokes_every_token_and_ends_other_sessions(board, client_for, client):
    from django.test import Client

    other_session = Client()
    other_session.force_login(board)
    _token, key = services.api_token_create(user=board, name="skript")
    page = client_for(board)
    new = "Ny-lång-fras-2026"
    response = page.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=board).exists()
    assert page.get(URL).status_code == 200  # this session goes on
    assert other_session.get(URL)["Location"].startswith(reverse("account_login"))
    page.logout()
    assert client.get(ME, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_a_hash_upgrade_at_login_is_not_a_password_change(board):
    services.api_token_create(user=board, name="skript")
    board.set_password(PASSWORD)
    board._password = None  # what check_password's hash upgrade does before saving
    board.save(update_fields=["password"])
    assert ApiToken.objects.filter(user=board).exists()


def test_anonymous_users_are_sent_to_login(db, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
