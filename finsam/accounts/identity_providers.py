"""Login through an organisation's own identity provider (OpenID Connect or SAML 2).

Rules, independent of allauth's plumbing (which is in `finsam.accounts.social`):
- the login page offers every active provider tied to at least one association;
- a provider login is accepted only for an existing, active user holding a role in one of the
  provider's associations, or for an e-mail address with a pending invitation there (which is
  then accepted, creating the account). Nobody else gets an account; operators and superusers
  log in with password and authenticator app only;
- an assertion made with a strong method (OIDC `acr`, SAML AuthnContextClassRef) listed for the
  provider counts as the second factor of the session.
"""

from __future__ import annotations

import re

from allauth.account.internal.flows.login import record_authentication
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.accounts import services
from finsam.accounts.models import IdentityProvider, Invitation, RoleAssignment, User
from finsam.core.roles import Role

OIDC = "openid_connect"
SAML = "saml"
# Where `finsam.accounts.social.SAMLProvider` keeps the assertion's AuthnContextClassRefs in the
# social account's extra data (beside the SAML attributes, whose names are URIs or OIDs).
SAML_AUTHN_CONTEXTS_KEY = "finsam:authn_contexts"
# The type of the "mfa" authentication record made for a strong provider login.
IDP_AUTHENTICATION_TYPE = "idp"


def _words(text: str) -> set[str]:
    return {word.lower() for word in re.split(r"[\s,;]+", text or "") if word}


def login_providers() -> QuerySet[IdentityProvider]:
    """The providers offered on the login page."""
    return (
        IdentityProvider.objects.filter(is_active=True, associations__isnull=False)
        .exclude(social_app__provider_id="")  # its login URL is made of the provider id
        .select_related("social_app")
        .distinct()
        .order_by("label")
    )


def identity_provider_for(provider_id: str) -> IdentityProvider | None:
    """The provider offered on the login page whose SocialApp has `provider_id` (allauth's
    `SocialAccount.provider`)."""
    return login_providers().filter(social_app__provider_id=provider_id).first()


def asserted_methods(identity_provider: IdentityProvider, extra_data: dict) -> list[str]:
    """The authentication methods the provider asserted: the ID token's `acr` (OpenID Connect;
    the ID token only, since it is the signed statement of the authentication) or the
    assertion's AuthnContextClassRefs (SAML)."""
    extra_data = extra_data or {}
    if identity_provider.social_app.provider == OIDC:
        acr = (extra_data.get("id_token") or {}).get("acr")
        return [acr] if isinstance(acr, str) and acr else []
    if identity_provider.social_app.provider == SAML:
        contexts = extra_data.get(SAML_AUTHN_CONTEXTS_KEY) or []
        return [context for context in contexts if isinstance(context, str)]
    return []


def strong_method(identity_provider: IdentityProvider, extra_data: dict) -> str | None:
    """The first asserted method that the provider's configuration counts as second factor."""
    strong = _words(identity_provider.strong_methods)
    return next(
        (m for m in asserted_methods(identity_provider, extra_data) if m.lower() in strong), None
    )


def record_strong_authentication(
    request, *, user: User, identity_provider: IdentityProvider, extra_data: dict
) -> bool:
    """Record the provider's strong method as the session's second factor (an "mfa"
    authentication record, which is what the second-factor check reads). Returns whether it
    was strong."""
    method = strong_method(identity_provider, extra_data)
    if method is None:
        return False
    record_authentication(
        request,
        user,
        method="mfa",
        type=IDP_AUTHENTICATION_TYPE,
        provider=identity_provider.social_app.provider_id,
        authn_context=method,
    )
    return True


def _refusal(message: str) -> ValidationError:
    return ValidationError(message, code="refused")


@transaction.atomic
def provider_login_user(
    *,
    identity_provider: IdentityProvider,
    email: str,
    email_verified: bool | None = None,
    first_name: str = "",
    last_name: str = "",
    linked_user: User | None = None,
) -> tuple[User, list[Invitation]]:
    """The user a provider login with the asserted `email` logs in as, and the invitations
    accepted on the way. `linked_user` is the user the provider's account was linked to at an
    earlier login. Raises `ValidationError` (Swedish message) and saves nothing when refused.
    """
    email = (email or "").strip().lower()
    if not email:
        raise _refusal(
            _(
                "Inloggningstjänsten lämnade ingen e-postadress, så vi vet inte vem du är. "
                "Logga in med e-post och lösenord, eller kontakta förbundets kansli."
            )
        )
    if email_verified is False:
        raise _refusal(
            _(
                "Inloggningstjänsten har inte bekräftat din e-postadress. Logga in med e-post "
                "och lösenord, eller kontakta din organisations it-stöd."
            )
        )
    domains = _words(identity_provider.email_domains)
    if domains and email.rpartition("@")[2] not in domains:
        raise _refusal(
            _("Inloggningstjänsten %(label)s får inte användas för din e-postadress.")
            % {"label": identity_provider.label}
        )

    user = User.objects.filter(email__iexact=email).first()
    if linked_user is not None and (user is None or user.pk != linked_user.pk):
        raise _refusal(
            _(
                "Ditt konto hos inloggningstjänsten är kopplat till en annan användare i "
                "finsam. Kontakta förbundets kansli."
            )
        )
    if user is not None and not user.is_active:
        raise _refusal(_("Kontot är avstängt. Kontakta förbundets kansli."))
    if user is not None and (
        user.is_superuser or user.role_assignments.filter(role=Role.OPERATOR).exists()
    ):
        raise _refusal(
            _("Systemförvaltare loggar in med e-post, lösenord och kod från autentiseringsappen.")
        )

    associations = identity_provider.associations.all()
    invitations = list(
        Invitation.objects.filter(
            association__in=associations,
            email__iexact=email,
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("association")
        .order_by("created_at")
    )
    has_role = (
        user is not None
        and RoleAssignment.objects.filter(user=user, association__in=associations).exists()
    )
    if not has_role and not invitations:
        raise _refusal(
            _(
                "Det finns inget konto och ingen inbjudan för din e-postadress i något förbund "
                "som använder %(label)s. Konton skapas genom en inbjudan från förbundets kansli."
            )
            % {"label": identity_provider.label}
        )

    if user is None:
        user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
        user.set_unusable_password()  # logs in through the provider (or sets one by reset)
        user.full_clean()
        user.save()
    accepted, errors = [], []
    for invitation in invitations:
        try:
            services.invitation_accept(invitation=invitation, user=user)
        except ValidationError as exc:  # e.g. rule R12: the others are still accepted
            errors.extend(exc.messages)
        else:
            accepted.append(invitation)
    if not has_role and not accepted:
        raise _refusal(" ".join(errors))
    return user, accepted
