"""Which preparation objects a principal sees. Every queryset of a preparation page starts here;
an object outside it answers 404.

- applications: `finsam.applications.scoping.applications_for` (the preparation group never sees
  an organisation it declared an interest in);
- reviews: the secretariat every review of the association; a reviewer their own, and the
  submitted reviews of others that are open to the preparation group;
- interests: the secretariat (`interest.manage`) the whole register of the association; anyone
  else their own declarations.
"""

from django.db.models import Q

from finsam.applications.models import Interest
from finsam.applications.scoping import applications_for, rounds_for
from finsam.preparation.models import Review, Visibility

__all__ = ["applications_for", "interests_for", "reviews_for", "rounds_for"]


def reviews_for(access):
    qs = Review.objects.select_related("reviewer", "form", "application")
    if access.association is None or access.user is None:
        return qs.none()
    qs = qs.filter(application__in=applications_for(access))
    if access.can("application.manage", association=access.association):
        return qs
    if not access.can("application.review", association=access.association):
        return qs.none()
    return qs.filter(
        Q(reviewer=access.user) | Q(submitted_at__isnull=False, visibility=Visibility.REVIEWERS)
    )


def interests_for(access):
    qs = Interest.objects.select_related("user", "organisation")
    if access.association is None or access.user is None:
        return qs.none()
    qs = qs.filter(association=access.association)
    if access.can("interest.manage", association=access.association):
        return qs
    if not access.can("interest.declare", association=access.association):
        return qs.none()
    return qs.filter(user=access.user)
