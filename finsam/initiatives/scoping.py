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


def _narrowed(access: Access, ids: frozenset | None):
    qs = visible_initiatives(access)
    return qs if ids is None else qs.filter(pk__in=ids)


# Each scope below is the visible initiatives narrowed to a set of ids read off the access (None:
# all of them). The same sets answer `in_scope` without a query: one rule for both.


def _editable_ids(access: Access) -> frozenset | None:
    return None if access.has(Role.SECRETARIAT) else access.assigned_to(Role.INITIATIVE_MANAGER)


def editable_initiatives(access: Access):
    """Initiatives whose description the user may change."""
    return _narrowed(access, _editable_ids(access))


def _registrar_ids(access: Access) -> frozenset | None:
    return access.assigned_to(Role.REGISTRAR)


def registrar_initiatives(access: Access):
    """Initiatives whose participants the user registers (and whose identities they see)."""
    return _narrowed(access, _registrar_ids(access))


def _follow_up_ids(access: Access) -> frozenset | None:
    if access.has(Role.SECRETARIAT):
        return None
    return access.assigned_to(Role.INITIATIVE_MANAGER) | access.assigned_to(Role.REGISTRAR)


def follow_up_initiatives(access: Access):
    """Initiatives whose pseudonymous enrolment lists the user may read."""
    return _narrowed(access, _follow_up_ids(access))


_SCOPE_IDS = {
    visible_initiatives: lambda access: None,
    editable_initiatives: _editable_ids,
    registrar_initiatives: _registrar_ids,
    follow_up_initiatives: _follow_up_ids,
}


def in_scope(access: Access, initiative_pk, scope) -> bool:
    """Whether an initiative the user sees is in `scope`: no query for the scopes above (an API
    request has read the initiative already), other scopes are asked of the database."""
    ids_of = _SCOPE_IDS.get(scope)
    if ids_of is None:
        return scope(access).filter(pk=initiative_pk).exists()
    ids = ids_of(access)
    return ids is None or initiative_pk in ids


def get_initiative(access: Access, pk, *, scope=visible_initiatives):
    try:
        return scope(access).get(pk=pk)
    except (ValueError, scope(access).model.DoesNotExist) as exc:
        raise Http404 from exc


def can_see_identity(access: Access, initiative_id) -> bool:
    """R-PD1: only a registrar assigned to the participant's initiative sees identities."""
    return access.can("identity.read", initiative=initiative_id)
