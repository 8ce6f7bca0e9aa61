"""Recording ratings: bad input gives Swedish messages and saves nothing, a double submit is
stored once, both logs are written (the change log with field names only), only the
initiative's registrars write; dimensions: the secretariat, scales fixed once rated."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from finsam.audit.models import AccessEvent, ChangeEvent
from finsam.participants.models import Gender
from finsam.progression import services
from finsam.progression.models import Dimension, Rating, RatingOccasion
from finsam.progression.tests.conftest import START
from finsam.reference.models import CodeList
from finsam.reference.tests.factories import CodeFactory
from finsam.staff.access import build_access


def _record(access, enrolment, values, rated_on=START, rater="self", occasion=None):
    return services.occasion_record(
        access=access,
        enrolment=enrolment,
        rated_on=rated_on,
        rater=rater,
        values=values,
        occasion=occasion,
    )


def _errors(call):
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict


def test_recording_writes_the_occasion_both_logs_and_no_values_in_the_change_log(
    world, activity, future, enrol, registrar_access
):
    enrolment = enrol()
    occasion = _record(registrar_access, enrolment, {activity.pk: 4, future.pk: 7})
    assert dict(occasion.ratings.values_list("dimension_id", "value")) == {
        activity.pk: 4,
        future.pk: 7,
    }
    event = ChangeEvent.objects.get(action="progression.rating_record")
    assert event.object_type == "progression.ratingoccasion"
    assert event.object_label == enrolment.participant.pseudonym
    assert set(event.changes) == {"rated_on", "rater", "Aktivitetsnivå", "Syn på framtiden"}
    assert all(value is None for value in event.changes.values())  # names only, never values
    logged = AccessEvent.objects.get(action="create")
    assert logged.pseudonyms == [enrolment.participant.pseudonym]
    assert logged.fields == services.RATING_FIELDS


def test_a_change_is_recorded_by_field_names(world, activity, future, enrol, registrar_access):
    enrolment = enrol()
    occasion = _record(registrar_access, enrolment, {activity.pk: 4, future.pk: 7})
    _record(registrar_access, enrolment, {activity.pk: 5, future.pk: None}, occasion=occasion)
    assert dict(occasion.ratings.values_list("dimension_id", "value")) == {activity.pk: 5}
    event = ChangeEvent.objects.get(action="progression.rating_change")
    assert event.changes == {"Aktivitetsnivå": None, "Syn på framtiden": None}
    assert AccessEvent.objects.filter(action="update").count() == 1


def test_a_double_submit_is_stored_once(world, activity, enrol, registrar_access):
    enrolment = enrol()
    first = _record(registrar_access, enrolment, {activity.pk: 4})
    second = _record(registrar_access, enrolment, {activity.pk: 4})
    assert first.pk == second.pk
    assert RatingOccasion.objects.count() == 1 and Rating.objects.count() == 1
    assert ChangeEvent.objects.filter(action="progression.rating_record").count() == 1
    # Other values for the same day and rater: a clear message, not a second occasion.
    errors = _errors(lambda: _record(registrar_access, enrolment, {activity.pk: 6}))
    assert errors["rated_on"] == [
        "Det finns redan en skattning av deltagaren själv den 2021-02-01. Ändra den i stället."
    ]
    assert Rating.objects.get().value == 4


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (11, "Ange ett värde från 1 till 10."),
        (0, "Ange ett värde från 1 till 10."),
        ("4,5", "Ange ett heltal."),
        ("x", "Ange ett heltal."),
    ],
)
def test_a_value_outside_the_scale_saves_nothing(
    world, activity, future, enrol, registrar_access, value, message
):
    errors = _errors(lambda: _record(registrar_access, enrol(), {future.pk: 5, activity.pk: value}))
    assert errors == {f"dimension_{activity.pk}": [message]}
    assert not RatingOccasion.objects.exists() and not Rating.objects.exists()
    assert not ChangeEvent.objects.exists() and not AccessEvent.objects.exists()


def test_dates_outside_the_enrolment(world, activity, enrol, registrar_access):
    reason = CodeFactory(code_list=CodeList.EXIT_REASON, code="arbete", label_sv="Arbete")
    enrolment = enrol(end_date=datetime.date(2021, 5, 31), exit_reason=reason)
    before = _errors(
        lambda: _record(
            registrar_access, enrolment, {activity.pk: 3}, START.replace(day=1, month=1)
        )
    )
    assert before == {"rated_on": ["Datumet ligger före deltagandets start (2021-02-01)."]}
    after = _errors(
        lambda: _record(registrar_access, enrolment, {activity.pk: 3}, datetime.date(2021, 6, 1))
    )
    assert after == {"rated_on": ["Datumet ligger efter deltagandets slut (2021-05-31)."]}
    missing = _errors(lambda: _record(registrar_access, enrolment, {activity.pk: 3}, None))
    assert missing == {"rated_on": ["Ange datum för skattningen."]}
    future_day = datetime.date.today() + datetime.timedelta(days=3)
    running = enrol()
    assert _errors(lambda: _record(registrar_access, running, {activity.pk: 3}, future_day)) == {
        "rated_on": ["Datumet får inte ligga i framtiden."]
    }
    assert not RatingOccasion.objects.exists()


def test_a_dimension_not_in_use_or_not_rated_by_the_rater(
    world, activity, future, enrol, registrar_access
):
    activity.is_active = False
    activity.save()
    enrolment = enrol()
    errors = _errors(lambda: _record(registrar_access, enrolment, {activity.pk: 3, future.pk: 3}))
    assert errors == {
        f"dimension_{activity.pk}": ["Dimensionen Aktivitetsnivå används inte längre."]
    }
    # The future is rated by the participant only.
    errors = _errors(lambda: _record(registrar_access, enrolment, {future.pk: 3}, rater="coach"))
    assert errors == {f"dimension_{future.pk}": ["Syn på framtiden skattas inte av coach."]}
    other = Dimension.objects.create(association=world.b, name="Annat förbunds")
    errors = _errors(lambda: _record(registrar_access, enrolment, {other.pk: 3}))
    assert errors["__all__"] == ["Skattningen gäller en okänd dimension."]
    assert _errors(lambda: _record(registrar_access, enrolment, {future.pk: None})) == {
        "__all__": ["Ange minst ett värde."]
    }
    assert _errors(lambda: _record(registrar_access, enrolment, {future.pk: 3}, rater="boss")) == {
        "rater": ["Välj vem som skattade."]
    }
    assert not RatingOccasion.objects.exists()


def test_an_anonymised_enrolment_gets_no_new_ratings(world, activity, enrol, registrar_access):
    # Registered anonymously (no consent): rated without identity, like its registration.
    anonymous = enrol(anonymous=True)
    _record(registrar_access, anonymous, {activity.pk: 3})
    assert AccessEvent.objects.get(action="create").pseudonyms == [anonymous.pseudonym]
    withdrawn = enrol(anonymous=True, anonymous_reason="consent_withdrawn")
    errors = _errors(lambda: _record(registrar_access, withdrawn, {activity.pk: 3}))
    assert errors == {
        "__all__": ["Deltagandet är avidentifierat: inga nya skattningar registreras."]
    }
    assert RatingOccasion.objects.count() == 1


@pytest.mark.parametrize("role", ["secretariat", "manager", "board", "analyst", "b_registrar"])
def test_only_the_initiatives_registrars_record(world, activity, enrol, role):
    with pytest.raises(PermissionDenied):
        _record(build_access(world.user(role)), enrol(Gender.MAN), {activity.pk: 3})
    assert not RatingOccasion.objects.exists()


def test_deleting_an_occasion_is_logged(world, activity, enrol, registrar_access):
    occasion = _record(registrar_access, enrol(), {activity.pk: 3})
    services.occasion_delete(access=registrar_access, occasion=occasion)
    assert not RatingOccasion.objects.exists() and not Rating.objects.exists()
    assert ChangeEvent.objects.filter(action="progression.rating_delete").exists()


# --- Dimensions --------------------------------------------------------------------------------


def _dimension_data(**overrides):
    data = {
        "name": "Arbetsförmåga",
        "description": "",
        "scale_min": 1,
        "scale_max": 5,
        "min_label": "Låg",
        "max_label": "Hög",
        "rated_by": "both",
        "improvement_step": 1,
        "is_active": True,
    }
    return {**data, **overrides}


def test_the_secretariat_adds_and_changes_dimensions(world):
    access = build_access(world.secretariat)
    dimension = services.dimension_save(access=access, association=world.a, **_dimension_data())
    assert (dimension.scale_min, dimension.scale_max, dimension.is_example) == (1, 5, False)
    services.dimension_save(
        access=access,
        association=world.a,
        dimension=dimension,
        **_dimension_data(improvement_step=2, is_active=False),
    )
    event = ChangeEvent.objects.get(action="progression.dimension_change")
    assert event.changes == {"improvement_step": [1, 2], "is_active": [True, False]}
    with pytest.raises(PermissionDenied):
        services.dimension_save(
            access=build_access(world.board), association=world.a, **_dimension_data(name="X")
        )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": " "}, "name", "Ange dimensionens namn."),
        ({"name": "aktivitetsnivå"}, "name", "Det finns redan en dimension med det namnet."),
        ({"scale_max": 1}, "scale_max", "Det högsta värdet måste vara större än det lägsta."),
        ({"scale_max": 101}, "scale_max", "Skalan kan inte gå över 100."),
        ({"scale_min": None}, "scale_min", "Ange skalans lägsta värde."),
        ({"improvement_step": 0}, "improvement_step", "Ange ett steg på minst 1."),
        (
            {"improvement_step": 5},
            "improvement_step",
            "Steget kan inte vara större än skalans längd (4).",
        ),
        ({"rated_by": "boss"}, "rated_by", "Välj vem som skattar."),
    ],
)
def test_bad_dimensions_are_refused_in_swedish(world, activity, overrides, field, message):
    access = build_access(world.secretariat)
    errors = _errors(
        lambda: services.dimension_save(
            access=access, association=world.a, **_dimension_data(**overrides)
        )
    )
    assert errors[field] == [message]
    assert Dimension.objects.count() == 1


def test_a_rated_dimensions_scale_is_fixed(world, activity, enrol, registrar_access):
    _record(registrar_access, enrol(), {activity.pk: 3})
    access = build_access(world.secretariat)
    data = _dimension_data(name="Aktivitetsnivå", scale_max=5)
    errors = _errors(
        lambda: services.dimension_save(
            access=access, association=world.a, dimension=activity, **data
        )
    )
    assert "Skalan kan inte ändras" in errors["scale_min"][0]
    activity.refresh_from_db()
    assert activity.scale_max == 10


def test_the_example_set_is_added_once_and_marked(world):
    access = build_access(world.secretariat)
    added = services.dimensions_add_examples(access=access, association=world.a)
    assert [d.name for d in added][:2] == ["Aktivitetsnivå", "Fysisk hälsa"]
    assert len(added) == 6 and all(d.is_example for d in added)
    assert services.dimensions_add_examples(access=access, association=world.a) == []
    assert not Dimension.objects.filter(association=world.b).exists()
