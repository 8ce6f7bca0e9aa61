"""Which progression objects a user reaches. A participant's ratings: only through an enrolment
of an initiative the user registers in (`registrar_initiatives`); everyone else gets 404, so
nobody can probe for another initiative's participants. Dimensions: the current association's."""

from __future__ import annotations

from django.http import Http404

from finsam.core.access import Access
from finsam.participants.scoping import get_enrolment_without_identity
from finsam.progression.models import Dimension, RatingOccasion


def association_dimensions(access: Access):
    if access.association is None:
        return Dimension.objects.none()
    return Dimension.objects.filter(association=access.association)


def get_dimension(access: Access, pk) -> Dimension:
    try:
        return association_dimensions(access).get(pk=pk)
    except (ValueError, Dimension.DoesNotExist) as exc:
        raise Http404 from exc


def get_rating_enrolment(access: Access, enrolment_uuid):
    """An enrolment whose ratings the user may read and record: the registrars of its
    initiative (404 for everyone else). The identity (name, personal identity number) is not
    loaded: the pages show the pseudonym."""
    enrolment = get_enrolment_without_identity(access, enrolment_uuid)
    if not access.can("progression.rate", initiative=enrolment.initiative):
        raise Http404
    return enrolment


def get_occasion(access: Access, enrolment_uuid, occasion_uuid):
    enrolment = get_rating_enrolment(access, enrolment_uuid)
    try:
        occasion = RatingOccasion.objects.get(enrolment=enrolment, uuid=occasion_uuid)
    except (ValueError, RatingOccasion.DoesNotExist) as exc:
        raise Http404 from exc
    occasion.enrolment = enrolment
    return enrolment, occasion
