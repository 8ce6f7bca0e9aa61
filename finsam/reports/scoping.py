"""Which reporting periods and initiative reports a user sees: the reports app owns the scoping
of its objects (what a role may do with them is `finsam.core.policy`)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from finsam.core.access import Access
from finsam.core.roles import Role
from finsam.reports.models import InitiativeReport, ReportingPeriod, ReportStatus

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
    if access.association is None:
        return InitiativeReport.objects.none()
    qs = InitiativeReport.objects.filter(period__association=access.association)
    if access.has(Role.SECRETARIAT):
        return qs
    condition = Q(initiative_id__in=report_writer_initiative_ids(access))
    if access.can("report.read_approved"):
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
    if access.association is None:
        return ReportingPeriod.objects.none()
    return ReportingPeriod.objects.filter(association=access.association)
