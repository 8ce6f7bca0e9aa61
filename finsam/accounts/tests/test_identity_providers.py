"""Login through an organisation's identity provider, against a local OpenID Connect provider
(oidc-provider-mock on loopback, started by these tests): who may log in, and when the
provider's login counts as the second factor."""

from urllib.parse import urlsplit

import pytest
import requests
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.urls import reverse
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import run_server_in_thread

from finsam.accounts import services
from finsam.accounts.models import (
    IdentityProvider,
    InitiativeAssignment,
    Invitation,
    RoleAssignment,
    User,
)
from finsam.accounts.tests.test_two_factor import current_code
from finsam.conftest import make_user, pass_second_factor
from finsam.core.access import SESSION_KEY
from finsam.core.roles import Role
from finsam.staff.access import build_access

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
PROVIDER_ID = "region-test"
LOGIN_URL = f"/accounts/oidc/{PROVIDER_ID}/login/"


def _claims(email, acr=LOA3, **extra):
    return ProviderUser(
        sub=f"sub-{email}",
        claims={"email": email, "given_name": "Greta", "family_name": "Ek", "acr": acr, **extra},
    )


# Each identity the provider knows: a subject per e-mail (and strength).
PROVIDER_USERS = [
    _claims("registrator@example.se"),
    _claims("styrelse@example.se", acr=LOA2),
    _claims("ingen@example.se"),
    _claims("okand@example.se"),
    _claims("kansli-b@example.se"),
    _claims("operator@example.se"),
    _claims("ny@example.se"),
    _claims("ny-svag@example.se", acr=LOA2),
    _claims("overifierad@example.se", email_verified=False),
    ProviderUser(sub="svag-registrator", claims={"email": "registrator@example.se", "acr": LOA2}),
    ProviderUser(sub="utan-epost", claims={"acr": LOA3}),
]


@pytest.fixture(scope="module")
def provider_server():
    with run_server_in_thread(user_claims=PROVIDER_USERS) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def identity_provider(world, provider_server):
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=PROVIDER_ID,
        name="Region Test",
        client_id="finsam",
        secret="hemlig",
        settings={"server_url": provider_server, "auth_params": {"acr_values": LOA3}},
    )
    idp = IdentityProvider.objects.create(social_app=app, label="Region Test (SITHS)")
    idp.associations.set([world.a])
    return idp


def provider_login(client, sub, *, next_url=None):
    """Click the provider's button, log in as `sub` at the provider, follow it back to finsam.
    Returns finsam's response to the callback."""
    response = client.post(LOGIN_URL + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.content
    authorize_url = response["Location"]
    at_provider = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    callback = urlsplit(at_provider.headers["Location"])
    assert callback.path == f"/accounts/oidc/{PROVIDER_ID}/login/callback/"
    return client.get(f"{callback.path}?{callback.query}")


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def mfa_records(client):
    records = client.session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    return [record for record in records if record["method"] == "mfa"]


def refusal(response):
    assert response.status_code == 403
    return response.content.decode()


# --- The login page --------------------------------------------------------------------------


def test_the_login_page_offers_the_active_providers_only(client, identity_provider):
    inactive = IdentityProvider.objects.create(
        social_app=SocialApp.objects.create(
            provider="openid_connect", provider_id="avstangd", name="Avstängd", client_id="x"
        ),
        label="Avstängd kommun",
        is_active=False,
    )
    inactive.associations.set(identity_provider.associations.all())
    content = client.get(reverse("account_login")).content.decode()
    assert "Logga in med Region Test (SITHS)" in content
    assert f'action="{LOGIN_URL}?process=login"' in content
    assert "Avstängd kommun" not in content
    # Its login URL does not answer either.
    assert client.post("/accounts/oidc/avstangd/login/").status_code == 404


def test_a_provider_without_provider_id_is_not_offered(client, world, identity_provider):
    """Its login URL cannot be made: the login page must still work for everyone else."""
    unfinished = IdentityProvider.objects.create(
        social_app=SocialApp.objects.create(provider="openid_connect", name="Ny", client_id="y"),
        label="Halvfärdig region",
    )
    unfinished.associations.set([world.a])
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert "Halvfärdig region" not in response.content.decode()
    assert "Region Test (SITHS)" in response.content.decode()


def test_the_login_page_has_no_provider_buttons_when_none_is_configured(client, db):
    content = client.get(reverse("account_login")).content.decode()
    assert "data-identity-providers" not in content


# --- Second factor ---------------------------------------------------------------------------


def test_a_strong_login_counts_as_the_second_factor(client, world, identity_provider):
    response = provider_login(client, "sub-registrator@example.se")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_user_id(client) == str(world.registrar.pk)
    assert mfa_records(client) == [
        {
            "method": "mfa",
            "at": mfa_records(client)[0]["at"],
            "type": "idp",
            "provider": PROVIDER_ID,
            "authn_context": LOA3,
        }
    ]
    assert client.get(reverse("home"), follow=True).status_code == 200
    # The provider's account is linked to the user, and used again at the next login.
    account = SocialAccount.objects.get(provider=PROVIDER_ID)
    assert account.user == world.registrar
    client.logout()
    provider_login(client, "sub-registrator@example.se")
    assert logged_in_user_id(client) == str(world.registrar.pk)
    assert SocialAccount.objects.count() == 1


def test_a_weak_login_is_followed_by_the_authenticator_code(client, world, identity_provider):
    response = provider_login(client, "svag-registrator")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert logged_in_user_id(client) is None
    assert mfa_records(client) == []

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(world.registrar)})
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(world.registrar.pk)
    assert [record["type"] for record in mfa_records(client)] == ["totp"]


def test_a_weak_login_of_a_user_without_authenticator_has_no_second_factor(
    client, world, identity_provider
):
    response = provider_login(client, "sub-styrelse@example.se")
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(world.board.pk)
    assert mfa_records(client) == []


def test_an_acr_that_is_not_configured_as_strong_is_weak(client, world, identity_provider):
    identity_provider.strong_methods = "http://id.elegnamnden.se/loa/1.0/loa4"
    identity_provider.save()
    response = provider_login(client, "sub-registrator@example.se")
    assert response["Location"] == reverse("mfa_authenticate")
    assert logged_in_user_id(client) is None


# --- Who may log in --------------------------------------------------------------------------


def test_an_unknown_address_is_refused(client, world, identity_provider):
    content = refusal(provider_login(client, "sub-okand@example.se"))
    assert "Det finns inget konto och ingen inbjudan för din e-postadress" in content
    assert logged_in_user_id(client) is None
    assert not User.objects.filter(email="okand@example.se").exists()
    assert not SocialAccount.objects.exists()


def test_a_user_without_a_role_in_the_providers_associations_is_refused(
    client, world, identity_provider
):
    for sub in ("sub-ingen@example.se", "sub-kansli-b@example.se"):
        content = refusal(provider_login(client, sub))
        assert "Region Test (SITHS)" in content
        assert logged_in_user_id(client) is None


def test_an_operator_logs_in_with_password_and_authenticator_only(client, world, identity_provider):
    RoleAssignment.objects.create(user=world.operator, association=world.a, role=Role.BOARD)
    content = refusal(provider_login(client, "sub-operator@example.se"))
    assert "Systemförvaltare loggar in med e-post, lösenord" in content
    assert logged_in_user_id(client) is None


def test_an_inactive_user_is_refused(client, world, identity_provider):
    world.board.is_active = False
    world.board.save()
    assert "Kontot är avstängt" in refusal(provider_login(client, "sub-styrelse@example.se"))


def test_an_address_outside_the_providers_domains_is_refused(client, world, identity_provider):
    identity_provider.email_domains = "skane.se, region-test.se"
    identity_provider.save()
    content = refusal(provider_login(client, "sub-registrator@example.se"))
    assert "får inte användas för din e-postadress" in content
    identity_provider.email_domains = "example.se"
    identity_provider.save()
    provider_login(client, "sub-registrator@example.se")
    assert logged_in_user_id(client) == str(world.registrar.pk)


def test_an_address_the_provider_has_not_verified_is_refused(client, world, identity_provider):
    make_user(world.a, Role.BOARD, email="overifierad@example.se")
    content = refusal(provider_login(client, "sub-overifierad@example.se"))
    assert "har inte bekräftat din e-postadress" in content


def test_a_login_without_an_address_is_refused(client, world, identity_provider):
    content = refusal(provider_login(client, "utan-epost"))
    assert "lämnade ingen e-postadress" in content
    assert logged_in_user_id(client) is None


def test_an_account_linked_to_another_user_is_refused(client, world, identity_provider):
    provider_login(client, "sub-registrator@example.se")
    client.logout()
    # The registrar's subject at the provider now asserts the board member's address.
    SocialAccount.objects.filter(provider=PROVIDER_ID).update(uid="sub-styrelse@example.se")
    content = refusal(provider_login(client, "sub-styrelse@example.se"))
    assert "kopplat till en annan användare" in content
    assert logged_in_user_id(client) is None


# --- Invitations -----------------------------------------------------------------------------


def _invite(world, email, role, initiatives=(), *, association=None, by=None):
    association = association or world.a
    return services.invitation_create(
        access=build_access(by or world.secretariat, association.pk),
        email=email,
        role=role,
        initiatives=initiatives,
    )


def test_a_pending_invitation_is_accepted_at_the_first_provider_login(
    client, world, identity_provider
):
    invitation = _invite(world, "ny@example.se", Role.REGISTRAR, [world.a_initiative])
    response = provider_login(client, "sub-ny@example.se")
    assert response.status_code == 302
    user = User.objects.get(email="ny@example.se")
    assert logged_in_user_id(client) == str(user.pk)
    assert (user.first_name, user.last_name) == ("Greta", "Ek")
    assert not user.has_usable_password()
    assert RoleAssignment.objects.filter(
        user=user, association=world.a, role=Role.REGISTRAR
    ).exists()
    assert InitiativeAssignment.objects.filter(
        user=user, initiative=world.a_initiative, role=Role.REGISTRAR
    ).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.session[SESSION_KEY] == world.a.pk
    assert [record["type"] for record in mfa_records(client)] == ["idp"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Välkommen! Du har nu rollen deltagaransvarig i Samordningsförbundet A." in messages


def test_an_invitation_of_another_association_is_not_accepted(client, world, identity_provider):
    _invite(world, "ny@example.se", Role.BOARD, association=world.b, by=world.b_secretariat)
    refusal(provider_login(client, "sub-ny@example.se"))
    assert not User.objects.filter(email="ny@example.se").exists()
    assert Invitation.objects.get(email="ny@example.se").accepted_at is None


def test_an_invitation_refused_by_rule_r12_leaves_the_others_accepted(
    client, world, identity_provider
):
    registrar = _invite(world, "ny@example.se", Role.REGISTRAR, [world.a_initiative])
    # A conflicting invitation (made before the rule existed): the secretariat's role.
    secretariat = Invitation.objects.create(
        association=world.a,
        email="ny@example.se",
        role=Role.SECRETARIAT,
        token="gammal",
        expires_at=registrar.expires_at,
    )
    provider_login(client, "sub-ny@example.se")
    user = User.objects.get(email="ny@example.se")
    assert logged_in_user_id(client) == str(user.pk)
    assert set(user.role_assignments.values_list("role", flat=True)) == {Role.REGISTRAR}
    secretariat.refresh_from_db()
    assert secretariat.accepted_at is None


def test_an_invited_person_without_authenticator_and_weak_login_has_no_second_factor(
    client, world, identity_provider
):
    _invite(world, "ny-svag@example.se", Role.BOARD)
    provider_login(client, "sub-ny-svag@example.se")
    user = User.objects.get(email="ny-svag@example.se")
    assert logged_in_user_id(client) == str(user.pk)
    assert mfa_records(client) == []


def test_an_existing_user_also_gets_a_pending_invitation(client, world, identity_provider):
    _invite(world, world.board.email, Role.ANALYST)
    provider_login(client, "sub-styrelse@example.se")
    assert RoleAssignment.objects.filter(
        user=world.board, association=world.a, role=Role.ANALYST
    ).exists()


def test_the_login_returns_to_the_page_asked_for(client, world, identity_provider):
    response = client.get(reverse("account_login") + "?next=/audit/")
    assert f'action="{LOGIN_URL}?process=login&amp;next=%2Faudit%2F"' in response.content.decode()
    response = provider_login(client, "sub-registrator@example.se", next_url="/audit/")
    assert response["Location"] == "/audit/"


def test_the_operator_sets_a_provider_up_in_the_admin(client, world, identity_provider):
    """The operator role (no superuser flag) may set providers up, as the demo operator does."""
    assert not world.operator.is_superuser
    client.force_login(world.operator)
    pass_second_factor(client, world.operator)
    response = client.get(
        reverse("admin:socialaccount_socialapp_change", args=[identity_provider.social_app.pk])
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Region Test (SITHS)" in content
    assert "loa/1.0/loa3" in content
