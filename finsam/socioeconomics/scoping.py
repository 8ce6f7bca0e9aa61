"""Which estimates a user sees: those of the initiatives within the user's reach
(`finsam.initiatives.scoping`) of the current association. Others answer 404."""

from __future__ import annotations

from django.http import Http404

from finsam.initiatives.scoping import get_initiative
from finsam.socioeconomics.models import Estimate


def visible_estimates(access):
    if access.association is None:
        return Estimate.objects.none()
    return Estimate.objects.filter(association=access.association)


def get_initiative_estimate(access, initiative_pk, pk):
    """(initiative, estimate) within the user's reach, else 404."""
    initiative = get_initiative(access, initiative_pk)
    try:
        estimate = visible_estimates(access).get(initiative=initiative, pk=pk)
    except (ValueError, Estimate.DoesNotExist) as exc:
        raise Http404 from exc
    return initiative, estimate
