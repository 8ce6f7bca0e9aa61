"""Reads of the access log. Rows never hold personal data: pseudonyms and field names only."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from finsam.audit.models import AccessedPseudonym, AccessEvent, ChangeEvent, normalise_pseudonym


def access_events(*, association) -> QuerySet[AccessEvent]:
    """The access log of one association, newest first, with actor, initiative and pseudonyms."""
    if association is None:
        return AccessEvent.objects.none()
    return (
        AccessEvent.objects.filter(association=association)
        .select_related("actor", "initiative")
        .prefetch_related("pseudonym_rows")
        .order_by("-at", "-id")
    )


def about_pseudonym(events: QuerySet[AccessEvent], pseudonym: str) -> QuerySet[AccessEvent]:
    """The `events` that showed or changed the participant `pseudonym`, each naming that
    participant only (a list page's event also names the others shown, who are no business of
    a search about one person)."""
    rows = AccessedPseudonym.objects.filter(pseudonym=normalise_pseudonym(pseudonym))
    return (
        events.for_pseudonym(pseudonym)
        .prefetch_related(None)
        .prefetch_related(Prefetch("pseudonym_rows", queryset=rows))
    )


def change_events(*, association) -> QuerySet[ChangeEvent]:
    """The change log of one association, newest first, with the actors."""
    if association is None:
        return ChangeEvent.objects.none()
    return (
        ChangeEvent.objects.filter(association=association)
        .select_related("actor")
        .order_by("-at", "-id")
    )


def initiatives_of(association):
    """The association's initiatives, to filter its log by (the log is read by association-wide
    roles only, who see every initiative). The model is reached through the log's relation:
    audit sits below initiatives and imports no higher app."""
    initiative_model = AccessEvent._meta.get_field("initiative").related_model
    return initiative_model.objects.filter(association=association).order_by("name")
