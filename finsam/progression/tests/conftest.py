import datetime

import pytest

from finsam.participants.models import Gender
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.progression import services
from finsam.progression.models import Dimension, RatedBy
from finsam.staff.access import build_access

START = datetime.date(2021, 2, 1)


@pytest.fixture
def activity(world):
    return Dimension.objects.create(
        association=world.a,
        name="Aktivitetsnivå",
        scale_min=1,
        scale_max=10,
        min_label="Mycket låg",
        max_label="Mycket hög",
        rated_by=RatedBy.BOTH,
        position=1,
    )


@pytest.fixture
def future(world):
    return Dimension.objects.create(
        association=world.a, name="Syn på framtiden", rated_by=RatedBy.SELF, position=2
    )


@pytest.fixture
def registrar_access(world):
    return build_access(world.registrar)


@pytest.fixture
def enrol(world):
    def make(gender=Gender.WOMAN, initiative=None, **kwargs):
        return EnrolmentFactory(
            initiative=initiative or world.a_initiative,
            gender=gender,
            start_date=kwargs.pop("start_date", START),
            **kwargs,
        )

    return make


@pytest.fixture
def rate(registrar_access):
    """Record ratings for an enrolment: rate(enrolment, "self", [(date, {dimension: value})])."""

    def record(enrolment, rater, occasions):
        for day, values in occasions:
            services.occasion_record(
                access=registrar_access,
                enrolment=enrolment,
                rated_on=day,
                rater=rater,
                values={d.pk: v for d, v in values.items()},
            )

    return record
