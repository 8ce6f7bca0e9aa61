import datetime

import pytest

from finsam.participants import selectors, services
from finsam.participants.tests.factories import EnrolmentFactory

DAY = datetime.timedelta(days=1)


def complete(enrolment, codes):
    enrolment.home_municipality = codes.skovde
    enrolment.occupation_before = codes.nothing
    enrolment.education = codes.upper_secondary
    enrolment.time_outside_work = codes.one_to_two
    enrolment.referrer = codes.af
    enrolment.save()
    enrolment.income_sources_before.set([codes.social_assistance])
    return enrolment


@pytest.fixture
def mix(world, codes, today):
    """In a_initiative: one complete active, one incomplete active, one long-running complete,
    one exited this year without outcome, one wrong registration and one of last year."""
    a = world.a_initiative
    return {
        "complete": complete(EnrolmentFactory(initiative=a, start_date=today - 10 * DAY), codes),
        "incomplete": EnrolmentFactory(initiative=a, start_date=today - 5 * DAY),
        "long": complete(EnrolmentFactory(initiative=a, start_date=today - 400 * DAY), codes),
        "exited": complete(
            EnrolmentFactory(
                initiative=a,
                start_date=today - 40 * DAY,
                end_date=today,
                exit_reason=codes.work,
            ),
            codes,
        ),
        "wrong": EnrolmentFactory(
            initiative=a, start_date=today, end_date=today, exit_reason=codes.wrong
        ),
        "last_year": EnrolmentFactory(
            initiative=a,
            start_date=datetime.date(today.year - 2, 1, 1),
            end_date=datetime.date(today.year - 1, 12, 31),
            exit_reason=codes.work,
        ),
        "other": EnrolmentFactory(initiative=world.a_other, start_date=today - 5 * DAY),
    }


def test_it_lists_what_is_missing_per_enrolment(world, mix, today):
    rows = {
        row.pk: row
        for row in selectors.describe(
            selectors.enrolment_list(world.a_initiative, status="all"), today=today
        )
    }
    assert rows[mix["complete"].pk].missing == []
    assert [str(m) for m in rows[mix["incomplete"].pk].missing] == [
        "hemkommun",
        "försörjning före",
        "sysselsättning före",
        "utbildning",
        "tid i offentlig försörjning",
        "remittent",
    ]
    assert [str(m) for m in rows[mix["long"].pk].missing] == ["inget avslut efter 12 månader"]
    assert [str(m) for m in rows[mix["exited"].pk].missing] == [
        "försörjning efter",
        "sysselsättning efter",
    ]
    assert rows[mix["wrong"].pk].missing == []
    assert rows[mix["complete"].pk].days_enrolled == 10
    assert rows[mix["exited"].pk].days_enrolled == 40
    assert mix["other"].pk not in rows


def test_it_filters_by_status(world, mix):
    active = selectors.enrolment_list(world.a_initiative, status="active")
    exited = selectors.enrolment_list(world.a_initiative, status="exited")
    assert {e.pk for e in active} == {mix[k].pk for k in ("complete", "incomplete", "long")}
    assert {e.pk for e in exited} == {mix[k].pk for k in ("exited", "wrong", "last_year")}
    assert selectors.status_counts(world.a_initiative) == {"active": 3, "exited": 3, "all": 6}


def test_the_registrar_overview_counts_per_initiative(
    world, mix, registrar_access, today, django_assert_num_queries
):
    with django_assert_num_queries(2):
        (overview,) = selectors.registrar_overview(access=registrar_access, today=today)
    assert overview.initiative == world.a_initiative
    assert overview.active == 3
    assert overview.exited_this_year == 1  # not the wrong registration, not last year's
    assert overview.incomplete == 3  # incomplete, long-running, exited without outcome
    missing = {str(label): n for label, n in overview.missing}
    assert missing["hemkommun"] == 1
    assert missing["inget avslut efter 12 månader"] == 1
    assert missing["försörjning efter"] == 1


def test_the_overview_is_empty_for_users_who_register_nowhere(world):
    from finsam.staff.access import build_access

    assert selectors.registrar_overview(access=build_access(world.secretariat, world.a.pk)) == []


def test_pseudonymous_lists_do_not_load_identity(world, mix):
    row = selectors.enrolment_list(world.a_initiative, status="all").get(pk=mix["complete"].pk)
    assert {"personal_number", "name"} <= row.participant.get_deferred_fields()
    with_identity = selectors.enrolment_list(
        world.a_initiative, status="all", with_identity=True
    ).get(pk=mix["complete"].pk)
    assert not with_identity.participant.get_deferred_fields()


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_runs_a_constant_number_of_queries(
    world, codes, today, rows, django_assert_num_queries
):
    for i in range(rows):
        enrolment = EnrolmentFactory(
            initiative=world.a_initiative,
            start_date=today - (i + 1) * DAY,
            end_date=today if i % 2 else None,
            exit_reason=codes.work if i % 2 else None,
        )
        complete(enrolment, codes)
    with django_assert_num_queries(1):
        described = selectors.describe(
            selectors.enrolment_list(world.a_initiative, status="all", with_identity=True)
        )
        for row in described:
            assert row.participant.name
            assert row.home_municipality.name
    assert len(described) == rows


def test_search_by_pseudonym_number_and_name(world, mix):
    qs = selectors.enrolment_list(world.a_initiative, status="all", with_identity=True)
    target = mix["complete"]
    found, how = selectors.search_enrolments(
        qs, target.participant.pseudonym.lower(), with_identity=True
    )
    assert [e.pk for e in found] == [target.pk]
    assert how.kind == "pseudonym"
    number = target.participant.personal_number
    found, how = selectors.search_enrolments(qs, f"{number[:8]}-{number[8:]}", with_identity=True)
    assert [e.pk for e in found] == [target.pk] and how.kind == "personal_number"
    found, how = selectors.search_enrolments(
        qs, target.participant.name.split()[0][1:].upper(), with_identity=True
    )
    assert target.pk in {e.pk for e in found} and how.kind == "name"
    found, how = selectors.search_enrolments(qs, "19811218-9877", with_identity=True)
    assert not found and "Kontrollsiffran" in how.error
    # Without identity only pseudonyms can be searched.
    found, how = selectors.search_enrolments(qs, number, with_identity=False)
    assert not found and how.error


def test_anonymous_enrolments_are_found_by_their_pseudonym(world):
    enrolment = EnrolmentFactory(initiative=world.a_initiative, anonymous=True)
    qs = selectors.enrolment_list(world.a_initiative, status="all")
    found, _ = selectors.search_enrolments(qs, enrolment.pseudonym, with_identity=False)
    assert [e.pk for e in found] == [enrolment.pk]


def test_the_history_shows_fields_and_code_labels(
    world, registrar_access, enrolment_input, exit_input, codes, today, django_assert_num_queries
):
    enrolment = services.enrolment_register(
        access=registrar_access,
        initiative=world.a_initiative,
        data=enrolment_input(start_date=today - 30 * DAY),
    )
    services.enrolment_exit(access=registrar_access, enrolment=enrolment, data=exit_input())
    services.enrolment_correct(
        access=registrar_access,
        enrolment=enrolment,
        changes={
            "education": None,
            "income_sources_before": [codes.sickness],
            "exit_reason": codes.wrong,
        },
        reason="Fel på blanketten",
    )
    with django_assert_num_queries(5):
        entries = selectors.enrolment_history(enrolment)
    assert [e.reason for e in entries] == ["Fel på blanketten", "Utregistrering", "Inregistrering"]
    assert entries[-1].kind == "+"
    assert entries[0].user == world.registrar
    changes = {c.label: (c.old, c.new) for c in entries[0].changes}
    assert changes == {
        "utbildningsnivå": (str(codes.upper_secondary), "–"),
        "försörjningskälla före": (str(codes.social_assistance), str(codes.sickness)),
        "avslutsanledning": (str(codes.work), str(codes.wrong)),
    }
    exit_changes = {c.label for c in entries[1].changes}
    assert "slutdatum" in exit_changes and "försörjningskälla efter" in exit_changes
    text = repr(entries)
    assert enrolment.participant.personal_number not in text
    assert enrolment.participant.name not in text
