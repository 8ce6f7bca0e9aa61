"""Writing the access log, and its retention.

Call `log_access` once for every read or change of personal data: one event naming every
participant it showed or changed. `access_log_purge` is the only thing that removes rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from finsam.audit.models import AccessedPseudonym, AccessEvent
from finsam.core.dates import months_before, retention_day

# The PostgreSQL setting the append-only trigger lets DELETEs through with (migration 0002).
PURGE_SETTING = "finsam.audit_purge"


def log_access(
    *,
    access,
    action: str,
    initiative,
    pseudonyms: Iterable[str],
    fields: str = "",
    channel: str = "web",
) -> AccessEvent:
    """Record that `access.user` read or changed the personal data of the participants
    `pseudonyms` (one event; none for a search that found nobody)."""
    event = AccessEvent(
        actor=access.user,
        actor_role=str(access.primary_role or ""),
        association_id=initiative.association_id,
        initiative=initiative,
        action=action,
        fields=fields,
        channel=channel,
    )
    record_events([(event, pseudonyms)])
    return event


def record_events(events: list[tuple[AccessEvent, Iterable[str]]]) -> None:
    """Insert unsaved events with their pseudonyms: two INSERTs whatever the numbers."""
    AccessEvent.objects.bulk_create([event for event, _pseudonyms in events])
    AccessedPseudonym.objects.bulk_create(
        AccessedPseudonym(event=event, pseudonym=pseudonym)
        for event, pseudonyms in events
        for pseudonym in dict.fromkeys(p for p in pseudonyms if p)
    )


# --- Retention --------------------------------------------------------------------------------


def access_log_cutoff(today: datetime.date) -> datetime.datetime:
    """Events before this moment are past `AUDIT_RETENTION_MONTHS`."""
    day = months_before(today, settings.AUDIT_RETENTION_MONTHS)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def expired_access_events(*, today: datetime.date):
    return AccessEvent.objects.filter(at__lt=access_log_cutoff(today))


def expired_access_event_counts(*, today: datetime.date) -> list[tuple[str, int]]:
    """(association name, number of events) that `access_log_purge` would remove today."""
    return list(
        expired_access_events(today=today)
        .values_list("association__name")
        .annotate(n=Count("id"))
        .order_by("association__name")
    )


def access_log_purge(*, today: datetime.date | None = None) -> int:
    """Delete the events (and their pseudonyms) older than `AUDIT_RETENTION_MONTHS`.

    `today` may be an earlier day than today, never a later one (`ValueError`).

    The only way rows leave the log. On PostgreSQL the append-only trigger lets the DELETE
    through because of a setting made for this transaction only (and taken back at once).
    Returns the number of events removed.
    """
    today = retention_day(today, timezone.localdate())
    with transaction.atomic():
        _allow_purge(True)
        _total, by_model = expired_access_events(today=today).purge()
        _allow_purge(False)
    return by_model.get(AccessEvent._meta.label, 0)


def _allow_purge(on: bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [PURGE_SETTING, "on" if on else ""])
