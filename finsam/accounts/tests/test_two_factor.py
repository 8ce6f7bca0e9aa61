"""Two-factor login: registrars (roles that see personal data) must use an authenticator app."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.urls import URLResolver, get_resolver, reverse

from finsam.conftest import PASSWORD, make_user
from finsam.core.roles import Role

LOGIN = "/accounts/login/"


def current_code(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def code_for_secret(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(client, user):
    return client.post(LOGIN, {"login": user.email, "password": PASSWORD})


@pytest.fixture
def registrar_without_totp(world):
    user = make_user(world.a, Role.REGISTRAR, [world.a_initiative], "ny-registrator@example.se")
    Authenticator.objects.filter(user=user).delete()
    return user


def _static_paths(patterns=None, prefix=""):
    """Every URL of the project without path parameters (the pages a user can just open)."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        route = str(pattern.pattern)
        if "<" in route or "(?P" in route or route.startswith("^"):
            continue
        if isinstance(pattern, URLResolver):
            yield from _static_paths(pattern.url_patterns, prefix + route)
        else:
            yield "/" + prefix + route


EXEMPT = ("/accounts/", "/static/", "/i18n/", "/health/")
PAGES = sorted({path for path in _static_paths() if not path.startswith(EXEMPT)})


def test_the_walk_covers_the_pages_of_every_app():
    for path in ("/", "/users/", "/account/api-token/", "/audit/", "/admin/"):
        assert path in PAGES


@pytest.mark.parametrize("path", PAGES)
def test_it_sends_a_registrar_without_authenticator_to_activation(
    world, registrar_without_totp, client_for, path
):
    client = client_for(registrar_without_totp)
    response = client.get(path)
    if path.startswith("/api/"):
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("path", ["/api/v1/initiatives/", "/api/v1/me/"])
def test_the_api_refuses_a_session_without_second_factor(
    world, registrar_without_totp, client_for, path
):
    assert client_for(registrar_without_totp).get(path).status_code == 403


def test_it_lets_the_registrar_reach_the_activation_page_and_logout(
    world, registrar_without_totp, client
):
    response = log_in(client, registrar_without_totp)
    assert response.status_code == 302
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Aktivera autentiseringsapp" in content
    assert "data:image/svg+xml;base64," in content  # the QR code
    assert "deltagaransvarig" in content


def test_it_activates_totp_and_then_lets_the_registrar_in(world, registrar_without_totp, client):
    log_in(client, registrar_without_totp)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000x"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=registrar_without_totp).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": code_for_secret(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=registrar_without_totp, type=Authenticator.Type.TOTP
    ).exists()
    # Recovery codes were generated and are shown once, styled and in Swedish.
    codes = client.get(response["Location"])
    assert "Återställningskoder" in codes.content.decode()
    assert client.get("/")["Location"] == reverse("participants:registrar_home")


def test_a_registrar_with_authenticator_needs_the_code_after_the_password(world, client):
    response = log_in(client, world.registrar)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not logged in yet: the home page still sends to the login page.
    assert client.get("/")["Location"].startswith(reverse("account_login"))

    page = client.get(reverse("mfa_authenticate"))
    assert "Ange kod från din autentiseringsapp" in page.content.decode()

    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert "Felaktig kod" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(world.registrar)})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(world.registrar.pk)
    assert client.get("/")["Location"] == reverse("participants:registrar_home")


@pytest.mark.parametrize(
    "role", ["secretariat", "initiative_manager", "board", "applicant", "analyst", "operator"]
)
def test_other_roles_are_not_forced(world, client, role):
    user = world.user(role)
    response = log_in(client, user)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get("/")
    assert home.status_code in (200, 302)
    assert home.get("Location") != reverse("mfa_activate_totp")


def test_a_registrar_cannot_deactivate_the_authenticator(world, client_for):
    client = client_for(world.registrar)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response["Location"] == reverse("mfa_index")
    assert Authenticator.objects.filter(user=world.registrar).exists()
    page = client.get(reverse("mfa_index"))
    assert "kan inte stänga av" in page.content.decode()


def test_other_roles_may_activate_and_deactivate(world, client):
    user = world.secretariat
    log_in(client, user)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": code_for_secret(secret)})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    index = client.get(reverse("mfa_index"))
    assert "Aktiv" in index.content.decode()
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
