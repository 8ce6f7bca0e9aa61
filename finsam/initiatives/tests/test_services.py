"""The rules live in the services; the API and the pages both go through them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from finsam.accounts.models import InitiativeAssignment
from finsam.core.roles import Role
from finsam.initiatives import services
from finsam.initiatives.models import HeadCount, Initiative
from finsam.initiatives.tests.conftest import code
from finsam.initiatives.tests.factories import (
    HeadCountFactory,
    InitiativeFactory,
)
from finsam.reference.models import CodeList, Municipality
from finsam.staff.access import build_access

TODAY = datetime.date(2026, 6, 15)


def create(world, **kwargs):
    defaults = {
        "access": build_access(world.secretariat),
        "association": world.a,
        "name": "Startgrid",
        "owner_organisation": "Mariestads kommun",
        "start_date": datetime.date(2021, 1, 1),
    }
    return services.initiative_create(**{**defaults, **kwargs})


def errors(excinfo):
    return excinfo.value.message_dict


def test_it_creates_with_one_history_record_including_many_to_many(world, skovde):
    young = code(CodeList.TARGET_GROUP, "unga-16-29")
    initiative = create(world, target_groups=[young], municipalities=[skovde])
    (record,) = initiative.history.all()
    assert record.history_type == "+"
    assert list(record.target_groups.values_list("code_id", flat=True)) == [young.pk]
    assert record.history_user == world.secretariat


def test_it_strips_the_name(world):
    assert create(world, name="  Startgrid ").name == "Startgrid"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"name": "CRESCO CREATE"}, "name", "Det finns redan en insats med namnet"),
        (
            {"end_date": datetime.date(2020, 12, 31)},
            "end_date",
            "Slutdatum kan inte vara före startdatum.",
        ),
        ({"start_date": datetime.date(1990, 1, 1)}, "start_date", "förbundets startdatum"),
        ({"owner_organisation": ""}, "owner_organisation", ""),
        ({"status": "paused"}, "status", ""),
    ],
)
def test_create_rejects_broken_rules(world, kwargs, field, message):
    with pytest.raises(ValidationError) as excinfo:
        create(world, **kwargs)
    assert field in errors(excinfo)
    assert message in " ".join(errors(excinfo)[field])
    assert not Initiative.objects.filter(name="Startgrid").exists()


def test_create_rejects_a_specific_orientation_of_the_other_orientation(world):
    structural = code(CodeList.SPECIFIC_ORIENTATION, "structural-information-konferens")
    with pytest.raises(ValidationError) as excinfo:
        create(world, orientation="individual", specific_orientation=structural)
    assert errors(excinfo)["specific_orientation"] == [
        "Den preciserade inriktningen hör inte till vald inriktning."
    ]


def test_create_rejects_municipalities_outside_the_association(world, skovde):
    goteborg = Municipality.objects.get(code="1480")
    with pytest.raises(ValidationError) as excinfo:
        create(world, municipalities=[skovde, goteborg])
    assert errors(excinfo)["municipalities"] == ["Göteborg ingår inte i förbundets område."]


def test_create_rejects_codes_of_another_list_as_target_groups(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, target_groups=[code(CodeList.EXIT_REASON, "arbete")])
    assert "target_groups" in errors(excinfo)


@pytest.mark.parametrize(
    ("field", "value"),
    [("orientation", "structural"), ("follow_up", "volume"), ("esf_funded", True)],
)
def test_r11_fixes_orientation_follow_up_and_esf_once_enrolled(world, enrol, field, value):
    initiative = world.a_initiative
    enrol(initiative)
    with pytest.raises(ValidationError) as excinfo:
        services.initiative_update(
            access=build_access(world.secretariat),
            initiative=initiative,
            data={field: value, "name": "X"},
        )
    assert "kan inte ändras när insatsen har registrerade deltagare" in errors(excinfo)[field][0]
    initiative.refresh_from_db()
    assert initiative.name == "Cresco Create"
    assert initiative.history.count() == 1


def test_r11_applies_to_head_counts_too(world):
    volume = InitiativeFactory(association=world.a, volume=True)
    HeadCountFactory(initiative=volume)
    with pytest.raises(ValidationError):
        services.initiative_update(
            access=build_access(world.secretariat),
            initiative=volume,
            data={"follow_up": "individual"},
        )


def test_update_compares_with_the_stored_row_not_the_instance_in_memory(world, enrol):
    initiative = world.a_initiative
    enrol(initiative)
    initiative.orientation = "structural"  # e.g. changed in memory by a ModelForm
    with pytest.raises(ValidationError):
        services.initiative_update(
            access=build_access(world.secretariat),
            initiative=initiative,
            data={"orientation": "structural"},
        )


def test_update_records_who_and_which_fields(world, skovde):
    initiative = world.a_initiative
    services.initiative_update(
        access=build_access(world.manager),
        initiative=initiative,
        data={"purpose": "Nytt syfte", "municipalities": [skovde]},
    )
    latest, first = initiative.history.all()[:2]
    assert latest.history_user == world.manager
    assert latest.diff_against(first).changed_fields == ["municipalities", "purpose"]


def test_update_refreshes_the_callers_instance(world):
    initiative = world.a_initiative
    services.initiative_update(
        access=build_access(world.secretariat), initiative=initiative, data={"name": "Cresco"}
    )
    assert initiative.name == "Cresco"


def test_structural_initiatives_may_follow_persons(world):
    # Seed 003 has structural initiatives that report their participants one by one;
    # "structural → head counts" is the default in the form's help, not a rule.
    initiative = create(world, orientation="structural", follow_up="individual")
    assert not initiative.is_volume


def test_update_refuses_unknown_fields(world):
    with pytest.raises(ValueError):
        services.initiative_update(
            access=build_access(world.secretariat),
            initiative=world.a_initiative,
            data={"association": world.b},
        )


# --- Head counts ---------------------------------------------------------------------------


@pytest.fixture
def volume(world):
    return InitiativeFactory(
        association=world.a,
        name="Rehabforum",
        volume=True,
        start_date=datetime.date(2021, 3, 15),
        end_date=datetime.date(2026, 12, 31),
    )


def count(world, volume, **kwargs):
    defaults = {
        "access": build_access(world.secretariat),
        "initiative": volume,
        "month": datetime.date(2021, 3, 1),
        "women": 5,
        "men": 4,
        "other": 1,
        "today": TODAY,
    }
    return services.head_count_save(**{**defaults, **kwargs})


def test_it_upserts_a_months_head_count_on_the_first_day(world, volume):
    count(world, volume, month=datetime.date(2021, 3, 20))
    count(world, volume, month=datetime.date(2021, 3, 1), women=7)
    (stored,) = HeadCount.objects.all()
    assert (stored.month, stored.women, stored.men, stored.other) == (
        datetime.date(2021, 3, 1),
        7,
        4,
        1,
    )


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"month": datetime.date(2021, 2, 1)}, "month", "utanför insatsens period"),
        ({"month": datetime.date(2027, 1, 1)}, "month", "utanför insatsens period"),
        ({"month": datetime.date(2026, 7, 1)}, "month", "kommande månad"),
        ({"women": -1}, "women", "Värdet kan inte vara negativt."),
        ({"other": None}, "other", "Ange ett antal"),
    ],
)
def test_a_bad_head_count_is_not_saved(world, volume, kwargs, field, message):
    with pytest.raises(ValidationError) as excinfo:
        count(world, volume, **kwargs)
    assert message in errors(excinfo)[field][0]
    assert not HeadCount.objects.exists()


def test_individual_initiatives_have_no_head_counts(world):
    with pytest.raises(ValidationError, match="bara för volyminsatser"):
        count(world, world.a_initiative)


# --- Assignments ---------------------------------------------------------------------------


def test_it_assigns_a_user_holding_the_role(world):
    services.assignment_add(
        access=build_access(world.secretariat),
        initiative=world.a_other,
        user=world.registrar,
        role="registrar",
    )
    assert InitiativeAssignment.objects.filter(
        user=world.registrar, initiative=world.a_other, role=Role.REGISTRAR
    ).exists()


@pytest.mark.parametrize(
    ("user", "role", "message"),
    [
        ("board", "registrar", "Användaren har inte rollen deltagaransvarig i förbundet."),
        ("b_registrar", "registrar", "Användaren har inte rollen deltagaransvarig i förbundet."),
        ("registrar", "board", "Den rollen kan inte knytas till en insats."),
        ("manager", "initiative_manager", "Användaren är redan insatsansvarig för insatsen."),
    ],
)
def test_it_refuses_bad_assignments(world, user, role, message):
    before = InitiativeAssignment.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.assignment_add(
            access=build_access(world.secretariat),
            initiative=world.a_initiative,
            user=world.user(user),
            role=role,
        )
    assert message in excinfo.value.messages
    assert InitiativeAssignment.objects.count() == before


def test_it_removes_an_assignment(world):
    assignment = InitiativeAssignment.objects.get(user=world.registrar)
    services.assignment_remove(access=build_access(world.secretariat), assignment=assignment)
    assert not InitiativeAssignment.objects.filter(user=world.registrar).exists()
