import pytest

from finsam.reference.tests.factories import MunicipalityFactory
from finsam.staff.access import build_access


def access_of(user, association):
    return build_access(user, association.pk)


@pytest.fixture
def sec(world):
    return access_of(world.secretariat, world.a)


@pytest.fixture
def skovde(world):
    municipality = MunicipalityFactory(code="1496", name="Skövde")
    world.a.municipalities.add(municipality)
    return municipality
