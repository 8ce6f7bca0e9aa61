import datetime

import pytest

from finsam.participants.models import Enrolment
from finsam.reference.models import EXIT_WRONG_REGISTRATION, Code, CodeList, Municipality


@pytest.fixture
def enrol():
    """Create an anonymous enrolment directly (the participant services live elsewhere)."""

    def make(initiative, *, gender="woman", start=datetime.date(2021, 2, 1), end=None, reason=None):
        exit_reason = None
        if end is not None:
            exit_reason = Code.objects.get(code_list=CodeList.EXIT_REASON, code=reason or "arbete")
        return Enrolment.objects.create(
            initiative=initiative,
            participant=None,
            anonymous_reason="no_consent",
            gender=gender,
            start_date=start,
            end_date=end,
            exit_reason=exit_reason,
        )

    return make


@pytest.fixture
def wrong_registration():
    return EXIT_WRONG_REGISTRATION


@pytest.fixture
def skovde(world):
    """Skövde and Falköping belong to association A; Göteborg does not."""
    skovde = Municipality.objects.get(code="1496")
    falkoping = Municipality.objects.get(code="1499")
    world.a.municipalities.add(skovde, falkoping)
    return skovde


def code(code_list, value):
    return Code.objects.get(code_list=code_list, code=value)
