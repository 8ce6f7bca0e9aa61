"""Two-factor login: registrars (roles that see personal data) must use an authenticator app."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt
from django.urls import URLResolver, get_resolver, reverse

from finsam.accounts.tests.factories import RoleAssignmentFactory
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


def test_reloading_the_activation_page_keeps_the_key(world, registrar_without_totp, client):
    log_in(client, registrar_without_totp)
    first = client.get(reverse("mfa_activate_totp")).context["form"].secret
    second = client.get(reverse("mfa_activate_totp")).context["form"].secret
    assert first == second
    assert first in client.get(reverse("mfa_activate_totp")).content.decode()
    # A wrong code keeps it too; the activation uses it and then forgets it.
    client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    response = client.post(reverse("mfa_activate_totp"), {"code": code_for_secret(first)})
    assert response.status_code == 302
    assert "mfa.totp.secret" not in client.session


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


# --- The session counts, not the account --------------------------------------------------------


def log_in_with_code(client, user):
    assert log_in(client, user)["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(user)})
    assert response.status_code == 302
    return response


def test_a_session_that_skipped_the_code_is_sent_to_enter_it(world, client):
    """The old check asked whether the user has an authenticator, not whether this session
    used it: any session that got in another way read personal data."""
    client.force_login(world.registrar)  # has TOTP; this session never entered a code
    response = client.get(reverse("participants:registrar_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert client.get("/api/v1/me/").status_code == 403
    page = client.get(response["Location"])
    assert page.status_code == 200
    entered = client.post(response["Location"], {"code": current_code(world.registrar)})
    assert entered["Location"] == reverse("participants:registrar_home")
    assert client.get(reverse("participants:registrar_home")).status_code == 200


def test_the_session_function_reads_allauths_record(world, client, rf):
    from allauth.account.internal.flows.login import record_authentication

    from finsam.accounts.two_factor import session_passed_second_factor

    request = rf.get("/")
    request.session = client.session
    request.user = world.board
    record_authentication(request, world.board, "password")
    assert not session_passed_second_factor(request)
    record_authentication(request, world.board, "mfa", type="idp")
    assert session_passed_second_factor(request)
    request.user = world.analyst  # a record of another user's session does not count
    assert not session_passed_second_factor(request)


def test_a_role_in_another_association_counts_too(world, client):
    user = make_user(world.a, Role.SECRETARIAT, email="tvaroller@example.se")
    RoleAssignmentFactory(user=user, association=world.b, role=Role.REGISTRAR)
    client.force_login(user)  # current association A, where the user sees no personal data
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")


# --- Invitation, password reset ---------------------------------------------------------------


def test_accepting_a_registrar_invitation_leads_to_activation_first(world, client):
    from finsam.accounts import services
    from finsam.staff.access import build_access

    invitation = services.invitation_create(
        access=build_access(world.secretariat, world.a.pk),
        email="ny-reg@example.se",
        role=Role.REGISTRAR,
        initiatives=[world.a_initiative],
    )
    new = "Ny-lång-fras-2026"
    response = client.post(
        reverse("accounts:invitation_accept", args=[invitation.token]),
        {"first_name": "Ny", "last_name": "Registrator", "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert client.get(reverse("participants:registrar_home"))["Location"] == reverse(
        "mfa_activate_totp"
    )
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": code_for_secret(secret)})
    # Proving a code while activating passes the second factor for this session.
    assert client.get(reverse("participants:registrar_home")).status_code == 200


def test_a_password_reset_does_not_log_in(world, client, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": world.registrar.email})
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password/reset/key/" in line)
    form = client.get(link.split("testserver", 1)[1].strip(), follow=True)
    new = "Ny-lång-fras-2026"
    client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    world.registrar.refresh_from_db()
    assert world.registrar.check_password(new)
    assert "_auth_user_id" not in client.session
    response = client.post(LOGIN, {"login": world.registrar.email, "password": new})
    assert response["Location"] == reverse("mfa_authenticate")


# --- The admin --------------------------------------------------------------------------------


@pytest.fixture
def operator(world):
    TOTP.activate(world.operator, generate_totp_secret())
    return world.operator


def test_the_admin_has_no_password_form_of_its_own(world, client):
    """The admin's own login took the password alone, unthrottled, from a staff registrar."""
    world.registrar.is_staff = True
    world.registrar.save()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
    response = client.post(
        "/admin/login/", {"username": world.registrar.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_the_admin_is_for_operators_who_passed_two_factors(world, operator, client):
    response = client.post(LOGIN, {"login": operator.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302  # not logged in before the code
    client.post(reverse("mfa_authenticate"), {"code": current_code(operator)})
    assert client.get("/admin/").status_code == 200


def test_an_operator_with_password_only_must_pass_the_second_factor(world, operator, client):
    client.force_login(operator)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa_reauthenticate"))
    Authenticator.objects.filter(user=operator).delete()
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")


def test_other_roles_never_reach_the_admin(world, client_for):
    world.secretariat.is_staff = True
    world.secretariat.save()
    TOTP.activate(world.secretariat, generate_totp_secret())
    client = client_for(world.secretariat)
    assert client.get("/admin/", follow=True).status_code == 403
    assert client_for(world.registrar).get("/admin/", follow=True).status_code == 403


def test_the_operator_maintains_code_lists_and_municipalities(world, operator, client_for):
    from finsam.reference.models import Code, CodeList, Municipality
    from finsam.reference.tests.factories import CodeFactory, MunicipalityFactory

    code = CodeFactory(code_list=CodeList.REFERRER, code="test-af", label_sv="Arbetsförmedlingen")
    municipality = MunicipalityFactory(code="1496", name="Skövde")
    client = client_for(operator)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "/admin/reference/code/" in index.content.decode()
    change = client.get(f"/admin/reference/code/{code.pk}/change/")
    assert change.status_code == 200
    data = {
        key: value
        for key, value in change.context["adminform"].form.initial.items()
        if value is not None
    }
    data.update(label_sv="Arbetsförmedlingen (AF)")
    assert client.post(f"/admin/reference/code/{code.pk}/change/", data).status_code == 302
    assert Code.objects.get(pk=code.pk).label_sv == "Arbetsförmedlingen (AF)"
    form = client.get(f"/admin/reference/municipality/{municipality.pk}/change/")
    data = {k: v for k, v in form.context["adminform"].form.initial.items() if v is not None}
    data.update(name="Skövde kommun")
    response = client.post(f"/admin/reference/municipality/{municipality.pk}/change/", data)
    assert response.status_code == 302
    assert Municipality.objects.get(pk=municipality.pk).name == "Skövde kommun"
    # Nothing beyond the code lists and municipalities.
    assert client.get("/admin/reports/reportingperiod/").status_code == 403
