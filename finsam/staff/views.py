"""Account pages: the users of an association, invitations, removing roles, the API token (the
URL namespace is still `accounts`; the users, roles and invitations live in `finsam.accounts`).

Thin views: the form parses, the service acts, the view renders. Objects outside the current
association answer 404; actions outside the user's role answer 403.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finsam.accounts import selectors, services
from finsam.accounts.forms import ApiTokenForm, InvitationAcceptForm, InvitationForm
from finsam.accounts.models import User
from finsam.accounts.two_factor import second_factor_url, session_passed_second_factor
from finsam.core.access import SESSION_KEY, require
from finsam.core.roles import INITIATIVE_SCOPED_ROLES, Role
from finsam.initiatives.scoping import visible_initiatives


def _role_rows(user) -> list[dict]:
    """The user's roles in the association, each with the initiatives it is assigned to."""
    by_role: dict = {}
    for assignment in user.association_assignments:
        by_role.setdefault(assignment.role, []).append(assignment.initiative)
    return [
        {
            "role": assignment.role,
            "label": Role(assignment.role).label,
            "initiatives": by_role.get(assignment.role, []),
        }
        for assignment in user.association_roles
    ]


# --- Users of the association ----------------------------------------------------------------


@require_GET
@require("user.manage")
def user_list(request):
    access = request.access
    if access.association is None:
        raise Http404
    users = list(selectors.association_users(access.association))
    rows = [{"user": user, "roles": _role_rows(user)} for user in users]
    return render(
        request,
        "accounts/user_list.html",
        {
            "rows": rows,
            "invitations": selectors.pending_invitation_list(access.association),
            "removable_roles": {str(role) for role in selectors.invitable_roles(access)},
        },
    )


@require_http_methods(["GET", "POST"])
@require("user.manage")
def invite(request):
    access = request.access
    if access.association is None:
        raise Http404
    roles = selectors.invitable_roles(access)
    form = InvitationForm(
        request.POST or None,
        roles=roles,
        initiatives=visible_initiatives(access).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                access=access,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                initiatives=form.cleaned_data["initiatives"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            accept_url = request.build_absolute_uri(
                reverse("accounts:invitation_accept", args=[invitation.token])
            )
            services.invitation_send(invitation=invitation, accept_url=accept_url)
            messages.success(
                request,
                _("En inbjudan har skickats till %(email)s. Den gäller i sju dagar.")
                % {"email": invitation.email},
            )
            return redirect("accounts:users")
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "scoped_roles": sorted(str(r) for r in INITIATIVE_SCOPED_ROLES)},
    )


@require_POST
@require("user.manage")
def invitation_cancel(request, pk):
    access = request.access
    invitation = selectors.pending_invitations(access.association).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    services.invitation_cancel(access=access, invitation=invitation)
    messages.success(
        request, _("Inbjudan till %(email)s är återkallad.") % {"email": invitation.email}
    )
    return redirect("accounts:users")


@require_http_methods(["GET", "POST"])
@require("user.manage")
def role_remove(request, user_id, role):
    access = request.access
    user = selectors.association_user(access.association, user_id)
    rows = _role_rows(user) if user else []
    row = next((r for r in rows if r["role"] == role), None)
    if row is None:
        raise Http404
    if role not in selectors.invitable_roles(access):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        try:
            services.role_remove(access=access, user=user, role=role)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(user)s har inte längre rollen %(role)s i förbundet.")
                % {"user": user.get_full_name() or user.email, "role": str(row["label"]).lower()},
            )
            return redirect("accounts:users")
    return render(
        request,
        "accounts/role_remove.html",
        {"target": user, "row": row, "error": error},
        status=400 if error else 200,
    )


# --- Accepting an invitation -----------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = selectors.invitation_by_token(token)
    try:
        services.invitation_check(invitation)
    except ValidationError as exc:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"message": exc.messages[0]},
            status=404 if invitation is None else 410,
        )

    user = request.user if request.user.is_authenticated else None
    wrong_user = user is not None and user.email.lower() != invitation.email.lower()
    account_exists = user is None and User.objects.filter(email__iexact=invitation.email).exists()
    form = InvitationAcceptForm(request.POST or None) if user is None else None
    error = None
    may_accept = request.method == "POST" and not wrong_user and not account_exists
    if may_accept and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            accepted = services.invitation_accept(
                invitation=invitation,
                user=user,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                password=data.get("password1", ""),
            )
        except ValidationError as exc:
            if form is not None:
                form.add_error(None, exc)
            else:
                error = " ".join(exc.messages)
        else:
            if user is None:
                # A personal-data role is then sent on to activate an authenticator app
                # before any page (`RequireTwoFactorMiddleware`).
                login(request, accepted, backend=settings.AUTHENTICATION_BACKENDS[0])
            request.session[SESSION_KEY] = invitation.association_id
            messages.success(
                request,
                invitation.welcome_text(),
            )
            return redirect("home")
    login_url = (
        reverse("account_login")
        + "?next="
        + reverse("accounts:invitation_accept", args=[invitation.token])
    )
    return render(
        request,
        "accounts/invitation_accept.html",
        {
            "invitation": invitation,
            "role_label": Role(invitation.role).label,
            "form": form,
            "account_exists": account_exists,
            "wrong_user": wrong_user,
            "error": error,
            "login_url": login_url,
        },
        status=400 if (error or (form is not None and form.errors)) else 200,
    )


# --- API tokens ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def api_token(request):
    """The user's API tokens: create one (named, shown once), see them, revoke one or all.
    Creating one needs a session that passed two factors."""
    user = request.user
    passed = session_passed_second_factor(request)
    new_key = None
    form = ApiTokenForm(request.POST if request.POST.get("action") == "create" else None)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            if not passed:
                error = _("Bekräfta med tvåstegsinloggning innan du skapar en API-nyckel.")
            elif form.is_valid():
                try:
                    _token, new_key = services.api_token_create(
                        user=user, name=form.cleaned_data["name"]
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    form = ApiTokenForm()
        elif action == "revoke":
            if services.api_token_revoke(user=user, digest=request.POST.get("token", "")):
                messages.success(request, _("API-nyckeln är återkallad."))
            return redirect("accounts:api_token")
        elif action == "revoke_all":
            if services.api_token_revoke_all(user=user):
                messages.success(request, _("Alla dina API-nycklar är återkallade."))
            return redirect("accounts:api_token")
        else:
            error = _("Okänd åtgärd.")
    return render(
        request,
        "accounts/api_token.html",
        {
            "form": form,
            "tokens": selectors.api_tokens(user),
            "new_key": new_key,
            "error": error,
            "second_factor_url": None
            if passed
            else second_factor_url(user, reverse("accounts:api_token")),
            "token_days": settings.REST_KNOX["TOKEN_TTL"].days,
            "api_base": request.build_absolute_uri("/api/v1/"),
            "openapi_url": request.build_absolute_uri("/api/openapi.json"),
        },
        status=400 if (error or form.errors) else 200,
    )
