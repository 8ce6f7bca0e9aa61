from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

from finsam.core.roles import PERSONAL_DATA_ROLES, Role


def needs_two_factor(user) -> bool:
    """Users holding a role that sees personal data must log in with two factors."""
    return user.role_assignments.filter(role__in=list(PERSONAL_DATA_ROLES)).exists()


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    """Send a registrar without an activated authenticator app to set one up first.

    allauth asks for the TOTP code at every login once an authenticator exists, so
    activation is the only step to enforce here.
    """

    allowed_prefixes = ("/accounts/", "/static/", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and Role.REGISTRAR in request.access.roles
            and not has_two_factor(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
