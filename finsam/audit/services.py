"""Writing the access log, and its retention.

Call `log_access` once for every read or change of personal data: one event naming every
participant it showed or changed. `access_log_purge` is the only thing that removes rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, sql
from django.utils import timezone

from finsam.audit.models import AccessedPseudonym, AccessEvent, ChangeEvent
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
    """Insert unsaved events with their pseudonyms: two INSERTs whatever the numbers (one for a
    single event on PostgreSQL)."""
    if len(events) == 1 and connection.vendor == "postgresql":
        event, pseudonyms = events[0]
        pseudonyms = list(dict.fromkeys(p for p in pseudonyms if p))
        if pseudonyms:
            _insert_event_with_pseudonyms(event, pseudonyms)
            return
    AccessEvent.objects.bulk_create([event for event, _pseudonyms in events])
    AccessedPseudonym.objects.bulk_create(
        AccessedPseudonym(event=event, pseudonym=pseudonym)
        for event, pseudonyms in events
        for pseudonym in dict.fromkeys(p for p in pseudonyms if p)
    )


def _insert_event_with_pseudonyms(event: AccessEvent, pseudonyms: list[str]) -> None:
    """One event and its pseudonyms in one statement (one round trip, issue 9): the event's
    INSERT as Django compiles it, in a WITH that the pseudonyms' INSERT … SELECT reads its id
    from."""
    fields = [f for f in event._meta.concrete_fields if not f.primary_key]
    query = sql.InsertQuery(AccessEvent)
    query.insert_values(fields, [event])
    ((insert, params),) = query.get_compiler(connection=connection).as_sql()
    pseudonym_table = connection.ops.quote_name(AccessedPseudonym._meta.db_table)
    # Only Django's compiled INSERT and a quoted table name go in; the values are parameters.
    statement = (
        f"WITH event AS ({insert} RETURNING id) "  # noqa: S608
        f"INSERT INTO {pseudonym_table} (event_id, pseudonym) "
        "SELECT event.id, pseudonym FROM event, unnest(%s::varchar[]) AS pseudonym "
        "RETURNING event_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, pseudonyms])
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias


# --- The change log ---------------------------------------------------------------------------

# Every value of these objects is personal data (a participant's enrolment, consent, identity):
# the change log names the fields that changed, never their values.
PERSONAL_OBJECT_TYPES = frozenset(
    {
        "participants.enrolment",
        "participants.participant",
        "participants.consent",
        "progression.ratingoccasion",
    }
)


# Long texts (a report section) are kept to their beginning.
TEXT_LIMIT = 200


def _plain(value):
    """A JSON value for the change log: model instances by primary key, sets sorted, long
    texts shortened."""
    if isinstance(value, str):
        return value if len(value) <= TEXT_LIMIT else value[: TEXT_LIMIT - 1] + "…"
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return sorted(_plain(item) for item in value)
    if isinstance(value, Decimal):
        # One spelling per amount, whatever its scale: 650000, 650000.00 and 6.5E+5 are equal.
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def snapshot(obj, fields: Iterable[str]) -> dict:
    """The values of `fields` of `obj` as the change log stores them (foreign keys by id,
    many-to-many sets as sorted ids; an unsaved object has no many-to-many values yet)."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            out[name] = _plain(getattr(obj, name).all()) if obj.pk else []
        elif field.is_relation:
            out[name] = getattr(obj, field.attname)
        else:
            out[name] = _plain(getattr(obj, name))
    return out


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose values differ (a field missing on one side
    counts as None there)."""
    return {
        name: [before.get(name), after.get(name)]
        for name in dict.fromkeys([*before, *after])
        if before.get(name) != after.get(name)
    }


def record_change(
    *,
    access,
    obj,
    action: str,
    changes: dict | None = None,
    label: str | None = None,
    channel: str | None = None,
) -> ChangeEvent:
    """Record that `access` made a change (`action`, e.g. "report.approve") to `obj`.

        `changes` is {field: [old, new]} (`diff`). For personal objects (`PERSONAL_OBJECT_TYPES`)
        only the names of the changed fields are kept; their values never reach the log. `label`
    names the object where its own name would name a person (an assignment names its initiative)."""
    object_type = obj._meta.label_lower
    personal = object_type in PERSONAL_OBJECT_TYPES
    changes = dict(changes or {})
    if personal:
        changes = dict.fromkeys(changes)
        label = getattr(obj, "pseudonym", "") or ""
    elif label is None:
        label = str(obj)
    association_id = _association_id(obj) or access.association_id
    return ChangeEvent.objects.create(
        actor=access.user,
        actor_role=str(access.primary_role or ""),
        association_id=association_id,
        object_type=object_type,
        object_id=str(obj.pk),
        object_label=label[:200],
        action=action,
        changes=changes,
        channel=channel or access.channel,
    )


def _association_id(obj):
    """The association an object belongs to (itself, directly, or through its initiative,
    period or association year)."""
    if obj._meta.label_lower == "associations.association":
        return obj.pk
    for path in ("association_id", "initiative", "period", "association_year", "report"):
        value = getattr(obj, path, None)
        if value is None:
            continue
        if path == "association_id":
            return value
        found = _association_id(value)
        if found:
            return found
    return None


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
