"""Two registrations of one person at the same time (security issue, point 7).

Exactly one registration of a person in an initiative wins; the others get a clear message
(`RegistrationConflict`: a form error on the page, 409 in the API); the same person registered
in two initiatives at once becomes ONE participant with two enrolments. Nothing of the person
(look-up hash, personal identity number) reaches a log, a response or an error.

The first tests let the registration's check miss the other registration, as if that one had
been committed between our check and our write (on every database). The thread tests run real
concurrent transactions on PostgreSQL.
"""

import datetime
import logging
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from finsam.accounts.models import ApiToken
from finsam.accounts.tests.factories import InitiativeAssignmentFactory
from finsam.audit.models import AccessEvent
from finsam.conftest import pass_second_factor
from finsam.core.keys import lookup_hash
from finsam.core.roles import Role
from finsam.participants import services
from finsam.participants.identity import parse_personal_number
from finsam.participants.models import Consent, Enrolment, Participant
from finsam.participants.tests.conftest import PN_MAN
from finsam.participants.tests.test_views import enrol_post
from finsam.staff.access import build_access

CONFLICT = "Personen registrerades nyss i den här insatsen av någon annan."
HASH = lookup_hash(parse_personal_number(PN_MAN).normalized)
DAY = datetime.timedelta(days=1)


def personal_traces(*texts) -> list[str]:
    """The pieces of `texts` that would identify the person."""
    secrets = (HASH, parse_personal_number(PN_MAN).normalized, PN_MAN, PN_MAN[2:])
    return [s for s in secrets for text in texts if s in str(text)]


@pytest.fixture
def both_initiatives(world):
    """The registrar also registers in `a_other`."""
    InitiativeAssignmentFactory(user=world.registrar, initiative=world.a_other, role=Role.REGISTRAR)


@pytest.fixture
def stale_check(monkeypatch):
    """The registration's check does not see the rows `hide()` hides, as if the other
    registration had been committed by another transaction between our check and our write."""

    def install(hide):
        real = services._check_registration

        def check(*args, **kwargs):
            with transaction.atomic():
                hide()
                result = real(*args, **kwargs)
                transaction.set_rollback(True)
            return result

        monkeypatch.setattr(services, "_check_registration", check)

    return install


def hide_participants():
    Participant.objects.update(personal_number_hash="")


def register(world, initiative, data):
    return services.enrolment_register(
        access=build_access(world.registrar, world.a.pk), initiative=initiative, data=data
    )


# --- The window between check and write, on every database ------------------------------------


def test_registered_meanwhile_in_the_same_initiative_gives_a_clear_error(
    world, enrolment_input, stale_check, caplog
):
    caplog.set_level(logging.INFO)
    data = enrolment_input()
    register(world, world.a_initiative, data)
    stale_check(hide_participants)
    with pytest.raises(ValidationError) as caught:
        register(world, world.a_initiative, data)
    assert isinstance(caught.value, services.RegistrationConflict)
    assert caught.value.message_dict == {"__all__": [CONFLICT]}
    assert caught.value.__context__ is None  # the database's error is not chained
    # The other registration stands, nothing of ours is half-saved, the transaction goes on.
    assert Participant.objects.count() == 1
    assert Enrolment.objects.count() == Consent.objects.count() == 1
    assert AccessEvent.objects.filter(action="create").count() == 1
    assert not personal_traces(caplog.text, caught.value)


def test_a_known_person_registered_meanwhile_gives_a_clear_error(
    world, enrolment_input, exit_input, stale_check, today
):
    """The race on the active enrolment (the participant row exists already)."""
    first = register(world, world.a_initiative, enrolment_input(start_date=today - 60 * DAY))
    services.enrolment_exit(
        access=build_access(world.registrar, world.a.pk),
        enrolment=first,
        data=exit_input(end_date=today - 40 * DAY),
    )
    data = enrolment_input(start_date=today - 10 * DAY)
    register(world, world.a_initiative, data)
    stale_check(lambda: Enrolment.objects.active().update(initiative=world.a_other))
    with pytest.raises(services.RegistrationConflict):
        register(world, world.a_initiative, data)
    assert Participant.objects.count() == 1
    assert Enrolment.objects.active().count() == 1


def test_registered_meanwhile_in_another_initiative_makes_one_participant(
    world, both_initiatives, enrolment_input, stale_check
):
    data = enrolment_input()
    register(world, world.a_other, data)
    stale_check(hide_participants)
    enrolment = register(world, world.a_initiative, data)
    participant = Participant.objects.get()
    assert enrolment.participant == participant
    assert set(participant.enrolments.values_list("initiative", flat=True)) == {
        world.a_initiative.pk,
        world.a_other.pk,
    }
    assert Consent.objects.count() == 2


def test_the_page_shows_the_conflict_as_a_form_error(
    world, client_for, codes, today, enrolment_input, stale_check, caplog
):
    caplog.set_level(logging.INFO)
    register(world, world.a_initiative, enrolment_input())
    stale_check(hide_participants)
    response = client_for(world.registrar).post(
        reverse("participants:enrol", args=[world.a_initiative.pk]), enrol_post(codes, today)
    )
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert Enrolment.objects.count() == 1
    # The form shows the registrar what they typed, never the look-up hash.
    assert HASH not in response.content.decode()
    assert not personal_traces(caplog.text)


def test_the_api_answers_the_conflict_with_409(
    world, codes, enrolment_input, stale_check, caplog, api_body
):
    caplog.set_level(logging.INFO)
    register(world, world.a_initiative, enrolment_input())
    stale_check(hide_participants)
    response = api_client(world.registrar).post(
        f"/api/v1/initiatives/{world.a_initiative.pk}/enrolments/", api_body, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {"errors": {"__all__": [CONFLICT]}}
    assert Enrolment.objects.count() == 1
    assert not personal_traces(caplog.text, response.content.decode())


# --- Real concurrent transactions (PostgreSQL) -------------------------------------------------


@pytest.fixture
def api_body(codes, today):
    start = (today - 10 * DAY).isoformat()
    return {
        "start_date": start,
        "personal_number": PN_MAN,
        "name": "Kalle Testsson",
        "home_municipality": codes.skovde.code,
        "income_sources_before": [codes.social_assistance.code],
        "occupation_before": codes.nothing.code,
        "occupation_extent_before": 0,
        "education": codes.upper_secondary.code,
        "time_outside_work": codes.one_to_two.code,
        "referrer": codes.af.code,
        "consent": {"given_on": start, "method": "paper", "form_version": "FK 9443 v3"},
    }


def api_client(user):
    client = APIClient()
    _token, key = ApiToken.objects.create(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def run_together(monkeypatch, calls, *, hold_after_check=True):
    """Run each call in its own thread, that is its own connection and transaction, all
    released at once. A second barrier holds every registration just after its check until all
    have checked, so that the race happens every time rather than most times."""
    start = threading.Barrier(len(calls))
    if hold_after_check:
        checked = threading.Barrier(len(calls))
        real = services._check_registration

        def check(*args, **kwargs):
            result = real(*args, **kwargs)
            checked.wait(timeout=20)
            return result

        monkeypatch.setattr(services, "_check_registration", check)
    outcomes = [None] * len(calls)

    def work(index, call):
        try:
            start.wait(timeout=20)
            outcomes[index] = call()
        except Exception as exc:  # reported, then asserted on
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def by_service(world, initiative, data):
    def call():
        try:
            with transaction.atomic():  # as a request with ATOMIC_REQUESTS
                register(world, initiative, data)
        except ValidationError as exc:
            return "conflict" if exc.messages == [CONFLICT] else exc
        return "ok"

    return call


def by_api(client, initiative, body):
    def call():
        response = client.post(
            f"/api/v1/initiatives/{initiative.pk}/enrolments/", body, format="json"
        )
        if response.status_code == 201:
            return "ok"
        if response.status_code == 409 and response.json() == {"errors": {"__all__": [CONFLICT]}}:
            return "conflict"
        return (response.status_code, response.content.decode())

    return call


def by_page(client, initiative, post):
    def call():
        response = client.post(reverse("participants:enrol", args=[initiative.pk]), post)
        if response.status_code == 302:
            return "ok"
        if response.status_code == 200 and CONFLICT in response.content.decode():
            return "conflict"
        return (response.status_code, response.content.decode())

    return call


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "SQLite has no row locks: one lock on the whole database serialises writers, and the "
        "in-memory test database is one shared cache for all threads, so threads cannot race "
        "on a constraint there. The same code path is proven above on every database."
    ),
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_in_one_initiative_one_wins(
    world, codes, today, enrolment_input, api_body, monkeypatch, caplog
):
    caplog.set_level(logging.INFO)
    page = Client()
    page.force_login(world.registrar)
    pass_second_factor(page, world.registrar)
    api = api_client(world.registrar)
    data = enrolment_input()
    outcomes = run_together(
        monkeypatch,
        [
            by_service(world, world.a_initiative, data),
            by_service(world, world.a_initiative, data),
            by_api(api, world.a_initiative, api_body),
            by_page(page, world.a_initiative, enrol_post(codes, today)),
        ],
    )
    assert sorted(map(str, outcomes)) == ["conflict", "conflict", "conflict", "ok"], outcomes
    assert Participant.objects.filter(personal_number_hash=HASH).count() == 1
    assert Enrolment.objects.count() == Consent.objects.count() == 1
    assert AccessEvent.objects.filter(action="create").count() == 1
    assert not personal_traces(caplog.text, *outcomes)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_of_a_known_person_one_wins(
    world, enrolment_input, exit_input, today, monkeypatch, caplog
):
    caplog.set_level(logging.INFO)
    first = register(world, world.a_initiative, enrolment_input(start_date=today - 60 * DAY))
    services.enrolment_exit(
        access=build_access(world.registrar, world.a.pk),
        enrolment=first,
        data=exit_input(end_date=today - 40 * DAY),
    )
    data = enrolment_input(start_date=today - 10 * DAY)
    outcomes = run_together(monkeypatch, [by_service(world, world.a_initiative, data)] * 3)
    assert sorted(map(str, outcomes)) == ["conflict", "conflict", "ok"], outcomes
    assert Participant.objects.count() == 1
    assert Enrolment.objects.active().count() == 1
    assert not personal_traces(caplog.text, *outcomes)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_in_two_initiatives_make_one_participant(
    world, both_initiatives, enrolment_input, api_body, monkeypatch, caplog
):
    caplog.set_level(logging.INFO)
    outcomes = run_together(
        monkeypatch,
        [
            by_service(world, world.a_initiative, enrolment_input()),
            by_api(api_client(world.registrar), world.a_other, api_body),
        ],
    )
    assert outcomes == ["ok", "ok"]
    participant = Participant.objects.get()
    assert set(participant.enrolments.values_list("initiative", flat=True)) == {
        world.a_initiative.pk,
        world.a_other.pk,
    }
    assert not personal_traces(caplog.text)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_exits_one_wins(world, enrolment_input, exit_input, monkeypatch):
    """The exit locks the enrolment: the later one waits, then finds it exited."""
    enrolment = register(world, world.a_initiative, enrolment_input())
    body = {
        "end_date": exit_input().end_date.isoformat(),
        "exit_reason": exit_input().exit_reason.code,
    }

    def by_api():
        response = api_client(world.registrar).post(
            f"/api/v1/enrolments/{enrolment.uuid}/exit/", body, format="json"
        )
        return response.status_code, response.json()

    def by_service():
        with transaction.atomic():
            services.enrolment_exit(
                access=build_access(world.registrar, world.a.pk),
                enrolment=Enrolment.objects.get(pk=enrolment.pk),
                data=exit_input(),
            )
        return "ok"

    outcomes = run_together(monkeypatch, [by_api, by_service], hold_after_check=False)
    if outcomes[1] == "ok":
        status, errors = outcomes[0]
        assert status == 400
        assert errors["errors"]["__all__"][0].startswith("Deltagandet är redan utregistrerat")
    else:
        assert outcomes[0][0] == 200
        assert isinstance(outcomes[1], ValidationError)
    assert enrolment.history.filter(history_change_reason="Utregistrering").count() == 1
