"""Reads for accounts: the users of an association, invitations, who may invite whom."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from finsam.accounts.models import ApiToken, InitiativeAssignment, Invitation, RoleAssignment, User
from finsam.core.roles import Role


def invitable_roles(access) -> list[Role]:
    """Roles the current user may invite to (and remove from) the current association.

    The secretariat manages every role of its association; the operator only its secretariat
    (to start up a new association).
    """
    if access.association is None:
        return []
    if access.has(Role.SECRETARIAT):
        return [role for role in Role if role != Role.OPERATOR]
    if access.is_operator:
        return [Role.SECRETARIAT]
    return []


def association_users(association) -> QuerySet[User]:
    """Users holding a role in `association`, with their roles and initiative assignments there
    (`association_roles`, `association_assignments`) and `has_totp`. Three queries in all."""
    return (
        User.objects.filter(
            pk__in=RoleAssignment.objects.filter(association=association).values("user_id")
        )
        .annotate(
            has_totp=Exists(
                Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
            )
        )
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(association=association).order_by("role"),
                to_attr="association_roles",
            ),
            Prefetch(
                "initiative_assignments",
                queryset=InitiativeAssignment.objects.filter(initiative__association=association)
                .select_related("initiative")
                .order_by("initiative__name", "role"),
                to_attr="association_assignments",
            ),
        )
        .order_by("last_name", "first_name", "email")
    )


def association_user(association, user_id) -> User | None:
    return association_users(association).filter(pk=user_id).first()


def pending_invitations(association) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        association=association, accepted_at__isnull=True, expires_at__gt=timezone.now()
    )


def pending_invitation_list(association) -> QuerySet[Invitation]:
    return (
        pending_invitations(association)
        .select_related("invited_by")
        .prefetch_related("initiatives")
        .order_by("-created_at")
    )


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return (
        Invitation.objects.select_related("association", "invited_by")
        .prefetch_related("initiatives")
        .filter(token=token)
        .first()
    )


def api_tokens(user) -> QuerySet[ApiToken]:
    """`user`'s API tokens that have not expired, newest first."""
    return ApiToken.objects.filter(user=user).filter(
        Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    )
