"""Which applications a principal sees (docs/access.md). Every queryset of an applications page
or endpoint starts here; an application outside it answers 404.

- a user of an applicant organisation: its organisation's applications and those it was invited
  to as a co-applicant (accepted);
- the secretariat and the operator: every application of the association, drafts included;
- the preparation group (reviewer): applications in preparation or later, except those of an
  organisation the reviewer declared an interest in;
- the board: applications put to the board or later.
"""

from django.db.models import Q

from finsam.applications.models import Application, CoApplicant, Interest, Round
from finsam.applications.workflow import BEFORE_THE_BOARD_OR_LATER, IN_PREPARATION_OR_LATER
from finsam.core.policy import Principal
from finsam.core.roles import Role


def applications_for(access):
    """The applications `access` may open."""
    qs = Application.objects.select_related("round", "organisation", "association")
    if access.association is None:
        return qs.none()
    if Principal.APPLICANT_ORGANISATION in access.roles:
        invited = CoApplicant.objects.filter(user=access.user, accepted_at__isnull=False)
        return qs.filter(
            Q(organisation=access.organisation) | Q(pk__in=invited.values("application"))
        )
    qs = qs.filter(association=access.association)
    if access.is_operator or access.has(Role.SECRETARIAT):
        return qs
    visible = Q(pk__in=[])
    if access.has(Role.BOARD):
        visible |= Q(status__in=BEFORE_THE_BOARD_OR_LATER)
    if access.has(Role.REVIEWER):
        visible |= Q(status__in=IN_PREPARATION_OR_LATER) & ~Q(
            organisation__in=interested_organisations(access.user, access.association)
        )
    return qs.filter(visible)


def rounds_for(access):
    """The rounds of the principal's association (the public's: from the URL's association)."""
    if access.association is None:
        return Round.objects.none()
    return Round.objects.filter(association=access.association).select_related("form_version")


def interested_organisations(user, association):
    """The applicant organisations `user` has declared an interest in, as a subquery."""
    return (
        Interest.objects.current().filter(user=user, association=association).values("organisation")
    )
