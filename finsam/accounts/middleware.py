from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from finsam.core.roles import PERSONAL_DATA_ROLES


def needs_two_factor(user) -> bool:
    """Users holding a role that sees personal data (in any association) must use two factors."""
    return user.role_assignments.filter(role__in=list(PERSONAL_DATA_ROLES)).exists()


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    """Send a user holding a personal-data role without an authenticator app to set one up first.

    allauth asks for the TOTP code at every login once an authenticator exists, so activation
    is the only step to enforce here. Pages check the roles of the current association (already
    resolved on `request.access`): personal data is only reachable in an association where the
    user is a registrar, so it is always behind the second factor. Session requests to the API
    check every association, since the API picks its association per request. Such users may
    not deactivate their authenticator either. Token clients never reach this check (DRF
    authenticates them later); tokens are only issued to users who have activated TOTP.
    """

    allowed_prefixes = ("/accounts/", "/static/", "/i18n/", "/health/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or request.path.startswith("/static/"):
            return self.get_response(request)
        if request.path == reverse("mfa_deactivate_totp") and needs_two_factor(user):
            messages.error(
                request,
                _(
                    "Du har en roll som ser personuppgifter och kan inte stänga av "
                    "tvåstegsinloggning."
                ),
            )
            return redirect("mfa_index")
        if (
            not request.path.startswith(self.allowed_prefixes)
            and self._requires(request)
            and not has_two_factor(user)
        ):
            if request.path.startswith("/api/"):
                # A browser session of a registrar without second factor gets no API access;
                # token clients are authenticated later by DRF and never reach this branch.
                message = _("Tvåstegsinloggning måste aktiveras först.")
                return JsonResponse({"errors": {"__all__": [message]}}, status=403)
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _requires(request) -> bool:
        if request.path.startswith("/api/"):
            # The API picks its association per request (`?association=`), so the session's
            # current association says nothing: any personal-data role counts.
            return needs_two_factor(request.user)
        return bool(request.access.roles & PERSONAL_DATA_ROLES)
