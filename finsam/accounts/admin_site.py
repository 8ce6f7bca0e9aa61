"""The admin: reached only through the one login (allauth, throttled, two factors), and open
only to operators whose session passed two factors."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from finsam.accounts.two_factor import second_factor_url, session_passed_second_factor


class AdminSite(admin.AdminSite):
    site_header = _("finsam – administration")
    site_title = _("finsam")

    def has_permission(self, request):
        user = request.user
        return (
            user.is_active and request.access.is_operator and session_passed_second_factor(request)
        )

    @login_not_required
    def login(self, request, extra_context=None):
        """No login form of its own: the site's login, then the second factor."""
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index")
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
        if not (user.is_active and request.access.is_operator):
            raise PermissionDenied
        if not session_passed_second_factor(request):
            return redirect(second_factor_url(user, next_url))
        return redirect(next_url)
