"""Login, logout, password pages and throttling of failed logins."""

import pytest
from django.core import mail
from django.urls import reverse

from finsam.conftest import PASSWORD

LOGIN = "/accounts/login/"


def test_the_login_page_presents_finsam_in_swedish(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    content = response.content.decode()
    assert "finsam" in content
    assert "samordningsförbund" in content
    assert "Logga in" in content
    assert "E-post" in content
    assert "Glömt lösenordet?" in content
    assert "btn btn-primary" in content  # styled like the rest of finsam
    assert "Sign In" not in content


def test_a_user_logs_in_with_email_and_password(world, client):
    response = client.post(LOGIN, {"login": world.board.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(world.board.pk)


def test_a_wrong_password_gives_a_swedish_error(world, client):
    response = client.post(LOGIN, {"login": world.board.email, "password": "fel"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "alert-danger" in response.content.decode()


def test_it_throttles_failed_logins_per_address(world, client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "100/5m/ip,5/15m/key"}
    for _ in range(5):
        response = client.post(LOGIN, {"login": world.board.email, "password": "fel-lösenord"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"login": world.board.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    response = client.post(LOGIN, {"login": world.analyst.email, "password": PASSWORD})
    assert response.status_code == 302


def test_it_throttles_failed_logins_per_ip_with_the_project_settings(world, client):
    for _ in range(5):
        client.post(LOGIN, {"login": world.board.email, "password": "fel-lösenord"})
    response = client.post(LOGIN, {"login": world.board.email, "password": PASSWORD})
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


def test_the_throttle_is_cleared_between_tests(world, client):
    """Runs after the throttling tests: the cache fixture gave this test a clean slate."""
    response = client.post(LOGIN, {"login": world.board.email, "password": PASSWORD})
    assert response.status_code == 302


def test_logout_asks_and_logs_out(world, client_for):
    client = client_for(world.board)
    page = client.get(reverse("account_logout"))
    assert "Vill du logga ut" in page.content.decode()
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


NEW_PASSWORD = "Ny-lång-fras-2026"


def test_password_change_in_swedish_and_validated(world, client):
    client.post(LOGIN, {"login": world.board.email, "password": PASSWORD})
    page = client.get(reverse("account_change_password"))
    assert page.status_code == 200
    assert "Byt lösenord" in page.content.decode()
    bad = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "kort", "password2": "kort"},
    )
    assert bad.status_code == 200
    assert "is-invalid" in bad.content.decode()
    world.board.refresh_from_db()
    assert world.board.check_password(PASSWORD)
    good = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert good.status_code == 302
    world.board.refresh_from_db()
    assert world.board.check_password("Ny-lång-fras-2026")


def test_password_reset_sends_a_swedish_email_and_sets_a_new_password(world, client):
    page = client.get(reverse("account_reset_password"))
    assert "Återställ lösenord" in page.content.decode()
    response = client.post(reverse("account_reset_password"), {"email": world.board.email})
    assert response.status_code == 302
    assert "Kolla din e-post" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Återställ ditt lösenord" in message.subject
    link = next(line for line in message.body.splitlines() if "/password/reset/key/" in line)
    path = link.split("testserver", 1)[1].strip()
    form = client.get(path, follow=True)
    assert "Välj nytt lösenord" in form.content.decode()
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": "Ny-lång-fras-2026", "password2": "Ny-lång-fras-2026"},
    )
    assert response.status_code == 302
    world.board.refresh_from_db()
    assert world.board.check_password("Ny-lång-fras-2026")


def test_password_reset_for_an_unknown_address_invites_no_sign_up(db, client):
    client.post(reverse("account_reset_password"), {"email": "okand@example.se"})
    assert len(mail.outbox) == 1
    assert "kansli" in mail.outbox[0].body
    assert "signup" not in mail.outbox[0].body


def test_a_bad_reset_link_says_so(db, client):
    response = client.get("/accounts/password/reset/key/1-fel/", follow=True)
    assert "Länken fungerar inte" in response.content.decode()


def test_sign_up_is_closed(db, client):
    response = client.get(reverse("account_signup"))
    assert "Ingen egen registrering" in response.content.decode()


@pytest.mark.parametrize("name", ["mfa_index", "account_change_password"])
def test_account_pages_use_the_finsam_layout(world, client_for, name):
    response = client_for(world.secretariat).get(reverse(name))
    content = response.content.decode()
    assert response.status_code == 200
    assert "navbar" in content
    assert "Tvåstegsinloggning" in content
