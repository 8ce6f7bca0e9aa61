from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from finsam.accounts.two_factor import (
    needs_two_factor,
    second_factor_url,
    session_passed_second_factor,
)


class RequireTwoFactorMiddleware:
    """A session of a user holding a role that sees personal data must have passed two factors.

    The session counts, not the account (`session_passed_second_factor`): such a user is sent to
    enter the code from the authenticator app, or to activate one first. The rule covers every
    page and every session request to the API, whatever association is current (a role in any
    association counts). Such users may not deactivate their authenticator either. Token clients
    never reach this check (DRF authenticates them later); a token is only created in a session
    that passed two factors. The admin has its own stricter rule (`finsam.accounts.admin_site`).
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
            and not session_passed_second_factor(request)
            and needs_two_factor(user)
        ):
            if request.path.startswith("/api/"):
                # A browser session that has not passed two factors gets no API access;
                # token clients are authenticated later by DRF and never reach this branch.
                message = _(
                    "Tvåstegsinloggning krävs: ange koden från din autentiseringsapp först."
                )
                return JsonResponse({"errors": {"__all__": [message]}}, status=403)
            return redirect(second_factor_url(user, request.get_full_path()))
        return self.get_response(request)
