"""Browsing the access log: secretariat and operator only, own association only, filters, CSV."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from finsam.audit.models import AccessedPseudonym, AccessEvent, Action
from finsam.audit.services import log_access
from finsam.audit.tests.factories import AccessEventFactory
from finsam.core.access import SESSION_KEY
from finsam.participants.tests.factories import EnrolmentFactory, ParticipantFactory
from finsam.staff.access import build_access

URL = reverse("audit:log")
CSV_URL = reverse("audit:log_csv")


@pytest.fixture
def events(world):
    """Three events in A (two initiatives, two dates) and one in B."""
    a_access = build_access(world.registrar, world.a.pk)
    AccessEventFactory(
        actor=world.registrar,
        initiative=world.a_initiative,
        at=timezone.make_aware(datetime.datetime(2025, 1, 15, 10, 0)),
        pseudonyms=["AAA222"],
    )
    log_access(
        access=a_access,
        action=Action.VIEW,
        initiative=world.a_initiative,
        pseudonyms=["AAA111"],
        fields="personnummer, namn",
    )
    AccessEventFactory(
        actor=world.manager,
        actor_role="initiative_manager",
        initiative=world.a_other,
        action=Action.EXPORT,
        pseudonyms=["OTH333"],
        channel="api",
    )
    b_access = build_access(world.b_registrar, world.b.pk)
    log_access(
        access=b_access,
        action=Action.UPDATE,
        initiative=world.b_initiative,
        pseudonyms=["BBB999"],
        fields="namn",
    )


def pseudonyms(response):
    return [p for event in response.context["events"] for p in event.pseudonyms]


def test_the_secretariat_sees_its_association_events_newest_first(world, events, client_for):
    response = client_for(world.secretariat).get(URL)
    assert response.status_code == 200
    assert pseudonyms(response) == ["OTH333", "AAA111", "AAA222"]
    content = response.content.decode()
    assert "registrator@example.se" in content
    assert "Deltagaransvarig" in content
    assert "Läste" in content
    assert "Cresco Create" in content
    assert "personnummer, namn" in content
    assert "BBB999" not in content
    assert "registrator-b@example.se" not in content


def test_the_page_and_csv_show_no_personal_data(world, client_for):
    """The log names the participant by pseudonym; identity number and name never appear."""
    participant = ParticipantFactory(association=world.a, name="Signe Svanström")
    log_access(
        access=build_access(world.registrar, world.a.pk),
        action=Action.VIEW,
        initiative=world.a_initiative,
        pseudonyms=[participant.pseudonym],
        fields="personnummer, namn",
    )
    client = client_for(world.secretariat)
    page = client.get(URL).content.decode()
    export = b"".join(client.get(CSV_URL).streaming_content).decode()
    for content in (page, export):
        assert participant.pseudonym in content
        assert participant.personal_number not in content
        assert participant.personal_number[2:] not in content
        assert "Signe" not in content and "Svanström" not in content


def test_b_secretariat_sees_only_b_events(world, events, client_for):
    response = client_for(world.b_secretariat).get(URL)
    assert pseudonyms(response) == ["BBB999"]


def test_the_operator_sees_the_chosen_association(world, events, client):
    client.force_login(world.operator)
    session = client.session
    session[SESSION_KEY] = world.b.pk
    session.save()
    assert pseudonyms(client.get(URL)) == ["BBB999"]
    session = client.session
    session[SESSION_KEY] = world.a.pk
    session.save()
    assert set(pseudonyms(client.get(URL))) == {"AAA111", "AAA222", "OTH333"}


@pytest.mark.parametrize(
    "role", ["initiative_manager", "registrar", "board", "applicant", "analyst", "no_role"]
)
def test_other_roles_get_403(world, events, client_for, role):
    user = world.no_role if role == "no_role" else world.user(role)
    client = client_for(user)
    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403


def test_b_registrar_gets_403(world, events, client_for):
    assert client_for(world.b_registrar).get(URL).status_code == 403


def test_anonymous_users_are_sent_to_login(world, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"action": "export"}, ["OTH333"]),
        ({"initiative": "a_initiative"}, ["AAA111", "AAA222"]),
        ({"pseudonym": "aaa222"}, ["AAA222"]),
        ({"actor": "insats@"}, ["OTH333"]),
        ({"date_to": "2025-12-31"}, ["AAA222"]),
        ({"date_from": "2025-01-16"}, ["OTH333", "AAA111"]),
        ({"date_from": "2025-01-15", "date_to": "2025-01-15"}, ["AAA222"]),
        ({"pseudonym": "BBB999"}, []),
    ],
)
def test_the_filters(world, events, client_for, params, expected):
    if params.get("initiative") == "a_initiative":
        params = {"initiative": world.a_initiative.pk}
    response = client_for(world.secretariat).get(URL, params)
    assert pseudonyms(response) == expected


def test_b_initiatives_cannot_be_chosen(world, events, client_for):
    response = client_for(world.secretariat).get(URL, {"initiative": world.b_initiative.pk})
    assert response.status_code == 200
    assert "initiative" in response.context["filter"].form.errors
    assert "BBB999" not in response.content.decode()
    options = response.context["filter"].form.fields["initiative"].queryset
    assert set(options) == {world.a_initiative, world.a_other}


def test_bad_filter_input_gives_a_clear_error(world, events, client_for):
    response = client_for(world.secretariat).get(URL, {"date_from": "igår", "action": "hack"})
    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert "date_from" in errors and "action" in errors
    assert "is-invalid" in response.content.decode()


def test_htmx_requests_get_the_table_only(world, events, client_for):
    client = client_for(world.secretariat)
    response = client.get(URL, {"action": "view"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="audit-table">') or 'id="audit-table"' in content
    assert "<nav" not in content.split('id="audit-table"')[0]
    assert "navbar" not in content
    assert pseudonyms(response) == ["AAA111", "AAA222"]
    full = client.get(URL, {"action": "view"})
    assert "navbar" in full.content.decode()
    assert 'id="audit-filter"' in full.content.decode()


def test_the_log_is_paginated_by_50(world, client_for):
    AccessEventFactory.create_batch(120, initiative=world.a_initiative, actor=world.registrar)
    client = client_for(world.secretariat)
    first = client.get(URL)
    assert len(first.context["events"]) == 50
    assert "Sida 1 av 3" in first.content.decode()
    last = client.get(URL, {"page": 3})
    assert len(last.context["events"]) == 20


def test_the_log_uses_a_constant_number_of_queries(world, client_for):
    client = client_for(world.secretariat)
    AccessEventFactory.create_batch(3, initiative=world.a_initiative, actor=world.registrar)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for user in (world.manager, world.registrar, world.board):
        AccessEventFactory.create_batch(10, initiative=world.a_other, actor=user)
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL)
    assert len(response.context["events"]) == 33
    assert len(large) == len(small)


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))


def test_the_csv_holds_the_filtered_log(world, events, client_for):
    response = client_for(world.secretariat).get(CSV_URL, {"initiative": world.a_initiative.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "Händelse nr",
        "Tid",
        "Användare",
        "Roll",
        "Händelse",
        "Insats",
        "Pseudonym",
        "Uppgifter",
        "Kanal",
    ]
    assert [row[6] for row in rows[1:]] == ["AAA111", "AAA222"]
    assert rows[1][2:6] == ["registrator@example.se", "Deltagaransvarig", "Läste", "Cresco Create"]
    assert rows[2][1] == "2025-01-15 10:00:00"


def test_the_csv_never_contains_other_associations(world, events, client_for):
    rows = read_csv(client_for(world.secretariat).get(CSV_URL))
    assert "BBB999" not in {row[6] for row in rows}
    rows = read_csv(client_for(world.b_secretariat).get(CSV_URL))
    assert [row[6] for row in rows[1:]] == ["BBB999"]


def test_the_csv_neutralises_formulas(world, client_for):
    AccessEventFactory(initiative=world.a_initiative, actor=world.registrar, fields="=HYPERLINK()")
    rows = read_csv(client_for(world.secretariat).get(CSV_URL))
    assert rows[1][7] == "'=HYPERLINK()"


def test_the_csv_link_keeps_the_filters(world, events, client_for):
    response = client_for(world.secretariat).get(URL, {"action": "view", "page": 1})
    content = response.content.decode()
    assert f'href="{CSV_URL}?action=view"' in content


# --- One event per view (security issue, point 11) ---------------------------------------------


@pytest.fixture
def listed(world, client_for):
    """The registrar opens the list of an initiative with twelve participants."""
    enrolments = EnrolmentFactory.create_batch(12, initiative=world.a_initiative)
    response = client_for(world.registrar).get(
        reverse("participants:initiative_participants", args=[world.a_initiative.pk])
    )
    assert response.status_code == 200
    return [e.participant.pseudonym for e in enrolments]


def test_a_list_page_is_one_event_naming_every_participant_shown(listed):
    (event,) = AccessEvent.objects.all()
    assert event.action == Action.LIST
    assert sorted(event.pseudonyms) == sorted(listed)
    assert AccessedPseudonym.objects.count() == 12


def test_the_log_is_searchable_per_participant(world, listed, client_for):
    other = AccessEventFactory(initiative=world.a_initiative, pseudonyms=[listed[3]])
    AccessEventFactory(initiative=world.a_initiative, pseudonyms=["D-SOMEONE"])
    response = client_for(world.secretariat).get(URL, {"pseudonym": listed[3].lower()})
    events = response.context["events"]
    assert [e.pk for e in events] == [other.pk, AccessEvent.objects.get(action="list").pk]
    # Each event names the participant searched for, not the others the list showed.
    assert pseudonyms(response) == [listed[3], listed[3]]
    assert listed[4] not in response.content.decode()


def test_the_page_folds_a_long_list_of_pseudonyms(world, listed, client_for):
    content = client_for(world.secretariat).get(URL).content.decode()
    assert "<summary>12 pseudonymer</summary>" in content
    assert all(pseudonym in content for pseudonym in listed)


def test_the_csv_has_a_line_per_event_and_participant(world, listed, client_for):
    lookup = log_access(
        access=build_access(world.registrar, world.a.pk),
        action=Action.LOOKUP,
        initiative=world.a_initiative,
        pseudonyms=[],
        fields="personnummer, namn",
    )
    client = client_for(world.secretariat)
    rows = read_csv(client.get(CSV_URL))[1:]
    list_event = AccessEvent.objects.get(action="list")
    # The search that found nobody: one line without a pseudonym; the list: a line per person.
    assert rows[0][0] == str(lookup.pk) and rows[0][6] == ""
    assert sorted(row[6] for row in rows[1:]) == sorted(listed)
    assert {(row[0], row[4]) for row in rows[1:]} == {(str(list_event.pk), "Listade")}
    searched = read_csv(client.get(CSV_URL, {"pseudonym": listed[0]}))[1:]
    assert [(row[0], row[6]) for row in searched] == [(str(list_event.pk), listed[0])]
