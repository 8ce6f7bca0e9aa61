"""Login through a SAML 2 identity provider (a signing provider made by the tests): the
assertion's AuthnContextClassRef decides whether the login counts as the second factor."""

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.urls import reverse

from finsam.accounts.identity_providers import SAML_AUTHN_CONTEXTS_KEY
from finsam.accounts.models import IdentityProvider, User
from finsam.accounts.tests.saml_idp import SamlIdentityProvider
from finsam.accounts.tests.test_identity_providers import (
    LOA2,
    LOA3,
    logged_in_user_id,
    mfa_records,
    refusal,
)

SLUG = "kommun-test"
BASE = f"/accounts/saml/{SLUG}/"
HOST = "127.0.0.1"


@pytest.fixture(scope="module")
def saml_idp():
    return SamlIdentityProvider()


@pytest.fixture
def identity_provider(world, saml_idp):
    app = SocialApp.objects.create(
        provider="saml",
        provider_id=SLUG,
        client_id=SLUG,
        name="Kommun Test",
        settings=saml_idp.app_settings(),
    )
    idp = IdentityProvider.objects.create(social_app=app, label="Kommun Test (Efos)")
    idp.associations.set([world.a])
    return idp


def saml_login(client, saml_idp, *, email, authn_context):
    # python3-saml reads the Host header itself, and wants a host name with a dot or an address.
    client.defaults["HTTP_HOST"] = HOST
    response = client.post(BASE + "login/")
    assert response.status_code == 302
    saml_response = saml_idp.response(
        in_response_to=saml_idp.request_id(response["Location"]),
        acs_url=f"http://{HOST}{BASE}acs/",
        audience=f"http://{HOST}{BASE}metadata/",
        email=email,
        authn_context=authn_context,
    )
    response = client.post(BASE + "acs/", {"SAMLResponse": saml_response})
    assert response.status_code == 302
    return client.get(response["Location"])


def test_the_login_page_offers_the_saml_provider(client, identity_provider):
    content = client.get(reverse("account_login")).content.decode()
    assert "Logga in med Kommun Test (Efos)" in content
    assert f'action="{BASE}login/?process=login"' in content


def test_a_strong_authn_context_counts_as_the_second_factor(
    client, world, saml_idp, identity_provider
):
    response = saml_login(client, saml_idp, email=world.registrar.email, authn_context=LOA3)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_user_id(client) == str(world.registrar.pk)
    assert [(r["type"], r["authn_context"]) for r in mfa_records(client)] == [("idp", LOA3)]
    account = SocialAccount.objects.get(provider=SLUG)
    assert account.user == world.registrar
    assert account.extra_data[SAML_AUTHN_CONTEXTS_KEY] == [LOA3]


def test_a_weak_authn_context_is_followed_by_the_authenticator_code(
    client, world, saml_idp, identity_provider
):
    response = saml_login(client, saml_idp, email=world.registrar.email, authn_context=LOA2)
    assert response["Location"] == reverse("mfa_authenticate")
    assert logged_in_user_id(client) is None
    assert mfa_records(client) == []


def test_an_unknown_address_is_refused(client, world, saml_idp, identity_provider):
    content = refusal(saml_login(client, saml_idp, email="okand@example.se", authn_context=LOA3))
    assert "Det finns inget konto och ingen inbjudan" in content
    assert not User.objects.filter(email="okand@example.se").exists()


def test_a_forged_response_is_rejected(client, world, identity_provider):
    response = saml_login(
        client, SamlIdentityProvider(), email=world.registrar.email, authn_context=LOA3
    )
    assert "Inloggningen misslyckades" in response.content.decode()
    assert logged_in_user_id(client) is None
