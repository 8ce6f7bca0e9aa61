"""Two-factor login: whether this session passed a second factor, and where to get one.

What counts is the session, never the account: a user with an authenticator app who got a
session some other way (say, before activating it) has not passed two factors in that session.
allauth keeps a log of the session's authentication methods; an entry with method "mfa" is
written when the user enters a TOTP or recovery code (login, reauthentication), when they prove
a code while activating the authenticator app (`finsam.accounts.signals`), and by the identity
provider login when the provider asserts a strong method.
"""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.urls import reverse

from finsam.core.roles import PERSONAL_DATA_ROLES


def session_passed_second_factor(request) -> bool:
    """True iff this session's log of authentication methods has an entry with method "mfa"."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)


def record_totp_activation(request, authenticator: Authenticator) -> None:
    """Proving a code while activating the authenticator app passes the second factor."""
    record_authentication(
        request, request.user, "mfa", type=authenticator.type, id=authenticator.pk, activated=True
    )


def needs_two_factor(user) -> bool:
    """Users holding a role that sees personal data (in any association) must use two factors."""
    return user.role_assignments.filter(role__in=list(PERSONAL_DATA_ROLES)).exists()


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def second_factor_url(user, next_url: str) -> str:
    """Where a logged-in user passes the second factor: the code from the authenticator app
    (then back to `next_url`), or activating one when the user has none yet (then on to the
    recovery codes, which must be seen first)."""
    if not has_authenticator(user):
        return reverse("mfa_activate_totp")
    return f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}"
