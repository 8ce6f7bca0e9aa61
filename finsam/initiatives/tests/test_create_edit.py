import datetime

import pytest
from django.urls import reverse

from finsam.initiatives.models import HeadCount, Initiative
from finsam.initiatives.tests.conftest import code
from finsam.initiatives.tests.factories import HeadCountFactory, InitiativeFactory
from finsam.reference.models import CodeList, Municipality

CREATE = reverse("initiatives:create")


def edit_url(initiative):
    return reverse("initiatives:edit", args=[initiative.pk])


@pytest.fixture
def valid(world, skovde):
    return {
        "name": "Rätt Hjälp",
        "diary_number": "SFÖS 2019/14",
        "owner_organisation": "Falköpings kommun",
        "orientation": "individual",
        "specific_orientation": code(
            CodeList.SPECIFIC_ORIENTATION, "individual-arbetslivsinriktad-rehabilitering"
        ).pk,
        "follow_up": "individual",
        "target_groups": [
            code(CodeList.TARGET_GROUP, "forsorjningsstod").pk,
            code(CodeList.TARGET_GROUP, "psykisk-ohalsa").pk,
        ],
        "municipalities": [skovde.pk],
        "esf_funded": "on",
        "start_date": "2019-09-01",
        "end_date": "2020-12-31",
        "status": "active",
        "planned_participants": "75",
        "steering_group": "AME-chef, handläggare på AME och förbundet.",
        "background": "Långvarigt ekonomiskt bistånd.",
        "purpose": "Att bryta ett biståndsberoende.",
        "goals": "20 deltagare till arbete eller studier.",
        "target_group_description": "Personer med långvarigt ekonomiskt bistånd.",
        "method": "Case management.",
        "referral": "Socialtjänsten remitterar.",
        "follow_up_description": "Registrering i finsam.",
        "economy": "1 500 kr per deltagarvecka.",
    }


def test_it_creates_an_initiative_with_every_attribute(world, client_for, valid, skovde):
    response = client_for(world.secretariat).post(CREATE, valid)
    initiative = Initiative.objects.get(association=world.a, name="Rätt Hjälp")
    assert response.status_code == 302
    assert response["Location"] == reverse("initiatives:detail", args=[initiative.pk])
    assert initiative.diary_number == "SFÖS 2019/14"
    assert initiative.owner_organisation == "Falköpings kommun"
    assert initiative.specific_orientation.code == "individual-arbetslivsinriktad-rehabilitering"
    assert {g.code for g in initiative.target_groups.all()} == {
        "forsorjningsstod",
        "psykisk-ohalsa",
    }
    assert list(initiative.municipalities.all()) == [skovde]
    assert initiative.esf_funded is True
    assert initiative.start_date == datetime.date(2019, 9, 1)
    assert initiative.end_date == datetime.date(2020, 12, 31)
    assert initiative.planned_participants == 75
    for field in (
        "steering_group",
        "background",
        "purpose",
        "goals",
        "target_group_description",
        "method",
        "referral",
        "follow_up_description",
        "economy",
    ):
        assert getattr(initiative, field) == valid[field]
    record = initiative.history.get()
    assert record.history_type == "+"
    assert record.history_user == world.secretariat


def test_the_create_form_shows_every_field_and_the_r11_help(world, client_for):
    response = client_for(world.secretariat).get(CREATE)
    html = response.content.decode()
    for name in (
        "name",
        "diary_number",
        "owner_organisation",
        "orientation",
        "specific_orientation",
        "follow_up",
        "target_groups",
        "municipalities",
        "esf_funded",
        "start_date",
        "end_date",
        "status",
        "planned_participants",
        "steering_group",
        "background",
        "purpose",
        "goals",
        "target_group_description",
        "method",
        "referral",
        "follow_up_description",
        "economy",
    ):
        assert f'name="{name}"' in html, name
    assert "kan inte ändras när insatsen har registrerade deltagare" in html
    assert "R11" not in html  # no internal rule codes in messages
    assert 'hx-get="/initiatives/specific-orientations/"' in html


def test_the_form_offers_specific_orientations_of_the_chosen_orientation_only(world, client_for):
    form = client_for(world.secretariat).get(CREATE).context["form"]
    categories = {c.category for c in form.fields["specific_orientation"].queryset}
    assert categories == {"individual"}


def test_the_form_offers_only_the_associations_municipalities(world, client_for, skovde):
    form = client_for(world.secretariat).get(CREATE).context["form"]
    assert set(form.fields["municipalities"].queryset) == set(world.a.municipalities.all())
    assert form.fields["municipalities"].queryset.count() == 2


def test_it_returns_specific_orientation_options_for_htmx(world, client_for):
    url = reverse("initiatives:specific_orientation_options")
    html = client_for(world.secretariat).get(url, {"orientation": "structural"}).content.decode()
    assert "Kompetensutveckling/utbildning" in html
    assert "Förebyggande" not in html
    empty = client_for(world.secretariat).get(url).content.decode()
    assert empty.count("<option") == 1


def _assert_rejected(response, field, message):
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors, response.context["form"].errors


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": "Cresco Create"}, "name", "Det finns redan en insats med namnet"),
        ({"name": "cresco create"}, "name", "Det finns redan en insats med namnet"),
        ({"name": ""}, "name", "Det här fältet är obligatoriskt."),
        ({"owner_organisation": ""}, "owner_organisation", "Det här fältet är obligatoriskt."),
        ({"end_date": "2019-08-31"}, "end_date", "Slutdatum kan inte vara före startdatum."),
        ({"start_date": "1999-01-01", "end_date": ""}, "start_date", "förbundets startdatum"),
        ({"start_date": "31/12"}, "start_date", "Fyll i ett giltigt datum."),
        (
            {"specific_orientation": "__structural__"},
            "specific_orientation",
            "Välj ett giltigt alternativ",
        ),
        ({"municipalities": ["__goteborg__"]}, "municipalities", "Välj ett giltigt alternativ"),
        ({"planned_participants": "-3"}, "planned_participants", "större än eller lika med 0"),
        ({"status": "paused"}, "status", "Välj ett giltigt alternativ"),
    ],
)
def test_it_rejects_bad_input_and_saves_nothing(world, client_for, valid, change, field, message):
    data = {**valid, **change}
    if data.get("specific_orientation") == "__structural__":
        data["specific_orientation"] = code(
            CodeList.SPECIFIC_ORIENTATION, "structural-kompetensutveckling-utbildning"
        ).pk
    if data.get("municipalities") == ["__goteborg__"]:
        data["municipalities"] = [Municipality.objects.get(code="1480").pk]
    before = Initiative.objects.count()
    response = client_for(world.secretariat).post(CREATE, data)
    _assert_rejected(response, field, message)
    assert Initiative.objects.count() == before


def test_a_name_may_repeat_in_another_association(world, client_for, valid):
    valid["name"] = "Rätt Hjälp"  # B's initiative
    client_for(world.secretariat).post(CREATE, valid)
    assert Initiative.objects.filter(name="Rätt Hjälp").count() == 2


@pytest.mark.parametrize(
    "role", ["operator", "manager", "registrar", "board", "applicant", "analyst"]
)
def test_only_the_secretariat_may_create(world, client_for, valid, role):
    client = client_for(world.user(role))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, valid).status_code == 403
    assert not Initiative.objects.filter(name="Rätt Hjälp", association=world.a).exists()


def test_a_user_without_role_may_not_create(world, client_for, valid):
    assert client_for(world.no_role).post(CREATE, valid).status_code == 403


def test_bs_secretariat_creates_in_b(world, client_for, valid):
    valid["name"] = "Ny insats i B"
    valid["municipalities"] = []
    client_for(world.b_secretariat).post(CREATE, valid)
    assert Initiative.objects.get(name="Ny insats i B").association == world.b


# --- Edit --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["secretariat", "manager"])
def test_it_edits_an_initiative(world, client_for, valid, role):
    initiative = world.a_initiative
    valid["name"] = "Cresco Create 2.0"
    response = client_for(world.user(role)).post(edit_url(initiative), valid)
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.name == "Cresco Create 2.0"
    assert initiative.esf_funded is True
    assert initiative.target_groups.count() == 2
    latest = initiative.history.first()
    assert latest.history_user == world.user(role)
    assert initiative.history.count() == 2  # one record per save, m2m included


def test_the_edit_form_is_prefilled(world, client_for):
    world.a_initiative.purpose = "Att stärka individen."
    world.a_initiative.save()
    html = client_for(world.secretariat).get(edit_url(world.a_initiative)).content.decode()
    assert "Att stärka individen." in html
    assert 'value="Cresco Create"' in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": "Level Upgrade"}, "name", "Det finns redan en insats med namnet"),
        ({"end_date": "2019-01-01"}, "end_date", "Slutdatum kan inte vara före startdatum."),
        ({"start_date": "1990-01-01"}, "start_date", "förbundets startdatum"),
    ],
)
def test_an_edit_with_bad_input_saves_nothing(world, client_for, valid, change, field, message):
    initiative = world.a_initiative
    response = client_for(world.secretariat).post(edit_url(initiative), {**valid, **change})
    _assert_rejected(response, field, message)
    initiative.refresh_from_db()
    assert initiative.name == "Cresco Create"
    assert initiative.target_groups.count() == 0
    assert initiative.history.count() == 1
    # The heading shows the stored name, not the rejected input.
    assert "Ändra Cresco Create" in response.content.decode()


def test_orientation_follow_up_and_esf_are_locked_once_enrolments_exist(
    world, client_for, valid, enrol
):
    initiative = world.a_initiative
    enrol(initiative)
    client = client_for(world.secretariat)
    form = client.get(edit_url(initiative)).context["form"]
    assert form.fields["orientation"].disabled
    assert form.fields["follow_up"].disabled
    assert form.fields["esf_funded"].disabled
    assert "låsta" in client.get(edit_url(initiative)).content.decode()

    valid.update(
        name="Cresco",
        orientation="structural",
        specific_orientation="",
        follow_up="volume",
        esf_funded="on",
        end_date="",
    )
    response = client.post(edit_url(initiative), valid)
    assert response.status_code == 302, response.context["form"].errors
    initiative.refresh_from_db()
    assert initiative.name == "Cresco"  # other fields still change
    assert (initiative.orientation, initiative.follow_up, initiative.esf_funded) == (
        "individual",
        "individual",
        False,
    )


def test_orientation_is_locked_once_head_counts_exist(world, client_for):
    volume = InitiativeFactory(association=world.a, name="Rehabforum", volume=True)
    HeadCountFactory(initiative=volume)
    form = client_for(world.secretariat).get(edit_url(volume)).context["form"]
    assert form.fields["follow_up"].disabled


def test_orientation_can_change_before_any_registration(world, client_for, valid):
    valid.update(
        orientation="structural",
        specific_orientation=code(
            CodeList.SPECIFIC_ORIENTATION, "structural-information-konferens"
        ).pk,
        follow_up="volume",
    )
    client_for(world.secretariat).post(edit_url(world.a_initiative), valid)
    world.a_initiative.refresh_from_db()
    assert world.a_initiative.orientation == "structural"
    assert world.a_initiative.is_volume


def test_the_period_must_keep_covering_registrations(world, client_for, valid, enrol):
    enrol(world.a_initiative, start=datetime.date(2020, 3, 1))
    valid.update(start_date="2020-06-01", end_date="")
    response = client_for(world.secretariat).post(edit_url(world.a_initiative), valid)
    _assert_rejected(response, "start_date", "Det finns registreringar före det nya startdatumet")
    world.a_initiative.refresh_from_db()
    assert world.a_initiative.start_date == datetime.date(2020, 1, 1)


def test_the_period_must_keep_covering_head_counts(world, client_for, valid):
    volume = InitiativeFactory(association=world.a, name="Rehabforum", volume=True)
    HeadCountFactory(initiative=volume, month=datetime.date(2021, 3, 1))
    valid.update(name="Rehabforum", follow_up="volume", start_date="2020-01-01")
    valid["end_date"] = "2021-02-28"
    response = client_for(world.secretariat).post(edit_url(volume), valid)
    _assert_rejected(response, "end_date", "Det finns registreringar efter det nya slutdatumet")
    valid["end_date"] = "2021-03-15"  # the month is still inside the period
    assert client_for(world.secretariat).post(edit_url(volume), valid).status_code == 302
    assert HeadCount.objects.filter(initiative=volume).count() == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("operator", 403),
        ("board", 403),
        ("analyst", 403),
        ("registrar", 403),
        ("applicant", 403),
        ("b_secretariat", 404),
        ("b_registrar", 404),
        ("no_role", 404),
    ],
)
def test_who_may_not_edit_an_initiative(world, client_for, valid, role, status):
    client = client_for(world.user(role))
    assert client.get(edit_url(world.a_initiative)).status_code == status
    assert client.post(edit_url(world.a_initiative), valid).status_code == status
    world.a_initiative.refresh_from_db()
    assert world.a_initiative.name == "Cresco Create"


def test_a_manager_may_not_edit_an_initiative_they_are_not_assigned_to(world, client_for, valid):
    response = client_for(world.manager).post(edit_url(world.a_other), valid)
    assert response.status_code == 404
