"""Code lists and helpers for the participant tests (never rely on the reference data migration)."""

import datetime
from types import SimpleNamespace

import pytest

from finsam.participants.services import ConsentInput, EnrolmentInput, ExitInput
from finsam.participants.tests.factories import make_personal_number
from finsam.reference.models import CodeList
from finsam.reference.tests.factories import CodeFactory, MunicipalityFactory
from finsam.staff.access import build_access

# A man born 1981-12-18 (the example of identity.py's tests) and a woman.
PN_MAN = "19811218-9876"
PN_WOMAN = make_personal_number(datetime.date(1990, 5, 17), 242)
NAME = "Kalle Testsson"


@pytest.fixture
def codes(db):
    def code(code_list, code, label):
        return CodeFactory(code_list=code_list, code=code, label_sv=label, label_en=label)

    return SimpleNamespace(
        salary=code(CodeList.INCOME_SOURCE, "lon", "Lön"),
        social_assistance=code(CodeList.INCOME_SOURCE, "forsorjningsstod", "Försörjningsstöd"),
        sickness=code(CodeList.INCOME_SOURCE, "sjukpenning", "Sjukpenning"),
        working=code(CodeList.OCCUPATION, "arbetar", "Arbetar"),
        nothing=code(CodeList.OCCUPATION, "ingen", "Ingen sysselsättning"),
        upper_secondary=code(CodeList.EDUCATION, "gymnasial", "Gymnasial"),
        one_to_two=code(CodeList.TIME_OUTSIDE_WORK, "1-2-ar", "1–2 år"),
        af=code(CodeList.REFERRER, "af", "Arbetsförmedlingen"),
        work=code(CodeList.EXIT_REASON, "arbete", "Arbete"),
        wrong=code(CodeList.EXIT_REASON, "felregistrering", "Felregistrering"),
        target_group=code(CodeList.TARGET_GROUP, "unga", "Unga"),
        skovde=MunicipalityFactory(code="1496", name="Skövde"),
    )


@pytest.fixture
def today():
    return datetime.date.today()


@pytest.fixture
def registrar_access(world):
    return build_access(world.registrar, world.a.pk)


@pytest.fixture
def enrolment_input(codes, today):
    """A complete, valid identified registration (call with overrides)."""

    def make(**overrides):
        start = overrides.pop("start_date", today - datetime.timedelta(days=10))
        values = dict(
            start_date=start,
            personal_number=PN_MAN,
            name=NAME,
            home_municipality=codes.skovde,
            income_sources_before=[codes.social_assistance],
            occupation_before=codes.nothing,
            occupation_extent_before=0,
            education=codes.upper_secondary,
            time_outside_work=codes.one_to_two,
            referrer=codes.af,
            consent=ConsentInput(given_on=start, method="paper", form_version="FK 9443 v3"),
        )
        values.update(overrides)
        return EnrolmentInput(**values)

    return make


@pytest.fixture
def exit_input(codes, today):
    def make(**overrides):
        values = dict(
            end_date=today,
            exit_reason=codes.work,
            income_sources_after=[codes.salary],
            occupation_after=codes.working,
            occupation_extent_after=50,
        )
        values.update(overrides)
        return ExitInput(**values)

    return make
