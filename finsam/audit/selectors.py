"""Reads of the access log. Rows never hold personal data: pseudonyms and field names only."""

from __future__ import annotations

from django.db.models import QuerySet

from finsam.audit.models import AccessEvent


def access_events(*, association) -> QuerySet[AccessEvent]:
    """The access log of one association, newest first, with actor and initiative joined."""
    if association is None:
        return AccessEvent.objects.none()
    return (
        AccessEvent.objects.filter(association=association)
        .select_related("actor", "initiative")
        .order_by("-at", "-id")
    )
