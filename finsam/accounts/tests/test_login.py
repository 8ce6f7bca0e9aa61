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
    assert ">E-postadress<" in content
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


THROTTLED = "För många misslyckade inloggningsförsök"


def fail(client, email, times=1, **extra):
    for _ in range(times):
        response = client.post(LOGIN, {"login": email, "password": "fel-lösenord"}, **extra)
        assert response.status_code == 200


def test_an_account_is_locked_after_five_failures_from_any_address(world, client):
    for n in range(5):
        fail(client, world.board.email, REMOTE_ADDR=f"192.0.2.{n}")
    response = client.post(LOGIN, {"login": world.board.email, "password": PASSWORD})
    assert THROTTLED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_accounts_mistakes_never_lock_another_account_out(world, client):
    """The old limit of five failures per address locked everybody behind one address out."""
    fail(client, world.board.email, times=40)
    response = client.post(LOGIN, {"login": world.analyst.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.analyst.pk)


def test_guessing_across_many_accounts_from_one_address_is_throttled(world, client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "5/15m/key,8/15m/ip"}
    for user in (world.board, world.analyst, world.manager, world.applicant):
        fail(client, user.email, times=2)
    response = client.post(LOGIN, {"login": world.secretariat.email, "password": PASSWORD})
    assert THROTTLED in response.content.decode()


def test_behind_a_trusted_proxy_the_client_address_counts(world, client, settings):
    """Every request comes from the proxy's address; the client's is in X-Forwarded-For."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "5/15m/key,8/15m/ip"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for user in (world.board, world.analyst, world.manager, world.applicant):
        fail(client, user.email, times=2, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    attacker = client.post(
        LOGIN,
        {"login": world.secretariat.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert THROTTLED in attacker.content.decode()
    colleague = client.post(
        LOGIN,
        {"login": world.secretariat.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.8",
        **proxy,
    )
    assert colleague.status_code == 302


def test_the_counts_are_kept_in_the_shared_database_cache(world, client):
    """Every process reads and writes the same table (the old counts lived in each process)."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.db import connection

    assert isinstance(caches["default"], DatabaseCache)
    fail(client, world.board.email, times=5)
    # A cache object of its own, as another process has, sees the counts.
    other_process = DatabaseCache(caches["default"]._table, {})
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {caches['default']._table}")  # noqa: S608
        keys = [row[0] for row in cursor.fetchall()]
    counters = [key.split(":", 2)[2] for key in keys if ":allauth:rl:" in f":{key}"]
    assert any(len(other_process.get(key, [])) == 5 for key in counters)
    response = client.post(LOGIN, {"login": world.board.email, "password": PASSWORD})
    assert THROTTLED in response.content.decode()


def test_the_admin_login_checks_no_password(world, client):
    """Only the one throttled login checks passwords: the admin's form is gone."""
    for _ in range(20):
        response = client.post(
            "/admin/login/", {"username": world.board.email, "password": "fel-lösenord"}
        )
        assert response.status_code == 302
    assert client.post(LOGIN, {"login": world.board.email, "password": PASSWORD}).status_code == 302


# --- Equal work for right, wrong and unknown -------------------------------------------------


@pytest.fixture
def hasher_calls(settings):
    settings.PASSWORD_HASHERS = ["finsam.accounts.tests.hashers.CountingMD5PasswordHasher"]
    from finsam.accounts.tests.hashers import CountingMD5PasswordHasher

    CountingMD5PasswordHasher.calls = 0
    return CountingMD5PasswordHasher


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("styrelse@example.se", PASSWORD),  # right
        ("STYRELSE@example.se", PASSWORD),  # right, other case
        ("styrelse@example.se", "fel-lösenord"),  # wrong
        ("okand@example.se", "fel-lösenord"),  # unknown
    ],
)
def test_every_login_attempt_hashes_the_password_exactly_once(
    world, client, hasher_calls, email, password
):
    """The same password-hashing work whatever the answer, so timing tells nothing (the two
    password backends hashed a wrong password twice and a right one once)."""
    client.post(LOGIN, {"login": email, "password": password})
    assert hasher_calls.calls == 1


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


def test_address_fields_are_labelled_e_postadress():
    from finsam.accounts.forms import InvitationForm
    from finsam.audit.filters import AccessEventFilter

    assert str(InvitationForm.base_fields["email"].label) == "E-postadress"
    widget = AccessEventFilter.base_filters["actor"].extra["widget"]
    assert str(widget.attrs["placeholder"]) == "E-postadress"
