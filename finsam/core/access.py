"""The one place that decides what a user may see and do.

Every view and API endpoint starts its querysets here. The current association is resolved once
per request (`AccessMiddleware`); objects outside the user's scope answer 404, so nobody can probe
for another association's records, and actions outside the user's role answer 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from finsam.core.roles import ASSOCIATION_WIDE_ROLES, Role

SESSION_KEY = "association_id"


@dataclass(frozen=True)
class Access:
    user: object
    association: object | None = None
    roles: frozenset = frozenset()
    is_operator: bool = False
    # Initiative ids per initiative-scoped role in the current association.
    assigned: dict = field(default_factory=dict)
    available_associations: tuple = ()

    def has(self, *roles) -> bool:
        return bool(self.roles.intersection(roles))

    def assigned_to(self, role) -> frozenset:
        return self.assigned.get(role, frozenset())

    @property
    def association_id(self):
        return self.association.pk if self.association else None

    @property
    def primary_role(self):
        for role in Role:
            if role in self.roles:
                return role
        return None


ANONYMOUS = Access(user=None)


def build_access(user, association_id=None) -> Access:
    """Resolve the user's roles in the wanted (or first available) association."""
    from finsam.accounts.models import InitiativeAssignment, RoleAssignment
    from finsam.associations.models import Association

    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    assignments = list(RoleAssignment.objects.filter(user=user).select_related("association"))
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


# --- Initiatives ---------------------------------------------------------------------------


def visible_initiatives(access: Access):
    """Initiatives the user may read: the whole association for association-wide roles and the
    operator, otherwise those assigned."""
    from finsam.initiatives.models import Initiative

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
    return initiative_id in access.assigned_to(Role.REGISTRAR)


# --- Enrolments -----------------------------------------------------------------------------


def visible_enrolments(access: Access):
    from finsam.participants.models import Enrolment

    return Enrolment.objects.filter(initiative__in=follow_up_initiatives(access))


def get_enrolment(access: Access, enrolment_uuid, *, registrar=False):
    from finsam.participants.models import Enrolment

    scope = registrar_initiatives if registrar else follow_up_initiatives
    try:
        return (
            Enrolment.objects.select_related("initiative", "participant", "consent")
            .filter(initiative__in=scope(access))
            .get(uuid=enrolment_uuid)
        )
    except (ValueError, Enrolment.DoesNotExist) as exc:
        raise Http404 from exc


# --- Decorators -----------------------------------------------------------------------------


def require_role(*roles):
    """Let the view run only for users holding one of `roles` in the current association."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            access = request.access
            if not (access.has(*roles) or (Role.OPERATOR in roles and access.is_operator)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_enrolment_without_identity(access: Access, enrolment_uuid):
    """`get_enrolment` in the follow-up scope for pages that show pseudonyms only: the
    encrypted identity fields (personal identity number, name) are not even loaded."""
    from django.core.exceptions import ValidationError

    from finsam.participants.models import Enrolment

    try:
        return (
            Enrolment.objects.select_related("initiative", "participant")
            .defer("participant__personal_number", "participant__name")
            .filter(initiative__in=follow_up_initiatives(access))
            .get(uuid=enrolment_uuid)
        )
    except (ValueError, Enrolment.DoesNotExist, ValidationError) as exc:
        raise Http404 from exc


# --- Initiative reports (finsam/reports) -----------------------------------------------------

# Roles that write the reports of the initiatives they are assigned to.
REPORT_WRITER_ROLES = (Role.INITIATIVE_MANAGER, Role.APPLICANT)
# Roles that read the approved reports of their association.
REPORT_READER_ROLES = (Role.BOARD, Role.ANALYST)


def report_writer_initiative_ids(access: Access) -> frozenset:
    """Initiatives whose reports the user writes as initiative manager or applicant."""
    ids = frozenset()
    for role in REPORT_WRITER_ROLES:
        if access.has(role):
            ids |= access.assigned_to(role)
    return ids


def visible_reports(access: Access):
    """Initiative reports the user may read: every report of the association for the
    secretariat, the reports of their own initiatives for writers, and approved reports for the
    board, analysts and the operator. Registrars have none."""
    from django.db.models import Q

    from finsam.reports.models import InitiativeReport, ReportStatus

    if access.association is None:
        return InitiativeReport.objects.none()
    qs = InitiativeReport.objects.filter(period__association=access.association)
    if access.has(Role.SECRETARIAT):
        return qs
    condition = Q(initiative_id__in=report_writer_initiative_ids(access))
    if access.is_operator or access.has(*REPORT_READER_ROLES):
        condition |= Q(status=ReportStatus.APPROVED)
    return qs.filter(condition)


def writable_reports(access: Access):
    """Reports whose text the user may write (while the report is a draft or returned)."""
    qs = visible_reports(access)
    if access.has(Role.SECRETARIAT):
        return qs
    return qs.filter(initiative_id__in=report_writer_initiative_ids(access))


def get_report(access: Access, pk, *, scope=visible_reports):
    try:
        return (
            scope(access)
            .select_related("period", "initiative", "municipality", "parent")
            .get(pk=pk)
        )
    except (ValueError, scope(access).model.DoesNotExist) as exc:
        raise Http404 from exc


def reporting_periods(access: Access):
    """The current association's reporting periods."""
    from finsam.reports.models import ReportingPeriod

    if access.association is None:
        return ReportingPeriod.objects.none()
    return ReportingPeriod.objects.filter(association=access.association)


# --- Statistics -----------------------------------------------------------------------------


def can_see_association_statistics(access: Access) -> bool:
    """Association, region and national statistics: association-wide roles and the operator
    (initiative managers, registrars and applicants see their own initiatives' statistics)."""
    return access.association is not None and (
        access.is_operator or access.has(*ASSOCIATION_WIDE_ROLES)
    )
