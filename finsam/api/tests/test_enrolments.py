"""Enrolment reads: pseudonymous for everyone, identity only for the initiative's registrars
(and then logged), and a constant number of queries."""

import pytest

from finsam.api.tests.conftest import count_queries, make_enrolment, personal_number
from finsam.audit.models import AccessEvent

NAME = "Zlatan Testsson"


@pytest.fixture
def enrolments(world, codes):
    identified = make_enrolment(world.a_initiative, 0, name=NAME, codes=codes)
    anonymous = make_enrolment(world.a_initiative, anonymous=True)
    other = make_enrolment(world.a_other, 1, name=NAME)
    return identified, anonymous, other


def list_url(initiative):
    return f"/api/v1/initiatives/{initiative.pk}/enrolments/"


def test_it_lists_pseudonymous_rows_with_codes(world, api_for, enrolments):
    identified, anonymous, _other = enrolments
    response = api_for(world.secretariat).get(list_url(world.a_initiative))
    assert response.status_code == 200
    rows = {row["uuid"]: row for row in response.json()["results"]}
    row = rows[str(identified.uuid)]
    assert row["pseudonym"] == identified.participant.pseudonym
    assert row["anonymous"] is False
    assert row["gender"] == identified.gender
    assert row["age_at_start"] == 30
    assert row["home_municipality"] == "1496"
    assert sorted(row["income_sources_before"]) == ["test-forsorjningsstod", "test-lon"]
    assert row["education"] == "test-gymnasial"
    assert row["referrer"] == "test-fk"
    assert row["exit_reason"] is None
    assert "personal_number" not in row and "name" not in row
    assert rows[str(anonymous.uuid)]["anonymous"] is True
    assert rows[str(anonymous.uuid)]["pseudonym"].startswith("A-")


NON_REGISTRARS = ["operator", "secretariat", "initiative_manager", "board", "applicant", "analyst"]


@pytest.mark.parametrize("role", [*NON_REGISTRARS, "b_secretariat", "b_registrar"])
def test_it_never_shows_identity_to_anyone_but_the_registrar(world, api_for, enrolments, role):
    identified, anonymous, other = enrolments
    client = api_for(world.user(role))
    urls = [
        "/api/v1/me/",
        "/api/v1/associations/",
        f"/api/v1/associations/{world.a.pk}/",
        "/api/v1/initiatives/",
        f"/api/v1/initiatives/{world.a_initiative.pk}/",
        list_url(world.a_initiative),
        list_url(world.a_other),
        *(f"/api/v1/enrolments/{e.uuid}/" for e in (identified, anonymous, other)),
        *(f"/api/v1/enrolments/{e.uuid}/exit/" for e in (identified, other)),
    ]
    secrets = [personal_number(0), personal_number(0)[2:], personal_number(1), NAME, "Testsson"]
    for url in urls:
        method = client.post if url.endswith("/exit/") else client.get
        body = method(url, {"end_date": "1999-01-01"}, format="json").content.decode()
        for secret in secrets:
            assert secret not in body, (role, url)
    assert not AccessEvent.objects.exists()


def test_it_shows_identity_to_the_registrar_and_logs_it(world, api_for, enrolments):
    identified, anonymous, _other = enrolments
    response = api_for(world.registrar).get(list_url(world.a_initiative))
    rows = {row["uuid"]: row for row in response.json()["results"]}
    assert rows[str(identified.uuid)]["personal_number"] == personal_number(0)
    assert rows[str(identified.uuid)]["name"] == NAME
    assert rows[str(anonymous.uuid)]["personal_number"] is None
    event = AccessEvent.objects.get()
    assert event.channel == "api"
    assert event.action == "list"
    assert event.actor == world.registrar
    assert event.pseudonyms == [identified.participant.pseudonym]
    assert event.initiative == world.a_initiative

    response = api_for(world.registrar).get(f"/api/v1/enrolments/{identified.uuid}/")
    assert response.json()["personal_number"] == personal_number(0)
    assert AccessEvent.objects.filter(action="view", channel="api").count() == 1


def test_it_filters_active_enrolments(world, api_for, enrolments, codes):
    identified, _anonymous, _other = enrolments
    identified.end_date = identified.start_date
    identified.exit_reason = codes["exit"]
    identified.save()
    client = api_for(world.secretariat)
    active = client.get(list_url(world.a_initiative), {"active": "true"}).json()["results"]
    ended = client.get(list_url(world.a_initiative), {"active": "false"}).json()["results"]
    assert [row["uuid"] for row in ended] == [str(identified.uuid)]
    assert str(identified.uuid) not in [row["uuid"] for row in active]
    assert ended[0]["exit_reason"] == "test-arbete"


@pytest.mark.parametrize("role", ["registrar", "secretariat"])
def test_it_lists_enrolments_in_constant_queries(world, api_for, codes, role):
    client = api_for(world.user(role))
    client.get("/api/v1/me/")  # token row, sessions etc. warmed the same way for both runs

    def queries(count):
        while world.a_initiative.enrolments.count() < count:
            n = world.a_initiative.enrolments.count()
            make_enrolment(world.a_initiative, 100 + n, codes=codes, anonymous=n % 3 == 0)
        with count_queries() as context:
            response = client.get(list_url(world.a_initiative))
        assert len(response.json()["results"]) == count
        return len(context.captured_queries)

    assert queries(3) == queries(30)


def test_it_lists_initiatives_in_constant_queries(world, api_for, codes):
    from finsam.initiatives.tests.factories import InitiativeFactory
    from finsam.reference.models import CodeList
    from finsam.reference.tests.factories import CodeFactory

    group = CodeFactory(code_list=CodeList.TARGET_GROUP, code="test-unga")
    client = api_for(world.secretariat)

    def queries(count):
        while world.a.initiatives.count() < count:
            initiative = InitiativeFactory(association=world.a)
            initiative.target_groups.add(group)
            initiative.municipalities.add(codes["municipality"])
            # One person per initiative (personal_number takes 0–998; ids grow on PostgreSQL).
            make_enrolment(initiative, initiative.pk % 999)
        with count_queries() as context:
            response = client.get("/api/v1/initiatives/")
        assert len(response.json()["results"]) == count
        return len(context.captured_queries)

    assert queries(3) == queries(30)
