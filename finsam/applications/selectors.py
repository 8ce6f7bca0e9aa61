"""Reads of applications: history, what a principal may do with one, declared interests."""

from finsam.applications.models import Interest
from finsam.applications.scoping import interested_organisations


def has_interest(user, application) -> bool:
    """Whether `user` declared an interest in the application's organisation (today)."""
    return (
        Interest.objects.current()
        .filter(user=user, association=application.association_id)
        .filter(organisation__in=_organisations_of(application))
        .exists()
    )


def _organisations_of(application) -> list[int]:
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
        .filter(organisation__in=_organisations_of(application))
        .select_related("user")
    )
    return sorted({row.user for row in rows}, key=lambda u: u.get_full_name() or u.email)


__all__ = ["has_interest", "interested_organisations", "interested_users"]
