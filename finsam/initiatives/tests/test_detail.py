import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finsam.finance.tests.factories import InitiativeBudgetFactory
from finsam.initiatives import services
from finsam.initiatives.tests.conftest import code
from finsam.initiatives.tests.factories import (
    HeadCountFactory,
    InitiativeFactory,
)
from finsam.participants.models import Participant
from finsam.reference.models import CodeList
from finsam.staff.access import build_access


def url(initiative):
    return reverse("initiatives:detail", args=[initiative.pk])


@pytest.mark.parametrize(
    "role", ["operator", "secretariat", "manager", "registrar", "board", "applicant", "analyst"]
)
def test_every_role_of_a_reads_an_assigned_or_association_wide_initiative(world, client_for, role):
    response = client_for(world.user(role)).get(url(world.a_initiative))
    assert response.status_code == 200
    assert "Cresco Create" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("manager", 404),
        ("registrar", 404),
        ("applicant", 404),
        ("b_secretariat", 404),
        ("b_registrar", 404),
        ("no_role", 404),
        ("secretariat", 200),
        ("board", 200),
    ],
)
def test_who_reads_an_initiative_not_assigned_to_them(world, client_for, role, status):
    assert client_for(world.user(role)).get(url(world.a_other)).status_code == status


def test_bs_users_get_404_on_every_page_of_as_initiative(world, client_for):
    initiative = world.a_initiative
    budget = InitiativeBudgetFactory(initiative=initiative)
    urls = [
        url(initiative),
        reverse("initiatives:edit", args=[initiative.pk]),
        reverse("finance:budget_add", args=[initiative.pk]),
        reverse("finance:budget_edit", args=[initiative.pk, budget.pk]),
        reverse("initiatives:head_counts", args=[initiative.pk]),
    ]
    for user in (world.b_secretariat, world.b_registrar):
        client = client_for(user)
        for page in urls:
            assert client.get(page).status_code == 404, page
        for page in (
            reverse("finance:budget_delete", args=[initiative.pk, budget.pk]),
            reverse("initiatives:assignment_add", args=[initiative.pk]),
        ):
            assert client.post(page).status_code == 404, page


def test_it_shows_every_section(world, client_for, skovde):
    initiative = world.a_initiative
    services.initiative_update(
        access=build_access(world.secretariat),
        initiative=initiative,
        data={
            "diary_number": "SFS 2021/3",
            "specific_orientation": code(
                CodeList.SPECIFIC_ORIENTATION, "individual-motiverande-forberedande"
            ),
            "target_groups": [code(CodeList.TARGET_GROUP, "unga-16-29")],
            "municipalities": [skovde],
            "background": "Bakgrundstext",
            "purpose": "Syftestext",
            "goals": "Måltext",
            "target_group_description": "Målgruppstext",
            "method": "Metodtext",
            "referral": "Remitteringstext",
            "follow_up_description": "Uppföljningstext",
            "steering_group": "Styrgruppstext",
            "economy": "Ekonomitext",
            "planned_participants": 30,
        },
    )
    html = client_for(world.board).get(url(initiative)).content.decode()
    for text in (
        "SFS 2021/3",
        "Motiverande/förberedande",
        "Unga (16–29 år)",
        "Skövde",
        "Bakgrundstext",
        "Syftestext",
        "Måltext",
        "Målgruppstext",
        "Metodtext",
        "Remitteringstext",
        "Uppföljningstext",
        "Styrgruppstext",
        "Ekonomitext",
        "Personuppgifter/anonym",
    ):
        assert text in html, text


def test_it_shows_key_figures_as_aggregates_only(world, client_for, enrol):
    initiative = world.a_initiative
    for gender in ("woman", "woman", "man", "other"):
        enrol(initiative, gender=gender)
    enrol(initiative, gender="man", end=datetime.date(2021, 6, 1))
    enrol(initiative, gender="woman", end=datetime.date(2021, 6, 1), reason="felregistrering")
    response = client_for(world.secretariat).get(url(initiative))
    figures = response.context["figures"]
    assert (figures.active, figures.active_women, figures.active_men, figures.active_other) == (
        4,
        2,
        1,
        1,
    )
    assert (figures.total, figures.exited) == (5, 1)


def test_it_never_shows_participant_identities(world, client_for, enrol):
    participant = Participant.objects.create(
        association=world.a,
        pseudonym="P-ABC123",
        personal_number="199001011234",
        personal_number_hash="x" * 64,
        name="Anna Andersson",
        birth_year=1990,
        gender="woman",
    )
    from finsam.participants.models import Enrolment

    Enrolment.objects.create(
        initiative=world.a_initiative,
        participant=participant,
        gender="woman",
        start_date=datetime.date(2021, 1, 4),
    )
    for user in (world.secretariat, world.registrar, world.manager, world.board):
        html = client_for(user).get(url(world.a_initiative)).content.decode()
        assert "Anna Andersson" not in html
        assert "199001011234" not in html
        assert "P-ABC123" not in html


def test_volume_initiatives_show_head_counts_instead(world, client_for):
    volume = InitiativeFactory(association=world.a, name="Rehabforum", volume=True)
    HeadCountFactory(initiative=volume, month=datetime.date(2021, 4, 1), women=6, men=5, other=1)
    html = client_for(world.board).get(url(volume)).content.decode()
    assert "Deltagare senaste månaden" in html
    assert "2021-04" in html
    assert reverse("initiatives:head_counts", args=[volume.pk]) in html
    assert reverse("initiatives:head_counts", args=[world.a_initiative.pk]) not in (
        client_for(world.board).get(url(world.a_initiative)).content.decode()
    )


def test_it_shows_the_change_history(world, client_for, skovde):
    initiative = world.a_initiative
    services.initiative_update(
        access=build_access(world.manager),
        initiative=initiative,
        data={"purpose": "Nytt syfte", "municipalities": [skovde]},
    )
    services.initiative_update(
        access=build_access(world.secretariat), initiative=initiative, data={"name": "Cresco"}
    )
    response = client_for(world.board).get(url(initiative))
    newest, middle, oldest = response.context["history"]
    assert newest.who == world.secretariat and newest.fields == ["namn"]
    assert middle.who == world.manager and middle.fields == ["kommuner", "syfte"]
    assert oldest.kind == "+"
    html = response.content.decode()
    assert "Ändrade: kommuner, syfte" in html
    assert "Skapad" in html


def test_edit_controls_show_only_to_those_who_may_edit(world, client_for):
    edit = reverse("initiatives:edit", args=[world.a_initiative.pk])
    add_budget = reverse("finance:budget_add", args=[world.a_initiative.pk])
    for user in (world.secretariat, world.manager):
        html = client_for(user).get(url(world.a_initiative)).content.decode()
        assert edit in html and add_budget in html
    for user in (world.board, world.analyst, world.registrar, world.applicant, world.operator):
        html = client_for(user).get(url(world.a_initiative)).content.decode()
        assert edit not in html and add_budget not in html


def test_the_detail_page_uses_a_bounded_number_of_queries(world, client_for, enrol):
    client = client_for(world.secretariat)
    initiative = world.a_initiative
    client.get(url(initiative))
    with CaptureQueriesContext(connection) as few:
        client.get(url(initiative))
    for n in range(10):
        enrol(initiative)
        InitiativeBudgetFactory(initiative=initiative, year=2020 + n)
        services.initiative_update(
            access=build_access(world.secretariat), initiative=initiative, data={"purpose": f"v{n}"}
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url(initiative))
    assert len(many) == len(few)


def test_detail_links_the_registrar_to_the_participant_list_and_others_to_pseudonyms(
    world, client_for
):
    from django.urls import reverse

    detail = reverse("initiatives:detail", args=[world.a_initiative.pk])
    pk = world.a_initiative.pk
    identified = f'href="{reverse("participants:initiative_participants", args=[pk])}"'
    pseudonymous = f'href="{reverse("participants:initiative_follow_up", args=[pk])}"'

    body = client_for(world.registrar).get(detail).content.decode()
    assert identified in body
    body = client_for(world.secretariat).get(detail).content.decode()
    assert pseudonymous in body and identified not in body
    body = client_for(world.board).get(detail).content.decode()
    assert pseudonymous not in body and identified not in body
