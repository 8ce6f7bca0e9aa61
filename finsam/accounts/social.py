"""allauth glue for login through an identity provider; the rules are in `identity_providers`."""

from __future__ import annotations

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa import stages as mfa_stages
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.openid_connect.provider import _pick_data
from allauth.socialaccount.providers.saml import provider as saml
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from finsam.accounts import identity_providers
from finsam.core.access import SESSION_KEY

REFUSED_TEMPLATE = "socialaccount/login_refused.html"


def _refusal(request, message: str, identity_provider=None) -> ImmediateHttpResponse:
    """The page telling why a provider login was refused (raised to stop allauth's flow)."""
    context = {"message": message, "identity_provider": identity_provider}
    return ImmediateHttpResponse(render(request, REFUSED_TEMPLATE, context, status=403))


def _email_verified(identity_provider, sociallogin) -> bool | None:
    """What the provider said of the address: None when it said nothing (SAML, or an OpenID
    Connect provider without the `email_verified` claim: an organisation's own directory)."""
    if identity_provider.social_app.provider != identity_providers.OIDC:
        return None
    verified = _pick_data(sociallogin.account.extra_data or {}).get("email_verified")
    return verified if isinstance(verified, bool) else None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Provider logins for known users and pending invitations only; never a sign-up."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def list_apps(self, request, provider=None, client_id=None):
        """Only apps set up as an active identity provider can be used (others answer 404)."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        active = set(identity_providers.login_providers().values_list("social_app_id", flat=True))
        return [app for app in apps if app.pk in active]

    def pre_social_login(self, request, sociallogin):
        identity_provider = identity_providers.identity_provider_for(sociallogin.account.provider)
        if identity_provider is None:
            raise _refusal(request, _("Inloggningstjänsten är inte aktiverad."))
        if sociallogin.state.get("process", AuthProcess.LOGIN) != AuthProcess.LOGIN:
            raise _refusal(
                request,
                _("Kontot kopplas när du loggar in med inloggningstjänsten."),
                identity_provider,
            )
        email = next(
            (address.email for address in sociallogin.email_addresses if address.primary), ""
        )
        try:
            user, accepted = identity_providers.provider_login_user(
                identity_provider=identity_provider,
                email=email,
                email_verified=_email_verified(identity_provider, sociallogin),
                first_name=getattr(sociallogin.user, "first_name", ""),
                last_name=getattr(sociallogin.user, "last_name", ""),
                linked_user=sociallogin.user if sociallogin.is_existing else None,
            )
        except ValidationError as exc:
            raise _refusal(request, " ".join(exc.messages), identity_provider) from exc
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)
        for invitation in accepted:
            messages.success(
                request,
                invitation.welcome_text(),
            )
        if accepted:
            request.session[SESSION_KEY] = accepted[-1].association_id


class AuthenticateStage(mfa_stages.AuthenticateStage):
    """allauth's second-factor stage, which also runs after a provider login; a provider that
    asserted a strong method counts as the second factor, so the code is not asked then."""

    def _should_handle(self, request) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if sociallogin is not None and self.login.user is not None:
            identity_provider = identity_providers.identity_provider_for(
                sociallogin.account.provider
            )
            if identity_provider is not None and identity_providers.record_strong_authentication(
                request,
                user=self.login.user,
                identity_provider=identity_provider,
                extra_data=sociallogin.account.extra_data,
            ):
                return False
        return super()._should_handle(request)


class SAMLProvider(saml.SAMLProvider):
    """allauth's SAML provider, keeping the assertion's AuthnContextClassRefs beside the
    attributes (allauth keeps only the attributes)."""

    package = saml.SAMLProvider.get_package()  # its URLs are allauth's SAML URLs

    def extract_extra_data(self, data):
        return {
            **super().extract_extra_data(data),
            identity_providers.SAML_AUTHN_CONTEXTS_KEY: list(data.get_last_authn_contexts()),
        }
