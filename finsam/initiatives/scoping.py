"""Which initiatives a user sees and acts on: the initiatives app owns the scoping of its objects.

Every view and API endpoint starts its initiative querysets here. Objects outside the user's
scope answer 404, so nobody can probe for another association's records (what a role may do
with what it sees is the policy table, `finsam.core.policy`).
"""

from __future__ import annotations

from django.http import Http404

from finsam.core.access import Access
from finsam.core.roles import ASSOCIATION_WIDE_ROLES, Role
from finsam.initiatives.models import Initiative


def visible_initiatives(access: Access):
    """Initiatives the user may read: the whole association for association-wide roles and the
    operator, otherwise those assigned."""
    if access.association is None:
        return Initiative.objects.none()
    qs = Initiative.objects.filter(association=access.association)
    if access.is_operator or access.has(*ASSOCIATION_WIDE_ROLES):
        return qs
    ids = set()
    for role in (Role.INITIATIVE_MANAGER, Role.REGISTRAR, Role.APPLICANT):
        ids |= access.assigned_to(role)
    return qs.filter(pk__in=ids)


def editable_initiatives(access: Access):
    """Initiatives whose description the user may change."""
    qs = visible_initiatives(access)
    if access.has(Role.SECRETARIAT):
        return qs
    return qs.filter(pk__in=access.assigned_to(Role.INITIATIVE_MANAGER))


def registrar_initiatives(access: Access):
    """Initiatives whose participants the user registers (and whose identities they see)."""
    return visible_initiatives(access).filter(pk__in=access.assigned_to(Role.REGISTRAR))


def follow_up_initiatives(access: Access):
    """Initiatives whose pseudonymous enrolment lists the user may read."""
    qs = visible_initiatives(access)
    if access.has(Role.SECRETARIAT):
        return qs
    ids = access.assigned_to(Role.INITIATIVE_MANAGER) | access.assigned_to(Role.REGISTRAR)
    return qs.filter(pk__in=ids)


def get_initiative(access: Access, pk, *, scope=visible_initiatives):
    try:
        return scope(access).get(pk=pk)
    except (ValueError, scope(access).model.DoesNotExist) as exc:
        raise Http404 from exc


def can_see_identity(access: Access, initiative_id) -> bool:
    """R-PD1: only a registrar assigned to the participant's initiative sees identities."""
    return access.can("identity.read", initiative=initiative_id)
