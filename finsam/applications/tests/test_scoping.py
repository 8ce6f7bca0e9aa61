"""Who sees which application (finsam.applications.scoping)."""

import datetime

import pytest
from django.utils import timezone

from finsam.applications.scoping import applications_for
from finsam.applications.selectors import has_interest, interested_users
from finsam.applications.tests.factories import (
    ApplicationFactory,
    CoApplicantFactory,
    InterestFactory,
    RoundFactory,
)
from finsam.applications.workflow import Status
from finsam.staff.access import build_access


@pytest.fixture
def cast(world):
    round_ = RoundFactory(association=world.a)
    make = lambda status, organisation=world.a_organisation: ApplicationFactory(  # noqa: E731
        round=round_, organisation=organisation, status=status
    )
    return {
        "draft": make(Status.DRAFT),
        "preparation": make(Status.PREPARATION),
        "proposed": make(Status.PROPOSED),
        "partner": make(Status.PREPARATION, world.partner_organisation),
        "foreign": ApplicationFactory(round=RoundFactory(association=world.b)),
    }


def _seen(world, user, cast):
    seen = set(applications_for(build_access(user, world.a.pk)).values_list("pk", flat=True))
    return {name for name, application in cast.items() if application.pk in seen}


def test_each_principal_sees_its_applications(world, cast):
    assert _seen(world, world.secretariat, cast) == {"draft", "preparation", "proposed", "partner"}
    assert _seen(world, world.board, cast) == {"proposed"}
    assert _seen(world, world.reviewer, cast) == {"preparation", "proposed", "partner"}
    assert _seen(world, world.applicant_org, cast) == {"draft", "preparation", "proposed"}
    assert _seen(world, world.co_applicant, cast) == {"partner"}
    for user in (world.analyst, world.registrar, world.manager, world.b_secretariat):
        assert _seen(world, user, cast) - {"foreign"} == set()


def test_an_invited_co_applicant_sees_the_application_once_accepted(world, cast):
    invitation = CoApplicantFactory(application=cast["draft"], user=world.co_applicant)
    assert "draft" not in _seen(world, world.co_applicant, cast)
    invitation.accepted_at = timezone.now()
    invitation.save()
    assert "draft" in _seen(world, world.co_applicant, cast)


def test_a_declared_interest_keeps_the_reviewer_out(world, cast):
    InterestFactory(user=world.reviewer, organisation=world.a_organisation)
    assert _seen(world, world.reviewer, cast) == {"partner"}
    assert has_interest(world.reviewer, cast["preparation"])
    assert not has_interest(world.reviewer, cast["partner"])
    assert interested_users(cast["proposed"]) == [world.reviewer]


def test_an_ended_interest_no_longer_counts(world, cast):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    InterestFactory(
        user=world.reviewer,
        organisation=world.a_organisation,
        valid_from=yesterday - datetime.timedelta(days=30),
        valid_to=yesterday,
    )
    assert not has_interest(world.reviewer, cast["preparation"])
