import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from finsam.audit.models import AccessEvent
from finsam.audit.tests.factories import AccessEventFactory
from finsam.core.keys import lookup_hash
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.participants import services
from finsam.participants.identity import parse_personal_number
from finsam.participants.models import Consent, Enrolment, Participant
from finsam.participants.services import ConsentInput
from finsam.participants.tests.conftest import NAME, PN_MAN, PN_WOMAN
from finsam.participants.tests.factories import EnrolmentFactory, make_personal_number
from finsam.reference.models import CodeList
from finsam.reference.tests.factories import CodeFactory
from finsam.staff.access import build_access

DAY = datetime.timedelta(days=1)


def counts():
    return (
        Participant.objects.count(),
        Enrolment.objects.count(),
        Consent.objects.count(),
        Enrolment.history.count(),
        AccessEvent.objects.count(),
    )


def register_fails(access, initiative, data):
    """Run the registration, assert it failed and wrote nothing; return the message dict."""
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.enrolment_register(access=access, initiative=initiative, data=data)
    assert counts() == before
    # The validate-as-you-type check gives exactly the same answer.
    with pytest.raises(ValidationError) as check:
        services.enrolment_register_check(access=access, initiative=initiative, data=data)
    assert check.value.message_dict == exc.value.message_dict
    return exc.value.message_dict


# --- Registering in ---------------------------------------------------------------------------


def test_it_registers_an_identified_participant(world, registrar_access, enrolment_input, codes):
    data = enrolment_input()
    enrolment = services.enrolment_register(
        access=registrar_access, initiative=world.a_initiative, data=data
    )
    enrolment.refresh_from_db()
    participant = enrolment.participant
    assert participant.personal_number == "198112189876"
    assert participant.personal_number_hash == lookup_hash("198112189876")
    assert participant.name == NAME
    assert participant.birth_year == 1981
    assert participant.association == world.a
    assert enrolment.gender == "man"  # from the number
    assert enrolment.age_at_start == data.start_date.year - 1981 - (
        (data.start_date.month, data.start_date.day) < (12, 18)
    )
    assert enrolment.anonymous_reason == ""
    assert list(enrolment.income_sources_before.all()) == [codes.social_assistance]
    assert enrolment.education == codes.upper_secondary
    consent = enrolment.consent
    assert consent.form_version == "FK 9443 v3"
    assert consent.language == "svenska"
    assert consent.collected_by == world.registrar
    # One history record, marked as the creation, with who and why.
    (record,) = enrolment.history.all()
    assert record.history_type == "+"
    assert record.history_user == world.registrar
    assert record.history_change_reason == "Inregistrering"
    assert [c.code_id for c in record.income_sources_before.all()] == [codes.social_assistance.pk]
    event = AccessEvent.objects.get()
    assert (event.action, event.pseudonyms, event.actor) == (
        "create",
        [participant.pseudonym],
        world.registrar,
    )
    assert event.initiative == world.a_initiative
    assert "1981" not in event.fields


def test_it_takes_the_gender_given_over_the_legal_one(world, registrar_access, enrolment_input):
    enrolment = services.enrolment_register(
        access=registrar_access,
        initiative=world.a_initiative,
        data=enrolment_input(personal_number=PN_WOMAN, gender="other"),
    )
    assert enrolment.gender == "other"
    man = services.enrolment_register(
        access=registrar_access, initiative=world.a_initiative, data=enrolment_input()
    )
    assert man.gender == "man"


def test_it_accepts_a_samordningsnummer_and_short_input_forms(
    world, registrar_access, enrolment_input
):
    enrolment = services.enrolment_register(
        access=registrar_access,
        initiative=world.a_initiative,
        data=enrolment_input(personal_number=" 198112789873 "),
    )
    assert enrolment.participant.personal_number == "198112789873"
    assert enrolment.participant.birth_year == 1981


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "Ange personnummer"),
        ("abc", "ÅÅÅÅMMDD-NNNN"),
        ("811218-9876", "fyra siffror"),
        ("19811318-9876", "Datumet i personnumret finns inte"),
        ("19811218-9877", "Kontrollsiffran stämmer inte"),
        (make_personal_number(datetime.date(2099, 1, 1)), "framtiden"),
    ],
)
def test_it_rejects_invalid_personal_numbers(
    world, registrar_access, enrolment_input, raw, fragment
):
    errors = register_fails(
        registrar_access, world.a_initiative, enrolment_input(personal_number=raw)
    )
    assert list(errors) == ["personal_number"]
    message = errors["personal_number"][0]
    assert fragment in message
    if raw.strip():
        assert raw.strip() not in message  # never echo the number


def test_it_requires_consent_for_an_identified_participant(
    world, registrar_access, enrolment_input
):
    errors = register_fails(registrar_access, world.a_initiative, enrolment_input(consent=None))
    assert list(errors) == ["consent"]
    assert "Samtycke krävs" in errors["consent"][0]
    assert "anonymt" in errors["consent"][0]


@pytest.mark.parametrize(
    ("consent", "fragment"),
    [
        ({"given_on": None}, "Ange datum för samtycket"),
        ({"given_on": "tomorrow"}, "framtiden"),
        ({"given_on": "long_before"}, "90 dagar före startdatumet"),
        ({"method": "phone"}, "Ange hur samtycket lämnades"),
        ({"form_version": "  "}, "blankettens version"),
        ({"language": ""}, "språk"),
    ],
)
def test_it_rejects_incomplete_or_impossible_consent(
    world, registrar_access, enrolment_input, today, consent, fragment
):
    start = today - 10 * DAY
    values = {"given_on": start, "method": "paper", "form_version": "v3", "language": "svenska"}
    values.update(consent)
    if values["given_on"] == "tomorrow":
        values["given_on"] = today + DAY
    elif values["given_on"] == "long_before":
        values["given_on"] = start - 91 * DAY
    errors = register_fails(
        registrar_access,
        world.a_initiative,
        enrolment_input(start_date=start, consent=ConsentInput(**values)),
    )
    assert list(errors) == ["consent"]
    assert fragment in errors["consent"][0]


def test_consent_may_be_signed_after_the_start(world, registrar_access, enrolment_input, today):
    data = enrolment_input(
        start_date=today - 20 * DAY,
        consent=ConsentInput(given_on=today, method="digital", form_version="v3"),
    )
    enrolment = services.enrolment_register(
        access=registrar_access, initiative=world.a_initiative, data=data
    )
    assert enrolment.consent.given_on == today


def test_it_registers_an_anonymous_participant_without_identity(
    world, registrar_access, enrolment_input, codes
):
    data = enrolment_input(
        personal_number="",
        name="",
        consent=None,
        anonymous_reason="no_consent",
        gender="woman",
        age_at_start=24,
    )
    enrolment = services.enrolment_register(
        access=registrar_access, initiative=world.a_initiative, data=data
    )
    assert enrolment.participant is None
    assert enrolment.is_anonymous
    assert enrolment.pseudonym.startswith("A-")
    assert (enrolment.gender, enrolment.age_at_start) == ("woman", 24)
    assert enrolment.home_municipality == codes.skovde
    assert not Participant.objects.exists()
    assert not Consent.objects.exists()
    assert not AccessEvent.objects.exists()  # no personal data touched


def test_protected_identity_is_registered_anonymously(world, registrar_access, enrolment_input):
    enrolment = services.enrolment_register(
        access=registrar_access,
        initiative=world.a_initiative,
        data=enrolment_input(
            personal_number="", name="", anonymous_reason="protected_identity", gender="man"
        ),
    )
    assert enrolment.participant is None
    assert enrolment.anonymous_reason == "protected_identity"
    assert not Participant.objects.exists()
    assert not Consent.objects.exists()


def test_anonymous_enrolments_refuse_identity_and_need_gender(
    world, registrar_access, enrolment_input
):
    errors = register_fails(
        registrar_access,
        world.a_initiative,
        enrolment_input(anonymous_reason="protected_identity", gender="", age_at_start=200),
    )
    assert set(errors) == {"personal_number", "name", "gender", "age_at_start"}
    assert "utan personnummer" in errors["personal_number"][0]
    assert "utan namn" in errors["name"][0]
    assert NAME not in str(errors)


def test_anonymous_reasons_of_later_anonymisation_cannot_be_chosen(
    world, registrar_access, enrolment_input
):
    errors = register_fails(
        registrar_access,
        world.a_initiative,
        enrolment_input(
            personal_number="", name="", anonymous_reason="retention_ended", gender="man"
        ),
    )
    assert list(errors) == ["anonymous_reason"]


@pytest.mark.parametrize(
    ("start", "fragment"),
    [
        ("tomorrow", "framtiden"),
        ("before_initiative", "insatsens start"),
        ("after_initiative", "insatsens slut"),
        ("before_association", "förbundets startdatum"),
        ("before_birth", "födelsedatumet"),
        (None, "Ange startdatum"),
    ],
)
def test_it_checks_the_start_date(world, registrar_access, enrolment_input, today, start, fragment):
    initiative = world.a_initiative
    if start == "tomorrow":
        start = today + DAY
    elif start == "before_initiative":
        start = initiative.start_date - DAY
    elif start == "after_initiative":
        initiative.end_date = today + 5 * DAY  # still running today
        initiative.save()
        start = today + 10 * DAY
    elif start == "before_association":
        initiative.start_date = world.a.start_date - 100 * DAY
        initiative.save()
        start = world.a.start_date - DAY
    elif start == "before_birth":
        initiative.start_date = datetime.date(1960, 1, 1)
        initiative.save()
        world.a.start_date = datetime.date(1960, 1, 1)
        world.a.save()
        start = datetime.date(1981, 1, 1)
    consent = ConsentInput(given_on=start or today, method="paper", form_version="v3")
    errors = register_fails(
        registrar_access, initiative, enrolment_input(start_date=start, consent=consent)
    )
    assert "start_date" in errors
    assert any(fragment in m for m in errors["start_date"])


def test_volume_initiatives_refuse_individual_enrolments(world, enrolment_input):
    volume = InitiativeFactory(association=world.a, volume=True)
    from finsam.accounts.tests.factories import InitiativeAssignmentFactory

    InitiativeAssignmentFactory(user=world.registrar, initiative=volume, role="registrar")
    access = build_access(world.registrar, world.a.pk)
    errors = register_fails(access, volume, enrolment_input())
    assert list(errors) == ["__all__"]
    assert "volyminsats" in errors["__all__"][0]


@pytest.mark.parametrize(
    ("status", "ends_in_days", "fragment"),
    [
        ("ended", None, "avslutad"),
        ("active", -1, "avslutad"),  # its end date passed before the status was changed
        ("planned", None, "inte startat"),
    ],
)
def test_only_running_initiatives_take_registrations(
    world, registrar_access, enrolment_input, today, status, ends_in_days, fragment
):
    initiative = world.a_initiative
    initiative.status = status
    if ends_in_days is not None:
        initiative.end_date = today + ends_in_days * DAY
    initiative.save()
    errors = register_fails(registrar_access, initiative, enrolment_input())
    assert list(errors) == ["__all__"]
    assert fragment in errors["__all__"][0]
    assert not Enrolment.objects.filter(initiative=initiative).exists()


def test_codes_must_come_from_the_right_list(world, registrar_access, enrolment_input, codes):
    retired = CodeFactory(code_list=CodeList.EDUCATION, code="gammal", active=False)
    errors = register_fails(
        registrar_access,
        world.a_initiative,
        enrolment_input(
            education=retired,
            referrer=codes.upper_secondary,
            income_sources_before=[codes.working],
            occupation_extent_before=150,
        ),
    )
    assert set(errors) == {
        "education",
        "referrer",
        "income_sources_before",
        "occupation_extent_before",
    }
    assert "används inte längre" in errors["education"][0]
    assert "Remittent" in errors["referrer"][0]


def test_a_person_cannot_be_active_twice_in_one_initiative(
    world, registrar_access, enrolment_input
):
    first = services.enrolment_register(
        access=registrar_access, initiative=world.a_initiative, data=enrolment_input()
    )
    errors = register_fails(registrar_access, world.a_initiative, enrolment_input())
    assert list(errors) == ["personal_number"]
    assert first.participant.pseudonym in errors["personal_number"][0]
    assert "pågående" in errors["personal_number"][0]


def test_a_person_may_reenter_after_exit_and_join_several_initiatives(
    world, enrolment_input, exit_input, today
):
    from finsam.accounts.tests.factories import InitiativeAssignmentFactory

    InitiativeAssignmentFactory(user=world.registrar, initiative=world.a_other, role="registrar")
    access = build_access(world.registrar, world.a.pk)
    first = services.enrolment_register(
        access=access,
        initiative=world.a_initiative,
        data=enrolment_input(start_date=today - 40 * DAY),
    )
    services.enrolment_exit(
        access=access, enrolment=first, data=exit_input(end_date=today - 20 * DAY)
    )
    # Overlapping the finished enrolment is refused, re-entry after it is fine.
    errors = register_fails(
        access, world.a_initiative, enrolment_input(start_date=today - 30 * DAY)
    )
    assert "samma tid" in errors["personal_number"][0]
    again = services.enrolment_register(
        access=access,
        initiative=world.a_initiative,
        data=enrolment_input(start_date=today - 10 * DAY, name=""),
    )
    elsewhere = services.enrolment_register(
        access=access, initiative=world.a_other, data=enrolment_input()
    )
    assert first.participant_id == again.participant_id == elsewhere.participant_id
    assert Participant.objects.count() == 1
    assert Participant.objects.get().name == NAME  # an empty name does not erase it
    assert Consent.objects.count() == 3  # one consent per enrolment (R3)


def test_a_wrong_registration_does_not_block_a_new_one(
    world, registrar_access, enrolment_input, exit_input, codes, today
):
    wrong = services.enrolment_register(
        access=registrar_access,
        initiative=world.a_initiative,
        data=enrolment_input(start_date=today - 5 * DAY),
    )
    services.enrolment_exit(
        access=registrar_access, enrolment=wrong, data=exit_input(exit_reason=codes.wrong)
    )
    right = services.enrolment_register(
        access=registrar_access,
        initiative=world.a_initiative,
        data=enrolment_input(start_date=today - 8 * DAY),
    )
    assert right.participant_id == wrong.participant_id
    assert Enrolment.objects.counted().count() == 1


def test_the_same_person_is_another_participant_in_another_association(world, enrolment_input):
    b_access = build_access(world.b_registrar, world.b.pk)
    a_access = build_access(world.registrar, world.a.pk)
    a = services.enrolment_register(
        access=a_access, initiative=world.a_initiative, data=enrolment_input()
    )
    b = services.enrolment_register(
        access=b_access, initiative=world.b_initiative, data=enrolment_input()
    )
    assert a.participant_id != b.participant_id
    assert a.participant.pseudonym != b.participant.pseudonym


@pytest.mark.parametrize(
    "who", ["secretariat", "manager", "board", "applicant", "analyst", "b_registrar"]
)
def test_only_the_initiatives_registrars_may_register(world, enrolment_input, who):
    user = getattr(world, who)
    association = world.b if who.startswith("b_") else world.a
    access = build_access(user, association.pk)
    with pytest.raises(PermissionDenied):
        services.enrolment_register(
            access=access, initiative=world.a_initiative, data=enrolment_input()
        )
    assert not Enrolment.objects.exists()


def test_a_registrar_cannot_register_in_another_initiative(
    world, registrar_access, enrolment_input
):
    with pytest.raises(PermissionDenied):
        services.enrolment_register(
            access=registrar_access, initiative=world.a_other, data=enrolment_input()
        )


# --- Registering out --------------------------------------------------------------------------


@pytest.fixture
def enrolled(world, registrar_access, enrolment_input, today):
    return services.enrolment_register(
        access=registrar_access,
        initiative=world.a_initiative,
        data=enrolment_input(start_date=today - 30 * DAY),
    )


def test_it_registers_out(world, registrar_access, enrolled, exit_input, codes, today):
    services.enrolment_exit(access=registrar_access, enrolment=enrolled, data=exit_input())
    enrolled.refresh_from_db()
    assert enrolled.end_date == today
    assert enrolled.exit_reason == codes.work
    assert list(enrolled.income_sources_after.all()) == [codes.salary]
    assert (enrolled.occupation_after, enrolled.occupation_extent_after) == (codes.working, 50)
    latest = enrolled.history.first()
    assert latest.history_change_reason == "Utregistrering"
    assert latest.history_type == "~"
    assert enrolled.history.count() == 2
    event = AccessEvent.objects.exclude(action="create").get()
    assert (event.action, event.pseudonyms) == ("exit", [enrolled.participant.pseudonym])


def exit_fails(access, enrolment, data):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.enrolment_exit(access=access, enrolment=enrolment, data=data)
    assert counts() == before
    with pytest.raises(ValidationError) as check:
        services.enrolment_exit_check(access=access, enrolment=enrolment, data=data)
    assert check.value.message_dict == exc.value.message_dict
    enrolment.refresh_from_db()
    assert enrolment.end_date is None
    return exc.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "key", "fragment"),
    [
        ({"end_date": "before_start"}, "end_date", "före startdatumet"),
        ({"end_date": "tomorrow"}, "end_date", "framtiden"),
        ({"end_date": None}, "end_date", "Ange slutdatum"),
        ({"exit_reason": None}, "exit_reason", "Ange avslutsanledning"),
        ({"exit_reason": "wrong_list"}, "exit_reason", "Avslutsanledning"),
        ({"occupation_extent_after": -1}, "occupation_extent_after", "0–100"),
    ],
)
def test_it_rejects_bad_exits(
    registrar_access, enrolled, exit_input, codes, today, overrides, key, fragment
):
    value = next(iter(overrides.values()))
    if value == "before_start":
        overrides = {"end_date": enrolled.start_date - DAY}
    elif value == "tomorrow":
        overrides = {"end_date": today + DAY}
    elif value == "wrong_list":
        overrides = {"exit_reason": codes.salary}
    errors = exit_fails(registrar_access, enrolled, exit_input(**overrides))
    assert list(errors) == [key]
    assert fragment in errors[key][0]


def test_an_exited_enrolment_cannot_exit_again(registrar_access, enrolled, exit_input):
    services.enrolment_exit(access=registrar_access, enrolment=enrolled, data=exit_input())
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.enrolment_exit(access=registrar_access, enrolment=enrolled, data=exit_input())
    assert "redan utregistrerat" in exc.value.message_dict["__all__"][0]
    assert counts() == before


def test_anonymous_enrolments_can_exit_too(world, registrar_access, exit_input, today):
    enrolment = EnrolmentFactory(
        initiative=world.a_initiative, anonymous=True, start_date=today - 50 * DAY
    )
    services.enrolment_exit(access=registrar_access, enrolment=enrolment, data=exit_input())
    enrolment.refresh_from_db()
    assert enrolment.end_date == today
    assert not AccessEvent.objects.exists()


def test_only_registrars_of_the_initiative_exit(world, enrolled, exit_input):
    for user, association in [(world.manager, world.a), (world.b_registrar, world.b)]:
        with pytest.raises(PermissionDenied):
            services.enrolment_exit(
                access=build_access(user, association.pk), enrolment=enrolled, data=exit_input()
            )


# --- Corrections ------------------------------------------------------------------------------


def test_corrections_keep_their_history(world, registrar_access, enrolled, codes, today):
    new_start = today - 25 * DAY
    services.enrolment_correct(
        access=registrar_access,
        enrolment=enrolled,
        changes={
            "start_date": new_start,
            "education": None,
            "income_sources_before": [codes.sickness, codes.social_assistance],
            "name": "Karl Testsson",
        },
        reason="Fel datum på blanketten",
    )
    enrolled.refresh_from_db()
    assert enrolled.start_date == new_start
    assert enrolled.education is None
    assert enrolled.participant.name == "Karl Testsson"
    assert enrolled.age_at_start == parse_personal_number(PN_MAN).age_on(new_start)
    records = list(enrolled.history.order_by("history_id"))
    assert len(records) == 2
    old, new = records
    assert old.start_date == today - 30 * DAY
    assert old.education_id == codes.upper_secondary.pk
    assert new.history_change_reason == "Fel datum på blanketten"
    assert new.history_user == world.registrar
    delta = new.diff_against(old)
    assert set(delta.changed_fields) == {"start_date", "education", "income_sources_before"}
    event = AccessEvent.objects.exclude(action="create").get()
    assert event.action == "update"
    assert "startdatum" in event.fields and "namn" in event.fields


def correct_fails(access, enrolment, changes, reason="Rättelse"):
    enrolment.refresh_from_db()
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.enrolment_correct(
            access=access, enrolment=enrolment, changes=changes, reason=reason
        )
    assert counts() == before
    with pytest.raises(ValidationError) as check:
        services.enrolment_correct_check(
            access=access, enrolment=enrolment, changes=changes, reason=reason
        )
    assert check.value.message_dict == exc.value.message_dict
    return exc.value.message_dict


def test_a_correction_needs_a_reason_and_a_change(registrar_access, enrolled, codes):
    errors = correct_fails(registrar_access, enrolled, {"education": None}, reason=" ")
    assert "Ange varför" in errors["reason"][0]
    errors = correct_fails(registrar_access, enrolled, {"education": codes.upper_secondary})
    assert "Inga ändringar" in errors["__all__"][0]


def test_the_personal_number_is_not_corrected_in_place(registrar_access, enrolled):
    errors = correct_fails(registrar_access, enrolled, {"personal_number": PN_WOMAN})
    assert "felregistrering" in errors["personal_number"][0]


def test_corrections_follow_the_rules(registrar_access, enrolled, exit_input, codes, today):
    errors = correct_fails(
        registrar_access,
        enrolled,
        {"start_date": today + DAY, "gender": "robot", "age_at_start": 3, "end_date": today},
    )
    assert set(errors) == {"start_date", "gender", "age_at_start", "end_date"}
    assert "registrera ut" in errors["end_date"][0].lower()
    services.enrolment_exit(
        access=registrar_access, enrolment=enrolled, data=exit_input(end_date=today - 5 * DAY)
    )
    errors = correct_fails(
        registrar_access,
        enrolled,
        {"end_date": enrolled.start_date - DAY, "exit_reason": codes.salary},
    )
    assert set(errors) == {"end_date", "exit_reason"}
    errors = correct_fails(registrar_access, enrolled, {"start_date": today - 2 * DAY})
    assert "efter slutdatumet" in errors["start_date"][0]


def test_reopening_a_wrong_exit_is_a_correction(registrar_access, enrolled, exit_input):
    services.enrolment_exit(access=registrar_access, enrolment=enrolled, data=exit_input())
    services.enrolment_correct(
        access=registrar_access,
        enrolment=enrolled,
        changes={"end_date": None},
        reason="Utregistrerad av misstag",
    )
    enrolled.refresh_from_db()
    assert enrolled.is_active
    assert enrolled.exit_reason is None
    assert not enrolled.income_sources_after.exists()
    assert enrolled.occupation_after is None
    reasons = list(enrolled.history.values_list("history_change_reason", flat=True))
    assert reasons == ["Utregistrerad av misstag", "Utregistrering", "Inregistrering"]


def test_reopening_is_refused_when_the_person_reentered(
    registrar_access, world, enrolled, enrolment_input, exit_input, today
):
    services.enrolment_exit(
        access=registrar_access, enrolment=enrolled, data=exit_input(end_date=today - 10 * DAY)
    )
    services.enrolment_register(
        access=registrar_access,
        initiative=world.a_initiative,
        data=enrolment_input(start_date=today - 5 * DAY),
    )
    errors = correct_fails(registrar_access, enrolled, {"end_date": None})
    assert "pågående" in errors["__all__"][0]


# --- Consent withdrawal and protected identity ------------------------------------------------


def test_withdrawing_consent_strips_the_identity(
    world, registrar_access, enrolled, today, enrolment_input
):
    pseudonym = enrolled.participant.pseudonym
    services.consent_withdraw(access=registrar_access, enrolment=enrolled, withdrawn_on=today)
    enrolled.refresh_from_db()
    assert enrolled.participant is None
    assert enrolled.anonymous_reason == "consent_withdrawn"
    assert enrolled.consent.withdrawn_on == today
    assert not Participant.objects.exists()
    # No history row can lead back to the person.
    assert not enrolled.history.filter(participant__isnull=False).exists()
    assert enrolled.history.first().history_change_reason == "Samtycket återkallat"
    event = AccessEvent.objects.filter(action="anonymise").get()
    assert (event.pseudonyms, event.actor) == ([pseudonym], world.registrar)


def test_withdrawing_one_consent_keeps_the_persons_other_enrolments(
    world, registrar_access, enrolled, enrolment_input, exit_input, today
):
    services.enrolment_exit(
        access=registrar_access, enrolment=enrolled, data=exit_input(end_date=today - 10 * DAY)
    )
    again = services.enrolment_register(
        access=registrar_access,
        initiative=world.a_initiative,
        data=enrolment_input(start_date=today - 5 * DAY),
    )
    services.consent_withdraw(access=registrar_access, enrolment=enrolled, withdrawn_on=today)
    enrolled.refresh_from_db()
    again.refresh_from_db()
    assert enrolled.participant is None
    assert again.participant is not None
    assert Participant.objects.count() == 1


def test_consent_withdrawal_validates_the_date(registrar_access, enrolled, today):
    for day, fragment in [(today + DAY, "framtiden"), (today - 60 * DAY, "före samtyckets")]:
        before = counts()
        with pytest.raises(ValidationError) as exc:
            services.consent_withdraw(access=registrar_access, enrolment=enrolled, withdrawn_on=day)
        assert fragment in exc.value.message_dict["withdrawn_on"][0]
        assert counts() == before
    enrolled.refresh_from_db()
    assert enrolled.participant is not None


def test_protected_identity_anonymises_every_enrolment_of_the_person(
    world, enrolment_input, exit_input, today
):
    access = build_access(world.registrar, world.a.pk)
    here = services.enrolment_register(
        access=access, initiative=world.a_initiative, data=enrolment_input()
    )
    # The person is also in a_other, whose participants this registrar does not register.
    elsewhere = EnrolmentFactory(initiative=world.a_other, participant=here.participant)
    pseudonym = here.participant.pseudonym
    services.participant_protect_identity(access=access, enrolment=here)
    for enrolment in (here, elsewhere):
        enrolment.refresh_from_db()
        assert enrolment.participant is None
        assert enrolment.anonymous_reason == "protected_identity"
    assert not Participant.objects.exists()
    logged = set(
        AccessEvent.objects.filter(action="anonymise").values_list(
            "initiative_id", "pseudonym_rows__pseudonym"
        )
    )
    assert logged == {(world.a_initiative.pk, pseudonym), (world.a_other.pk, pseudonym)}


def test_anonymous_enrolments_cannot_be_anonymised_again(world, registrar_access, today):
    enrolment = EnrolmentFactory(initiative=world.a_initiative, anonymous=True)
    with pytest.raises(ValidationError):
        services.participant_protect_identity(access=registrar_access, enrolment=enrolment)
    with pytest.raises(ValidationError):
        services.consent_withdraw(access=registrar_access, enrolment=enrolment, withdrawn_on=today)


def test_only_the_registrar_may_strip_identity(world, enrolled, today):
    access = build_access(world.secretariat, world.a.pk)
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(access=access, enrolment=enrolled, withdrawn_on=today)
    with pytest.raises(PermissionDenied):
        services.participant_protect_identity(access=access, enrolment=enrolled)
    enrolled.refresh_from_db()
    assert enrolled.participant is not None


# --- Retention --------------------------------------------------------------------------------


def test_identities_are_removed_after_the_retention_period(world, settings, codes):
    settings.IDENTITY_RETENTION_MONTHS = 24
    today = datetime.date(2026, 6, 30)
    old = EnrolmentFactory(
        initiative=world.a_initiative,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2024, 6, 30),
        exit_reason=codes.work,
    )
    # Same person, another (older) exit in another initiative: still gone.
    EnrolmentFactory(
        initiative=world.a_other,
        participant=old.participant,
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 6, 1),
        exit_reason=codes.work,
    )
    recent = EnrolmentFactory(
        initiative=world.a_initiative,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2024, 7, 1),
        exit_reason=codes.work,
    )
    # An old exit but still active elsewhere: kept.
    active = EnrolmentFactory(
        initiative=world.a_initiative,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
        exit_reason=codes.work,
    )
    EnrolmentFactory(initiative=world.a_other, participant=active.participant, start_date=today)
    pseudonym = old.participant.pseudonym

    assert services.anonymise_expired_identities(today=today) == 1

    old.refresh_from_db()
    assert old.participant is None
    assert old.anonymous_reason == "retention_ended"
    assert Enrolment.objects.filter(anonymous_reason="retention_ended").count() == 2
    assert not Participant.objects.filter(pseudonym=pseudonym).exists()
    assert Participant.objects.count() == 2
    recent.refresh_from_db()
    assert recent.participant is not None
    events = AccessEvent.objects.filter(action="anonymise")
    assert {(tuple(e.pseudonyms), e.initiative_id, e.channel, e.actor_id) for e in events} == {
        ((pseudonym,), world.a_initiative.pk, "system", None),
        ((pseudonym,), world.a_other.pk, "system", None),
    }
    # Running again the same day changes nothing.
    assert services.anonymise_expired_identities(today=today) == 0


@pytest.fixture
def due_for_retention(world, codes, settings):
    """As of 2024-02-01 with 12 months' retention: one person's identity is due (enrolled in
    both of A's initiatives), another's is not yet; one access-log event is past 60 months."""
    settings.IDENTITY_RETENTION_MONTHS = 12
    settings.AUDIT_RETENTION_MONTHS = 60
    due = EnrolmentFactory(
        initiative=world.a_initiative,
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2023, 1, 15),
        exit_reason=codes.work,
    )
    EnrolmentFactory(
        initiative=world.a_other,
        participant=due.participant,
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2023, 2, 1),
        exit_reason=codes.work,
    )
    EnrolmentFactory(
        initiative=world.a_initiative,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 2, 2),
        exit_reason=codes.work,
    )
    AccessEventFactory(
        initiative=world.b_initiative,
        at=timezone.make_aware(datetime.datetime(2019, 1, 31, 12, 0)),
    )
    AccessEventFactory(
        initiative=world.b_initiative,
        at=timezone.make_aware(datetime.datetime(2019, 2, 1, 0, 0)),
    )
    return due


def apply_retention(*args):
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def state():
    return (
        Participant.objects.count(),
        Enrolment.objects.filter(participant__isnull=True).count(),
        AccessEvent.objects.filter(channel="web").count(),
    )


def test_apply_retention_removes_what_is_due_and_says_so_first(world, due_for_retention):
    output = apply_retention("--today", "2024-02-01")
    lines = output.splitlines()
    assert lines[:8] == [
        "Retention as of 2024-02-01.",
        "Identities (personal identity number, name) whose last exit is 12 months old "
        "(on or before 2023-02-01):",
        "  Samordningsförbundet A / Cresco Create: 1 participants, 1 enrolments made anonymous",
        "  Samordningsförbundet A / Level Upgrade: 1 participants, 1 enrolments made anonymous",
        "  in all: 1 participants",
        "Access-log events older than 60 months (before 2019-02-01):",
        "  Samordningsförbundet B: 1 events",
        "  in all: 1 events",
    ]
    assert lines[-1] == "Removed: 1 participant identities, 1 access-log events."
    assert state() == (1, 2, 1)


def test_apply_retention_dry_run_changes_nothing(world, due_for_retention):
    output = apply_retention("--today", "2024-02-01", "--dry-run")
    assert output.splitlines()[0] == "Retention as of 2024-02-01 (dry run)."
    assert "Cresco Create: 1 participants" in output
    assert "Samordningsförbundet B: 1 events" in output
    assert output.splitlines()[-1] == "Dry run: nothing was changed."
    assert state() == (2, 0, 2)


def test_apply_retention_refuses_a_day_after_today(world, due_for_retention):
    tomorrow = timezone.localdate() + DAY
    for args in (("--today", tomorrow.isoformat()), ("--today", "2031-01-01", "--dry-run")):
        with pytest.raises(CommandError, match="is after today"):
            apply_retention(*args)
    with pytest.raises(ValueError, match="is after today"):
        services.anonymise_expired_identities(today=tomorrow)
    assert state() == (2, 0, 2)


def test_months_before_clamps_to_the_end_of_month():
    assert services.months_before(datetime.date(2024, 3, 31), 1) == datetime.date(2024, 2, 29)
    assert services.months_before(datetime.date(2024, 1, 15), 24) == datetime.date(2022, 1, 15)
