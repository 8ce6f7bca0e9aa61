"""Writes for accounts: invitations, accepting them, removing roles, API tokens.

Every function takes keyword-only arguments, validates with Swedish messages, runs in a
transaction and saves nothing when it raises `ValidationError`.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.accounts import selectors
from finsam.accounts.models import (
    ApiToken,
    InitiativeAssignment,
    Invitation,
    RoleAssignment,
    User,
)
from finsam.audit.services import record_change
from finsam.core.roles import INITIATIVE_SCOPED_ROLES, Role

INVITATION_VALIDITY = datetime.timedelta(days=7)

# Rule R12: these pairs of roles may not be held by one person in the same association
# (the secretariat must not see personal data through a registrar role).
CONFLICTING_ROLES = {
    Role.REGISTRAR: Role.SECRETARIAT,
    Role.SECRETARIAT: Role.REGISTRAR,
}


def _role_label(role) -> str:
    return str(Role(role).label).lower()


def _conflict_error(role) -> ValidationError:
    return ValidationError(
        {
            "role": _(
                "En deltagaransvarig kan inte samtidigt ha rollen förbundschef/kansli i "
                "samma förbund. Personen har redan rollen %(other)s här."
            )
            % {"other": _role_label(CONFLICTING_ROLES[Role(role)])}
        }
    )


def _check_role_conflict(*, user: User | None, association, role) -> None:
    """R12: refuse a role that conflicts with one the user already holds in the association."""
    other = CONFLICTING_ROLES.get(Role(role))
    if user is None or other is None:
        return
    if RoleAssignment.objects.filter(user=user, association=association, role=other).exists():
        raise _conflict_error(role)


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Ange en giltig e-postadress.")}) from exc
    return email


# --- Invitations -----------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, access, email: str, role: str, initiatives: Iterable = ()) -> Invitation:
    """Invite `email` to `role` in the current association (and, for initiative-scoped roles,
    to one or more of its initiatives). Replaces an earlier pending invitation to the same role.
    """
    access.require("user.manage")
    association = access.association
    if association is None:
        raise PermissionDenied
    email = _normalise_email(email)
    if role not in selectors.invitable_roles(access):
        raise ValidationError({"role": _("Du kan inte bjuda in till den rollen.")})
    role = Role(role)
    initiatives = list(initiatives)
    if any(initiative.association_id != association.pk for initiative in initiatives):
        raise ValidationError({"initiatives": _("Insatsen hör inte till förbundet.")})
    if role in INITIATIVE_SCOPED_ROLES and not initiatives:
        raise ValidationError(
            {
                "initiatives": _("Välj minst en insats för rollen %(role)s.")
                % {"role": _role_label(role)}
            }
        )
    if role not in INITIATIVE_SCOPED_ROLES and initiatives:
        raise ValidationError(
            {
                "initiatives": _(
                    "Insatser väljs bara för insatsansvarig, deltagaransvarig och sökande."
                )
            }
        )

    existing = User.objects.filter(email__iexact=email).first()
    _check_role_conflict(user=existing, association=association, role=role)
    conflicting = CONFLICTING_ROLES.get(role)
    if (
        conflicting
        and selectors.pending_invitations(association)
        .filter(email=email, role=conflicting)
        .exists()
    ):
        raise ValidationError(
            {
                "role": _(
                    "En deltagaransvarig kan inte samtidigt ha rollen förbundschef/kansli i "
                    "samma förbund. Det finns redan en väntande inbjudan som "
                    "%(other)s till samma adress."
                )
                % {"other": _role_label(conflicting)}
            }
        )
    if existing is not None:
        holds_role = RoleAssignment.objects.filter(
            user=existing, association=association, role=role
        ).exists()
        if holds_role and role not in INITIATIVE_SCOPED_ROLES:
            raise ValidationError(
                {
                    "email": _("%(email)s har redan rollen %(role)s i förbundet.")
                    % {"email": email, "role": _role_label(role)}
                }
            )
        if holds_role:
            assigned = set(
                InitiativeAssignment.objects.filter(user=existing, role=role).values_list(
                    "initiative_id", flat=True
                )
            )
            if {initiative.pk for initiative in initiatives} <= assigned:
                raise ValidationError(
                    {
                        "initiatives": _(
                            "%(email)s har redan rollen %(role)s för de valda insatserna."
                        )
                        % {"email": email, "role": _role_label(role)}
                    }
                )

    now = timezone.now()
    # A new invitation replaces the pending one to the same address and role.
    selectors.pending_invitations(association).filter(email=email, role=role).update(expires_at=now)
    invitation = Invitation(
        association=association,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=access.user,
        expires_at=now + INVITATION_VALIDITY,
    )
    invitation.full_clean()
    invitation.save()
    invitation.initiatives.set(initiatives)
    # The invited address is not recorded: the role and initiatives say what was offered.
    record_change(
        access=access,
        obj=invitation,
        action="user.invite",
        changes={
            "role": [None, str(role)],
            "initiatives": [None, sorted(initiative.pk for initiative in initiatives)],
        },
        label=_role_label(role),
    )
    return invitation


def invitation_send(*, invitation: Invitation, accept_url: str) -> None:
    """E-mail the invitation link (in Swedish). Raises if the mail cannot be sent, so that the
    request's transaction rolls the invitation back."""
    context = {
        "invitation": invitation,
        "association": invitation.association,
        "role": Role(invitation.role).label,
        "initiatives": list(invitation.initiatives.order_by("name")),
        "inviter": invitation.invited_by,
        "accept_url": accept_url,
        "expires_at": invitation.expires_at,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def invitation_check(invitation: Invitation | None) -> None:
    """Raise a clear Swedish error when the invitation cannot be accepted (any more)."""
    if invitation is None:
        raise ValidationError(
            _("Inbjudan finns inte. Kontrollera att du har kopierat hela länken."),
            code="invalid",
        )
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("Inbjudan har redan använts. Logga in med ditt konto."), code="used"
        )
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("Inbjudan har gått ut. Be förbundets kansli om en ny inbjudan."), code="expired"
        )


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> User:
    """Accept an invitation: as the logged-in `user` whose e-mail it is addressed to, or by
    creating a new account with name and password. The role and its initiative assignments are
    created together."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("association")
        .filter(pk=invitation.pk)
        .first()
    )
    invitation_check(invitation)
    association = invitation.association

    if user is not None:
        if user.email.lower() != invitation.email.lower():
            raise ValidationError(
                _(
                    "Inbjudan gäller en annan e-postadress. Logga ut och öppna länken igen, "
                    "eller logga in med rätt konto."
                )
            )
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("Det finns redan ett konto med den e-postadressen. Logga in för att fortsätta.")
            )
        errors = {}
        if not first_name.strip():
            errors["first_name"] = _("Ange ditt förnamn.")
        if not last_name.strip():
            errors["last_name"] = _("Ange ditt efternamn.")
        user = User(
            email=invitation.email, first_name=first_name.strip(), last_name=last_name.strip()
        )
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors["password1"] = exc.messages
        if errors:
            raise ValidationError(errors)
        user.set_password(password)
        user.full_clean()
        user.save()

    _check_role_conflict(user=user, association=association, role=invitation.role)
    RoleAssignment.objects.get_or_create(user=user, association=association, role=invitation.role)
    if invitation.role in INITIATIVE_SCOPED_ROLES:
        for initiative in invitation.initiatives.filter(association=association):
            InitiativeAssignment.objects.get_or_create(
                user=user, initiative=initiative, role=invitation.role
            )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return user


@transaction.atomic
def invitation_cancel(*, access, invitation: Invitation) -> None:
    """Withdraw a pending invitation (its link stops working at once)."""
    access.require("user.manage")
    if invitation.association_id != access.association_id:
        raise PermissionDenied
    invitation_check(invitation)
    if invitation.role not in selectors.invitable_roles(access):
        raise PermissionDenied
    invitation.expires_at = timezone.now()
    invitation.save(update_fields=["expires_at", "updated_at"])
    record_change(
        access=access,
        obj=invitation,
        action="user.invitation_cancel",
        changes={"role": [invitation.role, None]},
        label=_role_label(invitation.role),
    )


# --- Roles -----------------------------------------------------------------------------------


@transaction.atomic
def role_remove(*, access, user: User, role: str) -> None:
    """Remove `user`'s `role` in the current association with its initiative assignments there.

    Roles in other associations are never touched. The secretariat cannot remove its own last
    secretariat role (the association would be left without anyone managing its users).
    """
    access.require("user.manage")
    association = access.association
    if association is None or role not in selectors.invitable_roles(access):
        raise PermissionDenied
    assignment = (
        RoleAssignment.objects.select_for_update()
        .filter(user=user, association=association, role=role)
        .first()
    )
    if assignment is None:
        raise ValidationError(_("Användaren har inte den rollen i förbundet."))
    if role == Role.SECRETARIAT and user.pk == access.user.pk:
        others = (
            RoleAssignment.objects.filter(association=association, role=Role.SECRETARIAT)
            .exclude(user=user)
            .exists()
        )
        if not others:
            raise ValidationError(
                _(
                    "Du kan inte ta bort din egen roll som förbundschef/kansli när du är den "
                    "enda i förbundet. Bjud först in någon annan till rollen."
                )
            )
    InitiativeAssignment.objects.filter(
        user=user, role=role, initiative__association=association
    ).delete()
    record_change(
        access=access,
        obj=assignment,
        action="user.role_remove",
        changes={"user": [user.pk, None], "role": [role, None]},
        label=_role_label(role),
    )
    assignment.delete()


# --- API tokens ------------------------------------------------------------------------------


API_TOKEN_NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a named API token for `user`; returns it and its key, which is not stored (only
    its hash is) and so can be shown this once. It expires after `API_TOKEN_DAYS`.

    The caller must have checked that the session passed two factors
    (`finsam.accounts.two_factor.session_passed_second_factor`)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            {"name": _("Ge nyckeln ett namn, till exempel systemet som använder den.")}
        )
    if len(name) > API_TOKEN_NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("Namnet får vara högst %(n)d tecken.") % {"n": API_TOKEN_NAME_MAX_LENGTH}}
        )
    return ApiToken.objects.create(user=user, name=name)


@transaction.atomic
def api_token_revoke(*, user: User, digest: str) -> bool:
    """Revoke one of `user`'s API tokens. Returns whether there was one (other users' tokens are
    never touched)."""
    deleted, _rows = ApiToken.objects.filter(user=user, digest=digest).delete()
    return bool(deleted)


@transaction.atomic
def api_token_revoke_all(*, user: User) -> int:
    """Revoke all of `user`'s API tokens. Returns how many there were."""
    deleted, _rows = ApiToken.objects.filter(user=user).delete()
    return deleted
