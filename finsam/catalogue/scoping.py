"""What the public sees of the catalogue: published entries only, one association at a time.

Every public page and the open feed start here. Staff pages reach an entry through its
initiative (`finsam.initiatives.scoping.get_initiative`), so they see exactly the initiatives
they see elsewhere.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from finsam.associations.models import Association
from finsam.catalogue.models import CatalogueEntry


def published_entries(association=None):
    """Published entries (of `association`, or of every association), with what a list shows."""
    qs = CatalogueEntry.objects.filter(published=True).select_related(
        "initiative", "initiative__association"
    )
    if association is not None:
        qs = qs.filter(initiative__association=association)
    return qs


def get_public_association(slug: str) -> Association:
    return get_object_or_404(Association, slug=slug)


def get_published_entry(association, pk: int) -> CatalogueEntry:
    """A published entry of `association`; 404 for an unpublished one, or another's."""
    entry = (
        published_entries(association)
        .prefetch_related("initiative__municipalities", "initiative__target_groups")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    return entry
