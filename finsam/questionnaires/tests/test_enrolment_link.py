"""A participant questionnaire linked to an enrolment: only non-anonymous, only with consent,
only by the initiative's registrar; an anonymous questionnaire never stores the enrolment."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from finsam.core.access import Access
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.questionnaires import definitions, services
from finsam.questionnaires.models import Draft, Response
from finsam.questionnaires.tests.factories import core_version, invitation
from finsam.staff.access import build_access

pytestmark = pytest.mark.django_db


@pytest.fixture
def named_version(world):
    data = json.loads((definitions.CORE_DIR / "nns-deltagare-avslut.json").read_text())
    data["questionnaire"].update(code="egen-uppfoljning", anonymous=False, locked=False)
    return definitions.load(data, association=world.a)


def test_the_registrar_links_a_consenting_participant(world, named_version):
    enrolment = EnrolmentFactory(initiative=world.a_initiative)
    access = build_access(world.registrar, world.a.pk)
    token = services.invite_enrolment(
        access, version=named_version, enrolment=enrolment, period="2026-H2"
    )
    respondent = Access.respondent(token, world.a)
    services.submit(respondent, token)
    assert Response.objects.get().enrolment == enrolment


def test_no_link_without_consent_nor_for_an_anonymous_questionnaire(world, named_version):
    access = build_access(world.registrar, world.a.pk)
    without = EnrolmentFactory(initiative=world.a_initiative, anonymous=True)
    with pytest.raises(ValidationError, match="samtyckt"):
        services.invite_enrolment(
            access, version=named_version, enrolment=without, period="2026-H2"
        )
    enrolment = EnrolmentFactory(initiative=world.a_initiative)
    with pytest.raises(ValidationError, match="anonym"):
        services.invite_enrolment(
            access, version=core_version(), enrolment=enrolment, period="2026-H2"
        )


def test_only_the_initiatives_registrar(world, named_version):
    enrolment = EnrolmentFactory(initiative=world.a_other)
    for user in (world.registrar, world.secretariat, world.manager):
        with pytest.raises(PermissionDenied):
            services.invite_enrolment(
                build_access(user, world.a.pk),
                version=named_version,
                enrolment=enrolment,
                period="2026-H2",
            )


def test_an_anonymous_questionnaire_never_stores_the_enrolment(world):
    enrolment = EnrolmentFactory(initiative=world.a_initiative)
    token, inv = invitation(world.a, initiative=world.a_initiative, enrolment=enrolment)
    Draft.objects.create(invitation=inv, answers={"D01": {"choice": "6"}})
    services.submit(Access.respondent(token, world.a), token)
    assert Response.objects.get().enrolment is None
