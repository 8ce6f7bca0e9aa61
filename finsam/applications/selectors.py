"""Reads of applications: history, what a principal may do with one, declared interests."""

from django.db.models import Q
from django.utils import timezone

from finsam.applications.models import Interest, Round
from finsam.applications.scoping import interested_organisations
from finsam.applications.workflow import Status


def open_rounds(association, day=None):
    """The association's rounds open on `day` (today by default), continuous ones included:
    public (the catalogue shows them), so only the round's own fields."""
    day = day or timezone.localdate()
    return (
        Round.objects.filter(association=association, opens_on__lte=day)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=day))
        .order_by("closes_on", "title")
    )


# The applicant's list: what waits for them first.
APPLICANT_GROUPS = (
    ("supplement", (Status.SUPPLEMENT_REQUESTED,)),
    ("draft", (Status.DRAFT,)),
    (
        "in_progress",
        (
            Status.SUBMITTED,
            Status.FORMAL_CHECK,
            Status.PREPARATION,
            Status.RECOMMENDED,
            Status.PROPOSED,
            Status.DECIDED,
        ),
    ),
    (
        "decided",
        (
            Status.GRANTED,
            Status.REJECTED,
            Status.AGREEMENT,
            Status.RUNNING,
            Status.FINAL_REPORT,
            Status.FINISHED,
        ),
    ),
    ("withdrawn", (Status.WITHDRAWN,)),
)


def grouped_applications(applications) -> dict[str, list]:
    """The applications by what waits for the applicant: supplements requested, drafts, in
    progress, decided, withdrawn."""
    groups = {key: [] for key, _statuses in APPLICANT_GROUPS}
    where = {status: key for key, statuses in APPLICANT_GROUPS for status in statuses}
    for application in applications:
        groups[where[application.status]].append(application)
    return groups


def has_interest(user, application) -> bool:
    """Whether `user` declared an interest in the application's organisation (today)."""
    return (
        Interest.objects.current()
        .filter(user=user, association=application.association_id)
        .filter(organisation__in=organisations_of(application))
        .exists()
    )


def organisations_of(application) -> list[int]:
    """The owner organisation and those of the accepted co-applicants' users."""
    ids = {application.organisation_id}
    ids.update(
        application.co_applicants.filter(accepted_at__isnull=False)
        .exclude(user=None)
        .values_list("user__applicant_organisations", flat=True)
    )
    return [i for i in ids if i is not None]


def interested_users(application) -> list:
    """The users who declared an interest in the application's organisations: kept out of its
    review and decision, and named in the minutes."""
    rows = (
        Interest.objects.current()
        .filter(association=application.association_id)
        .filter(organisation__in=organisations_of(application))
        .select_related("user")
    )
    return sorted({row.user for row in rows}, key=lambda u: u.get_full_name() or u.email)


__all__ = [
    "grouped_applications",
    "has_interest",
    "interested_organisations",
    "interested_users",
    "open_rounds",
    "organisations_of",
]
