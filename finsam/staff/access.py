"""Building the user's `Access` (`finsam.core.access`) from their role assignments, and the
middleware that does it once per request.

Accounts owns the assignments and this app, above the associations and initiatives it lists,
builds the access from them; `core` only defines the value and the policy table, and each app
scopes its own objects.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.functional import SimpleLazyObject

from finsam.accounts.models import ApplicantOrganisation, InitiativeAssignment, RoleAssignment
from finsam.associations.models import Association
from finsam.core.access import ANONYMOUS, SESSION_KEY, Access
from finsam.core.roles import Role


def build_access(user, association_id=None) -> Access:
    """Resolve the user's roles in the wanted (or first available) association.

    A user with no role anywhere who belongs to an applicant organisation acts as that
    organisation (`Access.applicant`; the wanted association picks among several)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    assignments = list(RoleAssignment.objects.filter(user=user).select_related("association"))
    if not assignments:
        organisation = _applicant_organisation(user, association_id)
        if organisation is not None:
            return Access.applicant(user, organisation)
    is_operator = any(a.role == Role.OPERATOR for a in assignments)
    if is_operator:
        associations = tuple(Association.objects.order_by("name"))
    else:
        seen = {a.association.pk: a.association for a in assignments if a.association}
        associations = tuple(sorted(seen.values(), key=lambda a: a.name))
    current = next((a for a in associations if a.pk == association_id), None)
    if current is None and associations:
        current = associations[0]
    roles = {a.role for a in assignments if current and a.association_id == current.pk}
    if is_operator:
        roles.add(Role.OPERATOR)
    assigned: dict = {}
    if current is not None:
        rows = InitiativeAssignment.objects.filter(
            user=user, initiative__association=current, role__in=list(roles)
        ).values_list("role", "initiative_id")
        for role, initiative_id in rows:
            assigned.setdefault(role, set()).add(initiative_id)
    return Access(
        user=user,
        association=current,
        roles=frozenset(roles),
        is_operator=is_operator,
        assigned={role: frozenset(ids) for role, ids in assigned.items()},
        available_associations=associations,
    )


def _applicant_organisation(user, association_id):
    organisations = list(
        ApplicantOrganisation.objects.filter(members=user)
        .select_related("association")
        .order_by("association__name", "name")
    )
    wanted = [o for o in organisations if o.association_id == association_id]
    return (wanted or organisations or [None])[0]


# Where a principal without staff roles (a user of an applicant organisation) may go: the start
# page, the account pages, the applications (scoped to its own), the API (which refuses it in
# `finsam.api.access`), the decision letters and agreements of its applications (scoped in
# `finsam.board.scoping.decisions_for`) and the plumbing.
PRINCIPAL_PATHS = (
    "/accounts/",
    "/api/",
    "/static/",
    "/i18n/",
    "/health/",
    "/applications/",
    "/board/decisions/",
    "/q/",
    "/katalog/",
)


class AccessMiddleware:
    """Resolve the user's current association and roles once, as `request.access`; refuse
    every page to the principals that have no pages yet (403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = SimpleLazyObject(
            lambda: build_access(request.user, request.session.get(SESSION_KEY))
        )
        if (
            request.path != "/"
            and not request.path.startswith(PRINCIPAL_PATHS)
            and request.user.is_authenticated
            and not request.access.is_staff_user
        ):
            raise PermissionDenied
        return self.get_response(request)
