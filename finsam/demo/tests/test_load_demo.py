import datetime
from collections import Counter
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management import CommandError, call_command
from django.db.models import Sum

from finsam.accounts.models import InitiativeAssignment, RoleAssignment, User
from finsam.associations.models import Association, Member
from finsam.core.roles import Role
from finsam.demo.loading import (
    LOGINS,
    PASSWORD,
    REGISTRAR_TOTP_SECRET,
    current_totp_code,
    load_demo,
    read_data,
)
from finsam.initiatives.models import HeadCount, Initiative, InitiativeBudget
from finsam.participants.identity import parse_personal_number
from finsam.participants.models import Consent, Enrolment, Participant

REPORT_DATE = datetime.date(2021, 8, 31)


@pytest.fixture
def loaded(db):
    return load_demo()


def _counts():
    models = [
        Association,
        Member,
        Initiative,
        InitiativeBudget,
        HeadCount,
        Participant,
        Enrolment,
        Consent,
        User,
        RoleAssignment,
        InitiativeAssignment,
        Authenticator,
        Initiative.history.model,
        Enrolment.history.model,
    ]
    return {m.__name__: m.objects.count() for m in models}


def test_it_creates_both_associations_and_every_initiative_of_the_data_file(loaded):
    data = read_data()
    for spec in data["associations"]:
        association = Association.objects.get(slug=spec["slug"])
        assert association.name == spec["name"]
        names = set(association.initiatives.values_list("name", flat=True))
        assert names == {i["name"] for i in spec["initiatives"]}
        shares = association.members.aggregate(total=Sum("contribution_share"))["total"]
        assert shares == 100
        assert association.municipalities.count() == len(spec["municipalities"])
    assert (
        Association.objects.filter(
            name__in=["Samordningsförbundet Skaraborg", "Samordningsförbundet Östra Skaraborg"]
        ).count()
        == 2
    )


def test_cresco_create_has_the_figures_of_its_interim_report(loaded):
    cresco = Initiative.objects.get(association__slug="skaraborg", name="Cresco Create")
    enrolments = Enrolment.objects.filter(initiative=cresco, start_date__lte=REPORT_DATE)
    assert enrolments.count() == 119
    assert Counter(enrolments.values_list("gender", flat=True)) == {"woman": 60, "man": 59}
    # 71 % aged 19–34; 60 % social assistance, 26 % sickness benefit, 14 % activity
    # compensation, 5 % sickness compensation, 5 % activity support, 1 % no public support.
    assert enrolments.filter(age_at_start__gte=19, age_at_start__lte=34).count() == 84
    sources = Counter(enrolments.values_list("income_sources_before__code", flat=True))
    assert sources == {
        "forsorjningsstod": 71,
        "sjukpenning": 31,
        "aktivitetsersattning": 17,
        "sjukersattning": 6,
        "aktivitetsstod": 6,
        "ingen-offentlig-forsorjning": 1,
    }
    assert cresco.start_date == datetime.date(2021, 1, 1)
    assert cresco.end_date == datetime.date(2023, 2, 28)
    assert cresco.owner_organisation == "Samordningsförbundet Skaraborg"


def test_other_seed_figures_are_reproduced_exactly(loaded):
    gullspang = Enrolment.objects.filter(initiative__name="Prerehab Gullspång")
    assert gullspang.count() == 12
    assert Counter(gullspang.values_list("gender", flat=True)) == {"woman": 5, "man": 7}
    exits = Counter(gullspang.exclude(end_date=None).values_list("exit_reason__code", "gender"))
    assert exits == {
        ("overgang-annan-insats", "woman"): 1,
        ("overgang-annan-insats", "man"): 1,
        ("arbete", "woman"): 1,
        ("arbete", "man"): 1,
    }
    friskvagen = Enrolment.objects.filter(initiative__name="Friskvågen")
    assert friskvagen.count() == 84
    assert friskvagen.filter(end_date=None).count() == 19
    assert friskvagen.filter(end_date=None, gender="man").count() == 2
    startgrid = Enrolment.objects.filter(initiative__name="Startgrid")
    assert startgrid.count() == 6
    assert list(startgrid.exclude(end_date=None).values_list("exit_reason__code", flat=True)) == [
        "flyttat"
    ]
    kick_off = HeadCount.objects.filter(initiative__name="Kick Off")
    totals = kick_off.aggregate(women=Sum("women"), men=Sum("men"))
    assert totals["women"] + totals["men"] == 500
    budget = InitiativeBudget.objects.get(
        initiative__association__slug="ostra-skaraborg", initiative__name="Stärka individen"
    )
    assert (budget.year, budget.amount, budget.rate_per_participant_week) == (2020, 3000000, 1500)


def test_generated_people_are_valid_and_identified_ones_have_consent(loaded):
    for participant in Participant.objects.all():
        number = parse_personal_number(participant.personal_number)
        assert number.normalized == participant.personal_number
        assert number.legal_gender == participant.gender
        assert number.birth_date.year == participant.birth_year
    identified = Enrolment.objects.exclude(participant=None).select_related("participant")
    for enrolment in identified:
        number = parse_personal_number(enrolment.participant.personal_number)
        assert enrolment.age_at_start == number.age_on(enrolment.start_date)
    assert Consent.objects.count() == identified.count()
    anonymous = Enrolment.objects.filter(participant=None)
    assert not Consent.objects.filter(enrolment__in=anonymous).exists()
    share = anonymous.count() / Enrolment.objects.count()
    assert 0.07 < share < 0.13
    assert not Enrolment.objects.filter(end_date__isnull=False, exit_reason=None).exists()
    # Two persons of Stärka individen in Karlsborg moved on to Cresco Create.
    moved = Participant.objects.filter(enrolments__initiative__name="Cresco Create").filter(
        enrolments__initiative__name="Stärka individen"
    )
    assert moved.count() == 2


def test_a_second_run_changes_nothing(loaded):
    before = _counts()
    result = load_demo()
    assert _counts() == before
    assert not any(result.created.values())


def test_every_role_has_a_demo_login(loaded, client):
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for login in LOGINS:
        user = User.objects.get(email=login.email)
        assert user.check_password(PASSWORD)
        assert user.role_assignments.filter(role=login.role).exists()
        assert user.initiative_assignments.count() == len(login.initiatives)
    registrar = User.objects.get(email="registrator@skaraborg.demo.finsam.se")
    totp = Authenticator.objects.get(user=registrar, type=Authenticator.Type.TOTP)
    assert decrypt(totp.data["secret"]) == REGISTRAR_TOTP_SECRET
    assert set(registrar.initiative_assignments.values_list("initiative__name", flat=True)) >= {
        "Cresco Create"
    }
    assert client.login(email="styrelse@skaraborg.demo.finsam.se", password=PASSWORD)
    assert len(current_totp_code()) == 6


def test_the_command_prints_the_logins_and_refuses_without_debug(db, settings):
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    for login in LOGINS:
        assert login.email in text
    assert PASSWORD in text
    assert REGISTRAR_TOTP_SECRET in text
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())


def test_the_demo_registrar_and_secretariat_can_open_cresco_create(loaded, client_for):
    from django.urls import reverse

    cresco = Initiative.objects.get(association__slug="skaraborg", name="Cresco Create")
    registrar = User.objects.get(email="registrator@skaraborg.demo.finsam.se")
    response = client_for(registrar).get(
        reverse("participants:initiative_participants", kwargs={"initiative_id": cresco.pk})
    )
    assert response.status_code == 200
    assert "Cresco Create" in response.content.decode()
    secretariat = User.objects.get(email="kansli@skaraborg.demo.finsam.se")
    response = client_for(secretariat).get(
        reverse("participants:initiative_follow_up", kwargs={"initiative_id": cresco.pk})
    )
    assert response.status_code == 200
