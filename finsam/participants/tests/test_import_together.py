"""Issue 9: the in-rows of a file whose people appear once each are registered together
(`enrolments_register_many`), with the same rows as one by one and a fixed number of queries."""

import datetime

import pytest
from django.db import transaction

from finsam.api.tests.conftest import personal_number
from finsam.audit.models import AccessedPseudonym, AccessEvent
from finsam.participants import imports
from finsam.participants.models import Consent, Enrolment, Participant
from finsam.participants.services import ConsentInput, EnrolmentInput, enrolment_register
from finsam.participants.tests.test_import_support import (
    anonymous_row,
    codes,
    csv_bytes,
    in_row,
    out_row,
    upload,
)


@pytest.fixture
def c(world):
    return codes()


def access(world):
    from finsam.staff.access import build_access

    return build_access(world.registrar)


def run(world, rows):
    table = imports.read_table(upload(csv_bytes(rows), "f.csv"))
    return imports.import_table(access=access(world), initiative=world.a_initiative, table=table)


def people(n, start=0):
    return [in_row(personal_number(start + i), namn=f"Person {i}") for i in range(n)]


def snapshot():
    """Everything an import writes, without ids, pseudonyms and times."""
    out = []
    for e in Enrolment.objects.order_by("start_date", "age_at_start", "gender", "pk"):
        pseudonym = e.participant.pseudonym if e.participant_id else None
        events = AccessEvent.objects.filter(
            pk__in=AccessedPseudonym.objects.filter(pseudonym=pseudonym).values("event")
        )
        out.append(
            (
                e.participant.personal_number if e.participant_id else None,
                e.participant.name if e.participant_id else None,
                e.anonymous_reason,
                e.gender,
                e.age_at_start,
                e.start_date,
                e.end_date,
                e.exit_reason_id,
                e.home_municipality_id,
                e.code_versions,
                sorted(c.pk for c in e.income_sources_before.all()),
                sorted(c.pk for c in e.income_sources_after.all()),
                [
                    (
                        h.history_type,
                        h.history_change_reason,
                        h.history_user_id,
                        h.end_date,
                        sorted(r.code_id for r in h.income_sources_before.all()),
                        sorted(r.code_id for r in h.income_sources_after.all()),
                    )
                    for h in e.history.order_by("history_date", "history_id")
                ],
                [
                    (c.given_on, c.method, c.form_version, c.language, c.collected_by_id)
                    for c in Consent.objects.filter(enrolment=e)
                ],
                [
                    (h.history_type, h.history_change_reason, h.history_user_id)
                    for h in Consent.history.filter(enrolment_id=e.pk)
                ],
                sorted(
                    (ev.action, ev.channel, ev.fields, ev.actor_id, ev.actor_role, ev.initiative_id)
                    for ev in events
                ),
            )
        )
    return out


def test_rows_written_together_equal_rows_written_one_by_one(world, c, monkeypatch):
    rows = [
        in_row(personal_number(1), namn="Ada"),
        in_row(personal_number(2), slutdatum="2025-03-01", avslutsanledning="imp-plan"),
        in_row(personal_number(3), namn="", **{"försörjningskälla före": ""}),
        anonymous_row(),
        anonymous_row(anonym="skyddad identitet", kön="man", ålder=""),
    ]
    # A person already known to the association (another initiative's participant, older name).
    known = EnrolmentInput(
        start_date=datetime.date(2024, 1, 8),
        personal_number=personal_number(1),
        name="Ada Gammal",
        consent=ConsentInput(given_on=datetime.date(2024, 1, 8), method="paper", form_version="x"),
    )
    outcomes = []
    for together in (True, False):
        with transaction.atomic():
            enrolment = enrolment_register(
                access=access(world), initiative=world.a_initiative, data=known
            )
            enrolment.end_date = enrolment.start_date
            enrolment.exit_reason = c["exit"]
            enrolment.save()
            if not together:
                monkeypatch.setattr(imports, "_one_row_per_person", lambda parsed: False)
            result = run(world, rows)
            assert result.ok, [str(e) for e in result.errors]
            assert (result.enrolled, result.exited) == (5, 1)
            outcomes.append(snapshot())
            transaction.set_rollback(True)
    assert outcomes[0] == outcomes[1]
    assert len(outcomes[0]) == 6
    assert [o[1] for o in outcomes[0] if o[0] == personal_number(1).replace("-", "")] == [
        "Ada",
        "Ada",
    ]


def test_rows_written_together_keep_their_code_list_versions(world, c):
    """Each enrolment of a bulk import keeps the versions of the code lists it was registered
    with, as a single registration does (groundwork: versioned code lists)."""
    result = run(world, people(3))
    assert result.ok, [str(e) for e in result.errors]
    versions = list(Enrolment.objects.values_list("code_versions", flat=True))
    assert len(versions) == 3
    assert all(v and all(isinstance(n, int) for n in v.values()) for v in versions)


def test_an_import_costs_the_same_queries_for_few_and_many_people(
    world, c, django_assert_max_num_queries
):
    with transaction.atomic():
        with django_assert_max_num_queries(40) as few:
            assert run(world, people(3)).ok
        transaction.set_rollback(True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = run(world, people(40, start=100))
    assert result.ok and result.enrolled == 40
    assert Enrolment.objects.count() == Consent.objects.count() == 40
    assert Enrolment.history.count() == Consent.history.count() == 40
    assert AccessEvent.objects.filter(channel="import").count() == 40
    assert Participant.objects.count() == 40


def test_a_failing_row_among_many_saves_nothing(world, c):
    rows = [*people(10), in_row(personal_number(50), startdatum="2099-01-01")]
    result = run(world, rows)
    assert not result.ok
    assert {e.row for e in result.errors} == {12}
    assert "startdatum" in {e.column for e in result.errors}
    assert (result.enrolled, result.exited) == (0, 0)
    assert not Enrolment.objects.exists()
    assert not Participant.objects.exists()
    assert not AccessEvent.objects.exists()
    assert not Enrolment.history.exists()


def test_an_out_row_for_a_person_in_finsam_is_written_after_the_others(world, c):
    start = datetime.date(2025, 2, 3)
    enrolment_register(
        access=access(world),
        initiative=world.a_initiative,
        data=EnrolmentInput(
            start_date=start,
            personal_number=personal_number(90),
            consent=ConsentInput(given_on=start, method="paper", form_version="FK 9443"),
        ),
    )
    result = run(world, [*people(3), out_row(personal_number(90))])
    assert result.ok, [str(e) for e in result.errors]
    assert (result.enrolled, result.exited) == (3, 1)
    assert Enrolment.objects.filter(end_date__isnull=False).count() == 1


def test_a_person_active_in_finsam_is_refused_among_many(world, c):
    start = datetime.date(2025, 1, 7)
    enrolment_register(
        access=access(world),
        initiative=world.a_initiative,
        data=EnrolmentInput(
            start_date=start,
            personal_number=personal_number(2),
            consent=ConsentInput(given_on=start, method="paper", form_version="FK 9443"),
        ),
    )
    result = run(world, people(4))
    assert [(e.row, e.column) for e in result.errors] == [(4, "personnummer")]
    assert "pågående deltagande" in result.errors[0].message
    assert Enrolment.objects.count() == 1
