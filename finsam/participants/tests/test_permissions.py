"""Every participant page as every role of `world` (STYLE: owner, member, outsider).

Objects outside the user's association or initiatives answer 404; pages the user can see exist
but may not use answer 403. Only `world.registrar` sees identities, and only in a_initiative.
"""

import datetime

import pytest
from django.urls import resolve, reverse

from finsam.audit.models import AccessEvent
from finsam.participants.models import Consent, Enrolment, Participant
from finsam.participants.tests.factories import EnrolmentFactory

USERS = (
    "operator",
    "secretariat",
    "manager",
    "registrar",
    "board",
    "applicant",
    "analyst",
    "b_secretariat",
    "b_registrar",
    "no_role",
)
NAME = "Hemlig Hemligsson"
NUMBER = "198112189876"


def expect(default, **by_user):
    return {user: by_user.get(user, default) for user in USERS}


# Pages addressed by initiative: visible to the user but not theirs → 403.
REGISTRAR_INITIATIVE_PAGE = expect(
    403, registrar=200, b_secretariat=404, b_registrar=404, no_role=404
)
# Pages addressed by enrolment: outside the follow-up scope → 404.
REGISTRAR_ENROLMENT_PAGE = expect(404, registrar=200, secretariat=403, manager=403)
FOLLOW_UP_LIST = expect(
    403,
    secretariat=200,
    manager=200,
    registrar=200,
    b_secretariat=404,
    b_registrar=404,
    no_role=404,
)
DETAIL = expect(404, secretariat=200, manager=200, registrar=200)
HOME = expect(403, registrar=200, b_registrar=200)


@pytest.fixture
def enrolment(world, codes):
    enrolment = EnrolmentFactory(
        initiative=world.a_initiative,
        participant__personal_number=NUMBER,
        participant__name=NAME,
        start_date=datetime.date(2024, 1, 15),
        home_municipality=codes.skovde,
    )
    return enrolment


def pages(world, enrolment):
    i, e = world.a_initiative.pk, enrolment.uuid
    return [
        ("get", reverse("participants:registrar_home"), HOME),
        (
            "get",
            reverse("participants:initiative_participants", args=[i]),
            REGISTRAR_INITIATIVE_PAGE,
        ),
        (
            "post",
            reverse("participants:initiative_participants", args=[i]),
            REGISTRAR_INITIATIVE_PAGE,
        ),
        ("get", reverse("participants:initiative_follow_up", args=[i]), FOLLOW_UP_LIST),
        ("get", reverse("participants:enrol", args=[i]), REGISTRAR_INITIATIVE_PAGE),
        ("post", reverse("participants:enrol_validate", args=[i]), REGISTRAR_INITIATIVE_PAGE),
        ("get", reverse("participants:enrolment_detail", args=[e]), DETAIL),
        ("get", reverse("participants:exit", args=[e]), REGISTRAR_ENROLMENT_PAGE),
        ("post", reverse("participants:exit_validate", args=[e]), REGISTRAR_ENROLMENT_PAGE),
        ("get", reverse("participants:correct", args=[e]), REGISTRAR_ENROLMENT_PAGE),
        ("post", reverse("participants:correct_validate", args=[e]), REGISTRAR_ENROLMENT_PAGE),
        ("get", reverse("participants:consent_withdraw", args=[e]), REGISTRAR_ENROLMENT_PAGE),
        ("get", reverse("participants:protect_identity", args=[e]), REGISTRAR_ENROLMENT_PAGE),
    ]


# The field the live checks are asked about (HTMX names the field the user left); other pages
# ignore the header.
LIVE_CHECK_FIELD = {"exit_validate": "end_date"}


@pytest.mark.parametrize("who", USERS)
def test_every_page_answers_each_role_as_expected(world, client_for, enrolment, who):
    client = client_for(world.user(who))
    answers = {}
    for method, url, expected in pages(world, enrolment):
        field = LIVE_CHECK_FIELD.get(resolve(url).url_name, "start_date")
        data = {"q": NUMBER} if method == "post" else {}
        response = getattr(client, method)(url, data, HTTP_HX_TRIGGER_NAME=field)
        answers[(method, url)] = (response.status_code, expected[who])
    wrong = {k: v for k, v in answers.items() if v[0] != v[1]}
    assert not wrong


@pytest.mark.parametrize("who", [u for u in USERS if u != "registrar"])
def test_no_response_to_anyone_but_the_registrar_contains_identity(
    world, client_for, enrolment, who
):
    client = client_for(world.user(who))
    for method, url, _expected in pages(world, enrolment):
        for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
            data = {"q": NUMBER, "personal_number": NUMBER} if method == "post" else {}
            body = getattr(client, method)(url, data, **extra).content.decode()
            for secret in (NUMBER, "19811218-9876", "811218-9876", "19811218", NAME, "Hemlig"):
                assert secret not in body, (who, url)
    assert not AccessEvent.objects.exists()


def test_the_registrar_sees_identity_only_in_their_own_initiative(world, client_for, codes):
    other = EnrolmentFactory(
        initiative=world.a_other, participant__personal_number=NUMBER, participant__name=NAME
    )
    b = EnrolmentFactory(initiative=world.b_initiative, participant__name=NAME)
    client = client_for(world.registrar)
    for url in (
        reverse("participants:enrolment_detail", args=[other.uuid]),
        reverse("participants:enrolment_detail", args=[b.uuid]),
        reverse("participants:exit", args=[other.uuid]),
        reverse("participants:correct", args=[b.uuid]),
        reverse("participants:initiative_participants", args=[world.a_other.pk]),
        reverse("participants:initiative_participants", args=[world.b_initiative.pk]),
        reverse("participants:initiative_follow_up", args=[world.a_other.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert NAME not in response.content.decode()
    assert not AccessEvent.objects.exists()


def test_nobody_else_can_change_anything(world, client_for, enrolment, codes):
    today = datetime.date.today()
    snapshot = (
        list(Enrolment.objects.values()),
        list(Participant.objects.values_list("pk", "name")),
        list(Consent.objects.values()),
        Enrolment.history.count(),
    )
    posts = [
        (
            reverse("participants:enrol", args=[world.a_initiative.pk]),
            {
                "personal_number": "19900517-2428",
                "start_date": today.isoformat(),
                "consent_given_on": today.isoformat(),
                "consent_method": "paper",
                "consent_form_version": "v1",
                "gender": "woman",
            },
        ),
        (
            reverse("participants:exit", args=[enrolment.uuid]),
            {"end_date": today.isoformat(), "exit_reason": codes.work.pk},
        ),
        (
            reverse("participants:correct", args=[enrolment.uuid]),
            {"start_date": "2024-02-01", "gender": "woman", "reason": "x"},
        ),
        (
            reverse("participants:consent_withdraw", args=[enrolment.uuid]),
            {"withdrawn_on": today.isoformat()},
        ),
        (reverse("participants:protect_identity", args=[enrolment.uuid]), {"confirm": "on"}),
    ]
    for who in USERS:
        if who == "registrar":
            continue
        client = client_for(world.user(who))
        for url, data in posts:
            assert client.post(url, data).status_code in (403, 404), (who, url)
    assert snapshot == (
        list(Enrolment.objects.values()),
        list(Participant.objects.values_list("pk", "name")),
        list(Consent.objects.values()),
        Enrolment.history.count(),
    )
    assert not AccessEvent.objects.exists()


def test_a_registrar_without_an_authenticator_is_sent_to_set_one_up(world, client_for):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=world.registrar).delete()
    response = client_for(world.registrar).get(reverse("participants:registrar_home"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
