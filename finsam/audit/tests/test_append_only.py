"""The access log is append-only, and kept `AUDIT_RETENTION_MONTHS` (security issue, point 11).

The application refuses to change or delete rows on every database; on PostgreSQL a trigger
refuses UPDATE and DELETE statements from anyone but the retention purge.
"""

import datetime
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from finsam.audit.models import AccessedPseudonym, AccessEvent, Action, AppendOnlyError
from finsam.audit.services import PURGE_SETTING, access_log_purge, log_access
from finsam.audit.tests.factories import AccessEventFactory
from finsam.staff.access import build_access

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The trigger is PostgreSQL's (the production database); SQLite has the application's "
    "refusal only.",
)


@contextmanager
def refused():
    """The statements inside fail with the trigger's message (and are rolled back)."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        yield


def at(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def event(world):
    return log_access(
        access=build_access(world.registrar, world.a.pk),
        action=Action.LIST,
        initiative=world.a_initiative,
        pseudonyms=["D-AAAAAAA", "D-BBBBBBB"],
        fields="personnummer, namn",
    )


def test_the_application_never_changes_or_deletes_a_row(event):
    row = event.pseudonym_rows.first()
    event.fields = "ändrat"
    row.pseudonym = "D-CCCCCCC"
    refused = [
        event.save,
        event.delete,
        row.save,
        row.delete,
        lambda: AccessEvent.objects.filter(pk=event.pk).update(fields="ändrat"),
        lambda: AccessEvent.objects.bulk_update([event], ["fields"]),
        lambda: AccessEvent.objects.all().delete(),
        lambda: AccessedPseudonym.objects.update(pseudonym="D-CCCCCCC"),
        lambda: AccessedPseudonym.objects.all().delete(),
    ]
    for attempt in refused:
        with pytest.raises(AppendOnlyError):
            attempt()
    stored = AccessEvent.objects.get()
    assert (stored.fields, stored.pseudonyms) == ("personnummer, namn", ["D-AAAAAAA", "D-BBBBBBB"])


@on_postgresql
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_accessevent SET fields = 'ändrat'",
        "DELETE FROM audit_accessevent",
        "UPDATE audit_accessedpseudonym SET pseudonym = 'D-CCCCCCC'",
        "DELETE FROM audit_accessedpseudonym",
    ],
)
def test_the_database_refuses_changes_from_anyone_else(event, statement):
    with refused(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessEvent.objects.get().pseudonyms == ["D-AAAAAAA", "D-BBBBBBB"]


@on_postgresql
def test_the_purge_setting_never_lets_an_update_through(event):
    with refused(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
        cursor.execute("UPDATE audit_accessevent SET fields = 'ändrat'")


def test_the_retention_removes_events_older_than_the_setting_only(world, settings):
    settings.AUDIT_RETENTION_MONTHS = 60
    AccessEventFactory(
        initiative=world.a_initiative, at=at(2021, 6, 29, 23, 59), pseudonyms=["D-OLD1", "D-OLD2"]
    )
    kept = AccessEventFactory(
        initiative=world.a_initiative, at=at(2021, 6, 30, 0, 0), pseudonyms=["D-KEPT"]
    )
    assert access_log_purge(today=datetime.date(2026, 6, 30)) == 1
    assert list(AccessEvent.objects.all()) == [kept]
    assert list(AccessedPseudonym.objects.values_list("pseudonym", flat=True)) == ["D-KEPT"]
    assert access_log_purge(today=datetime.date(2026, 6, 30)) == 0
    if connection.vendor == "postgresql":
        # The purge took its permission back: the rest of the transaction cannot delete.
        with refused(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_accessevent")


def test_the_retention_never_runs_ahead_of_time(world, settings):
    settings.AUDIT_RETENTION_MONTHS = 60
    AccessEventFactory(initiative=world.a_initiative, at=timezone.now())
    future = timezone.localdate() + datetime.timedelta(days=365 * 6)
    with pytest.raises(ValueError, match="after today"):
        access_log_purge(today=future)
    assert AccessEvent.objects.count() == 1
