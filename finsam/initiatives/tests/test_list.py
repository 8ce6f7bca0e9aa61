import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finsam.initiatives.models import FollowUp, Orientation, Status
from finsam.initiatives.tests.conftest import code
from finsam.initiatives.tests.factories import HeadCountFactory, InitiativeFactory
from finsam.reference.models import CodeList

URL = reverse("initiatives:list")
HTMX = {"HX-Request": "true"}


def names(response):
    return [i.name for i in response.context["initiatives"]]


@pytest.mark.parametrize("role", ["operator", "secretariat", "board", "analyst"])
def test_it_lists_every_initiative_of_the_association_for_association_wide_roles(
    world, client_for, role
):
    response = client_for(world.user(role)).get(URL)
    assert response.status_code == 200
    assert names(response) == ["Cresco Create", "Level Upgrade"]
    assert "Rätt Hjälp" not in response.content.decode()


@pytest.mark.parametrize("role", ["manager", "registrar", "applicant"])
def test_it_lists_only_assigned_initiatives_for_initiative_scoped_roles(world, client_for, role):
    response = client_for(world.user(role)).get(URL)
    assert names(response) == ["Cresco Create"]


def test_it_lists_only_bs_initiatives_for_bs_users(world, client_for):
    for user in (world.b_secretariat, world.b_registrar):
        response = client_for(user).get(URL)
        assert names(response) == ["Rätt Hjälp"]


def test_it_shows_nothing_to_a_user_without_role(world, client_for):
    response = client_for(world.no_role).get(URL)
    assert response.status_code == 200
    assert names(response) == []


def test_it_offers_create_only_to_the_secretariat(world, client_for):
    create = reverse("initiatives:create")
    assert create in client_for(world.secretariat).get(URL).content.decode()
    for user in (world.board, world.manager, world.operator, world.analyst):
        assert create not in client_for(user).get(URL).content.decode()


def test_it_shows_what_a_manager_needs_at_a_glance(world, client_for, enrol):
    initiative = world.a_initiative
    initiative.diary_number = "SFÖS 2021/12"
    initiative.end_date = datetime.date(2022, 12, 31)
    initiative.planned_participants = 40
    initiative.save()
    initiative.target_groups.add(code(CodeList.TARGET_GROUP, "unga-16-29"))
    enrol(initiative, gender="woman")
    enrol(initiative, gender="man")
    enrol(initiative, end=datetime.date(2021, 5, 1))  # exited
    enrol(initiative, end=datetime.date(2021, 5, 1), reason="felregistrering")

    response = client_for(world.secretariat).get(URL)
    row = response.context["initiatives"][0]
    assert row.active_participants == 2
    html = response.content.decode()
    for text in (
        "Cresco Create",
        "SFÖS 2021/12",
        "Skövde kommun",
        "2020-01-01 – 2022-12-31",
        "Pågående",
        "Individinriktad",
        "Unga (16–29 år)",
        "40",
    ):
        assert text in html


def test_it_does_not_count_an_active_wrong_registration_nor_exited(world, client_for, enrol):
    enrol(world.a_initiative, end=datetime.date(2021, 3, 1), reason="felregistrering")
    enrol(world.a_initiative, end=datetime.date(2021, 3, 1))
    response = client_for(world.secretariat).get(URL)
    assert response.context["initiatives"][0].active_participants == 0


def test_it_shows_the_latest_months_head_count_for_volume_initiatives(world, client_for):
    volume = InitiativeFactory(association=world.a, name="Rehabforum", volume=True)
    HeadCountFactory(initiative=volume, month=datetime.date(2021, 1, 1), women=10, men=10)
    HeadCountFactory(initiative=volume, month=datetime.date(2021, 2, 1), women=4, men=3, other=1)
    response = client_for(world.secretariat).get(URL)
    row = next(i for i in response.context["initiatives"] if i.name == "Rehabforum")
    assert row.active_participants == 8


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cresco", ["Cresco Create"]),
        ("falköpings", ["Level Upgrade"]),
        ("2021/77", ["Level Upgrade"]),
        ("nothing matches", []),
    ],
)
def test_it_searches_name_owner_and_diary_number(world, client_for, query, expected):
    world.a_other.owner_organisation = "Falköpings kommun"
    world.a_other.diary_number = "SFS 2021/77"
    world.a_other.save()
    response = client_for(world.secretariat).get(URL, {"q": query})
    assert names(response) == expected


def test_it_filters_by_status_orientation_and_follow_up(world, client_for):
    InitiativeFactory(
        association=world.a,
        name="Rehabforum",
        orientation=Orientation.STRUCTURAL,
        follow_up=FollowUp.VOLUME,
        status=Status.ENDED,
    )
    client = client_for(world.secretariat)
    assert names(client.get(URL, {"status": "ended"})) == ["Rehabforum"]
    assert names(client.get(URL, {"orientation": "structural"})) == ["Rehabforum"]
    assert names(client.get(URL, {"follow_up": "volume"})) == ["Rehabforum"]
    assert names(client.get(URL, {"follow_up": "individual"})) == [
        "Cresco Create",
        "Level Upgrade",
    ]


def test_it_filters_by_target_group_without_duplicating_rows(world, client_for, enrol):
    young = code(CodeList.TARGET_GROUP, "unga-16-29")
    sick = code(CodeList.TARGET_GROUP, "sjukskrivna")
    world.a_initiative.target_groups.add(young, sick)
    enrol(world.a_initiative)
    response = client_for(world.secretariat).get(URL, {"target_group": young.pk})
    assert names(response) == ["Cresco Create"]
    assert response.context["initiatives"][0].active_participants == 1


def test_it_filters_by_municipality_of_the_association(world, client_for, skovde):
    world.a_other.municipalities.add(skovde)
    response = client_for(world.secretariat).get(URL, {"municipality": skovde.pk})
    assert names(response) == ["Level Upgrade"]
    form = response.context["filter"].form
    assert set(form.fields["municipality"].queryset) == set(world.a.municipalities.all())


def test_it_filters_initiatives_active_in_a_year(world, client_for):
    world.a_initiative.end_date = datetime.date(2021, 6, 30)
    world.a_initiative.save()
    InitiativeFactory(association=world.a, name="Startgrid", start_date=datetime.date(2023, 1, 1))
    client = client_for(world.secretariat)
    assert names(client.get(URL, {"year": 2021})) == ["Cresco Create", "Level Upgrade"]
    assert names(client.get(URL, {"year": 2023})) == ["Level Upgrade", "Startgrid"]


def test_it_ignores_an_invalid_filter_value(world, client_for):
    response = client_for(world.secretariat).get(URL, {"status": "nonsense"})
    assert response.status_code == 200
    assert names(response) == ["Cresco Create", "Level Upgrade"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["Aurum", "Cresco Create", "Level Upgrade"]),
        ("-name", ["Level Upgrade", "Cresco Create", "Aurum"]),
        ("-active", ["Level Upgrade", "Cresco Create", "Aurum"]),
        ("start", ["Cresco Create", "Level Upgrade", "Aurum"]),
        ("owner", ["Level Upgrade", "Cresco Create", "Aurum"]),
    ],
)
def test_it_sorts_by_columns(world, client_for, enrol, ordering, expected):
    InitiativeFactory(
        association=world.a,
        name="Aurum",
        owner_organisation="Töreboda kommun",
        start_date=datetime.date(2022, 1, 1),
    )
    world.a_other.owner_organisation = "Falköpings kommun"
    world.a_other.start_date = datetime.date(2021, 1, 1)
    world.a_other.save()
    enrol(world.a_other)
    enrol(world.a_other)
    enrol(world.a_initiative)
    response = client_for(world.secretariat).get(URL, {"o": ordering})
    assert names(response) == expected


def test_it_renders_sortable_headers_that_toggle_direction(world, client_for):
    html = client_for(world.secretariat).get(URL, {"o": "name", "status": "active"}).content
    html = html.decode()
    assert 'href="?o=-name&amp;status=active"' in html
    assert 'aria-sort="ascending"' in html


def test_it_returns_the_full_page_normally_and_only_the_table_for_htmx(world, client_for):
    client = client_for(world.secretariat)
    full = client.get(URL, {"q": "cresco"})
    partial = client.get(URL, {"q": "cresco"}, headers=HTMX)
    assert [t.name for t in full.templates][0] == "initiatives/list.html"
    assert [t.name for t in partial.templates][0] == "initiatives/_table.html"
    full_html, partial_html = full.content.decode(), partial.content.decode()
    assert "<html" in full_html and "<html" not in partial_html
    assert 'id="initiative-filter"' in full_html and 'id="initiative-filter"' not in partial_html
    assert partial_html.strip().startswith('<div id="initiative-table">')
    # The partial is exactly the table of the full page.
    assert partial_html.strip() in full_html
    assert "HX-Request" in partial["Vary"]


def test_it_returns_the_full_page_for_htmx_history_restore(world, client_for):
    response = client_for(world.secretariat).get(
        URL, headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_the_filter_form_drives_htmx(world, client_for):
    html = client_for(world.secretariat).get(URL).content.decode()
    assert f'hx-get="{URL}"' in html
    assert 'hx-trigger="change, keyup delay:300ms from:input[type=search]"' in html
    assert 'hx-target="#initiative-table"' in html
    assert 'hx-push-url="true"' in html
    assert 'type="search"' in html


def _populate(world, count, enrol, start=0):
    young = code(CodeList.TARGET_GROUP, "unga-16-29")
    for n in range(start, start + count):
        initiative = InitiativeFactory(
            association=world.a, name=f"Insats {n:03d}", volume=(n % 3 == 0)
        )
        initiative.target_groups.add(young)
        if initiative.is_volume:
            HeadCountFactory(initiative=initiative)
        else:
            enrol(initiative)
            enrol(initiative, end=datetime.date(2021, 4, 1))


def test_it_lists_in_a_constant_number_of_queries(world, client_for, enrol):
    client = client_for(world.secretariat)
    young = code(CodeList.TARGET_GROUP, "unga-16-29")
    _populate(world, 3, enrol)
    client.get(URL)  # warm up (session, content types)

    with CaptureQueriesContext(connection) as few:
        response = client.get(URL, {"target_group": young.pk, "o": "-active"})
    assert len(response.context["initiatives"]) == 3

    _populate(world, 27, enrol, start=3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"target_group": young.pk, "o": "-active"})
    assert len(response.context["initiatives"]) == 30
    assert len(many) == len(few)
    assert len(few) <= 16  # session, user, roles, filter choices, count, rows, prefetch…
