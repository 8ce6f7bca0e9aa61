"""Every allauth page a user can reach renders inside the finsam layout, in Swedish."""

import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from finsam.accounts.adapters import LOGIN_AT_SESSION_KEY

ENGLISH = [
    "Sign In",
    "Sign Out",
    "Change Password",
    "Two-Factor Authentication",
    "Authenticator App",
    "Recovery Codes",
]


def assert_finsam_page(response):
    assert response.status_code == 200
    content = response.content.decode()
    assert "bootstrap" in content and "navbar" in content
    for word in ENGLISH:
        assert word not in content, word


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_reset_password", "account_reset_password_done", "account_signup"],
)
def test_anonymous_pages(db, client, name):
    assert_finsam_page(client.get(reverse(name)))


@pytest.mark.parametrize(
    "name",
    [
        "account_logout",
        "account_change_password",
        "account_email",
        "account_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_generate_recovery_codes",
    ],
)
def test_pages_of_a_logged_in_user(world, client_for, name):
    assert_finsam_page(client_for(world.board).get(reverse(name)))


@pytest.mark.parametrize(
    "name",
    [
        "mfa_index",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_reauthenticate",
    ],
)
def test_pages_of_a_user_with_two_factor(world, client_for, name):
    RecoveryCodes.activate(world.manager)
    TOTP.activate(world.manager, generate_totp_secret())
    assert_finsam_page(client_for(world.manager).get(reverse(name)))


def test_recovery_codes_are_shown_and_downloadable(world, client_for):
    codes = RecoveryCodes.activate(world.registrar)
    client = client_for(world.registrar)
    page = client.get(reverse("mfa_view_recovery_codes"))
    content = page.content.decode()
    for code in codes.get_unused_codes():
        assert code in content
    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download.status_code == 200
    assert codes.get_unused_codes()[0] in download.content.decode()


def test_an_old_login_must_confirm_the_password_before_activating(world, client_for):
    client = client_for(world.board)
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = time.time() - 3600
    session.save()
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    page = client.get(response["Location"])
    assert_finsam_page(page)
    assert "Bekräfta att det är du" in page.content.decode()
