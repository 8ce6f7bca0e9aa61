"""Query counts of the registration services: fixed numbers, so that a regression shows.

Each count is the whole call. The tests run inside a transaction, which a service uses as the
caller's (as in a request); only its writes get a savepoint. The counts do not depend on how many
income sources are given.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from finsam.initiatives.models import Initiative
from finsam.participants import services
from finsam.participants.models import Enrolment
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.staff.access import build_access

DAY = datetime.timedelta(days=1)


def codes_of(record, name):
    return sorted(row.code_id for row in getattr(record, name).all())


# The access log's event and its pseudonym: one statement on PostgreSQL, two elsewhere.
ACCESS_LOG = 1 if connection.vendor == "postgresql" else 2


def test_registering_a_new_person_takes_ten_queries_and_the_access_log(
    world, registrar_access, enrolment_input, codes, django_assert_num_queries
):
    data = enrolment_input(income_sources_before=[codes.social_assistance, codes.sickness])
    # As a view gets it: the association (for its start date) is not loaded with it.
    initiative = Initiative.objects.get(pk=world.a_initiative.pk)
    # The person by look-up hash and the new pseudonym (one query); savepoint of the writes (a
    # registration of the same person at the same time may refuse them; the caller's transaction,
    # here the test's, holds the check and the writes together); participant; enrolment; its
    # income sources (one INSERT); history record and its income sources; consent and its
    # history record; access log (the event, its pseudonym); release of the savepoint.
    with django_assert_num_queries(10 + ACCESS_LOG):
        enrolment = services.enrolment_register(
            access=registrar_access, initiative=initiative, data=data
        )
    # The one history record holds the income sources as written, with the rows' ids.
    (record,) = enrolment.history.all()
    assert record.history_type == "+"
    expected = sorted([codes.social_assistance.pk, codes.sickness.pk])
    assert codes_of(record, "income_sources_before") == expected
    assert codes_of(record, "income_sources_after") == []
    through = Enrolment.income_sources_before.through
    assert sorted(row.id for row in record.income_sources_before.all()) == sorted(
        through.objects.filter(enrolment=enrolment).values_list("id", flat=True)
    )


def test_registering_a_known_person_again_takes_ten_queries_and_the_access_log(
    world, registrar_access, enrolment_input, exit_input, codes, today, django_assert_num_queries
):
    first = services.enrolment_register(
        access=registrar_access,
        initiative=world.a_initiative,
        data=enrolment_input(start_date=today - 60 * DAY),
    )
    services.enrolment_exit(
        access=registrar_access, enrolment=first, data=exit_input(end_date=today - 40 * DAY)
    )
    data = enrolment_input(start_date=today - 10 * DAY)
    # As a new person, but the overlap check replaces the participant's INSERT.
    with django_assert_num_queries(10 + ACCESS_LOG):
        enrolment = services.enrolment_register(
            access=registrar_access, initiative=world.a_initiative, data=data
        )
    assert enrolment.participant_id == first.participant_id


def test_registering_an_anonymous_person_takes_six_queries(
    world, registrar_access, enrolment_input, codes, django_assert_num_queries
):
    data = enrolment_input(
        personal_number="", name="", consent=None, anonymous_reason="no_consent", gender="woman"
    )
    # savepoint; enrolment; income sources; history record and its income sources; release.
    with django_assert_num_queries(6):
        services.enrolment_register(
            access=registrar_access, initiative=world.a_initiative, data=data
        )


def test_registering_out_takes_ten_queries_and_the_access_log(
    world, registrar_access, enrolment_input, exit_input, codes, django_assert_num_queries
):
    enrolment = services.enrolment_register(
        access=registrar_access,
        initiative=world.a_initiative,
        data=enrolment_input(income_sources_before=[codes.social_assistance, codes.sickness]),
    )
    data = exit_input(income_sources_after=[codes.salary, codes.sickness])
    # savepoint; the locked enrolment; its UPDATE; the income sources after (read, INSERT);
    # history record, the income sources before (read) and both sets' history; access log (the
    # event, its pseudonym); release.
    with django_assert_num_queries(10 + ACCESS_LOG):
        services.enrolment_exit(access=registrar_access, enrolment=enrolment, data=data)
    record = enrolment.history.first()
    assert (record.history_type, record.history_change_reason) == ("~", "Utregistrering")
    assert codes_of(record, "income_sources_before") == sorted(
        [codes.social_assistance.pk, codes.sickness.pk]
    )
    assert codes_of(record, "income_sources_after") == sorted([codes.salary.pk, codes.sickness.pk])


def test_a_correction_keeps_both_code_sets_in_its_history(
    world, registrar_access, enrolment_input, exit_input, codes, today
):
    enrolment = services.enrolment_register(
        access=registrar_access,
        initiative=world.a_initiative,
        data=enrolment_input(
            start_date=today - 30 * DAY,
            income_sources_before=[codes.social_assistance, codes.sickness],
        ),
    )
    services.enrolment_exit(
        access=registrar_access,
        enrolment=enrolment,
        data=exit_input(income_sources_after=[codes.salary]),
    )
    # One set replaced (one code kept, one removed, one added), the other not touched.
    services.enrolment_correct(
        access=registrar_access,
        enrolment=enrolment,
        changes={"income_sources_before": [codes.sickness, codes.salary]},
        reason="Fel på blanketten",
    )
    assert sorted(c.pk for c in enrolment.income_sources_before.all()) == sorted(
        [codes.sickness.pk, codes.salary.pk]
    )
    record = enrolment.history.first()
    assert codes_of(record, "income_sources_before") == sorted([codes.sickness.pk, codes.salary.pk])
    assert codes_of(record, "income_sources_after") == [codes.salary.pk]
    # A correction without code sets still snapshots both of them.
    services.enrolment_correct(
        access=registrar_access,
        enrolment=enrolment,
        changes={"occupation_extent_after": 75},
        reason="Fel omfattning",
    )
    record = enrolment.history.first()
    assert record.history_change_reason == "Fel omfattning"
    assert codes_of(record, "income_sources_before") == sorted([codes.sickness.pk, codes.salary.pk])
    assert codes_of(record, "income_sources_after") == [codes.salary.pk]
    assert enrolment.history.count() == 4


def test_the_history_of_a_factory_enrolment_is_read_back(world, codes, today):
    """A plain save (simple_history's own path) snapshots the code sets from the database."""
    enrolment = EnrolmentFactory(initiative=world.a_initiative, start_date=today - 5 * DAY)
    enrolment.income_sources_before.set([codes.salary])
    record = enrolment.history.first()
    assert record.history_type == "~"
    assert codes_of(record, "income_sources_before") == [codes.salary.pk]


def test_registering_out_an_enrolment_read_without_its_initiative_takes_ten_and_the_log(
    world, registrar_access, enrolment_input, exit_input, django_assert_num_queries
):
    """As the import finds it: the initiative comes with the locked row, not by its own query."""
    registered = services.enrolment_register(
        access=registrar_access, initiative=world.a_initiative, data=enrolment_input()
    )
    enrolment = Enrolment.objects.get(pk=registered.pk)
    with django_assert_num_queries(10 + ACCESS_LOG):
        exited = services.enrolment_exit(
            access=registrar_access, enrolment=enrolment, data=exit_input()
        )
    assert exited.initiative == world.a_initiative
    assert exited.end_date is not None


def test_a_refused_exit_reads_nothing(
    world, registrar_access, enrolment_input, exit_input, django_assert_num_queries
):
    registered = services.enrolment_register(
        access=registrar_access, initiative=world.a_initiative, data=enrolment_input()
    )
    enrolment = Enrolment.objects.get(pk=registered.pk)
    for user, association in [(world.manager, world.a), (world.b_registrar, world.b)]:
        access = build_access(user, association.pk)
        with django_assert_num_queries(0), pytest.raises(PermissionDenied):
            services.enrolment_exit(access=access, enrolment=enrolment, data=exit_input())
    enrolment.refresh_from_db()
    assert enrolment.end_date is None
