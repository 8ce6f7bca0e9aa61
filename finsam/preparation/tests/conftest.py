import pytest

from finsam.applications.tests.factories import ApplicationFactory, RoundFactory
from finsam.applications.workflow import Status


@pytest.fixture
def round_a(world):
    return RoundFactory(association=world.a)


@pytest.fixture
def make_application(world, round_a):
    def make(status=Status.PREPARATION, **kwargs):
        kwargs.setdefault("organisation", world.a_organisation)
        kwargs.setdefault("diary_number", "2026/001")
        kwargs.setdefault("applied_by_year", {"2027": 300000, "2028": 200000})
        kwargs.setdefault("amount_applied", 500000)
        return ApplicationFactory(round=round_a, status=status, **kwargs)

    return make


@pytest.fixture
def in_preparation(make_application):
    return make_application()
