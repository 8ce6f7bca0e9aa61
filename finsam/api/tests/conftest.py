"""API test helpers: token clients and enrolments built directly on the models."""

import datetime
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from finsam.accounts.models import ApiToken
from finsam.core.keys import lookup_hash
from finsam.participants.identity import new_pseudonym, parse_personal_number
from finsam.participants.models import AnonymousReason, Enrolment, Gender, Participant
from finsam.reference.models import CodeList
from finsam.reference.tests.factories import CodeFactory, MunicipalityFactory


@pytest.fixture
def api_for(db):
    """An API client authenticated by token as `user` (None: no credentials)."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            # As if just used: the first request would otherwise record the last use (one
            # write a minute), one query more than the next in the query-count tests.
            _token, key = ApiToken.objects.create(user=user, name="test", last_used=timezone.now())
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


def luhn_digit(digits: str) -> str:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def personal_number(n: int, birth: str = "19811218") -> str:
    """A valid twelve-digit personal identity number, distinct for each `n` (0–998)."""
    serial = f"{n + 1:03d}"
    return birth + serial + luhn_digit(birth[2:] + serial)


@pytest.fixture
def codes(db):
    """One code of each list the enrolment forms use (not relying on the data migration)."""
    return {
        "income": CodeFactory(code_list=CodeList.INCOME_SOURCE, code="test-lon"),
        "income2": CodeFactory(code_list=CodeList.INCOME_SOURCE, code="test-forsorjningsstod"),
        "occupation": CodeFactory(code_list=CodeList.OCCUPATION, code="test-arbetar"),
        "education": CodeFactory(code_list=CodeList.EDUCATION, code="test-gymnasial"),
        "time": CodeFactory(code_list=CodeList.TIME_OUTSIDE_WORK, code="test-1-2-ar"),
        "referrer": CodeFactory(code_list=CodeList.REFERRER, code="test-fk"),
        "exit": CodeFactory(code_list=CodeList.EXIT_REASON, code="test-arbete"),
        "municipality": MunicipalityFactory(code="1496", name="Skövde"),
    }


def make_enrolment(initiative, n=0, *, name="Anna Andersson", anonymous=False, codes=None, **kw):
    """An enrolment written straight to the models (the read side does not need the services)."""
    participant = None
    gender = Gender.WOMAN
    age = 30
    if not anonymous:
        parsed = parse_personal_number(personal_number(n))
        participant = Participant.objects.create(
            association=initiative.association,
            pseudonym=new_pseudonym(),
            personal_number=parsed.normalized,
            personal_number_hash=lookup_hash(parsed.normalized),
            name=name,
            birth_year=parsed.birth_date.year,
            gender=parsed.legal_gender,
        )
        gender = parsed.legal_gender
    fields = {
        "initiative": initiative,
        "participant": participant,
        "anonymous_reason": AnonymousReason.NO_CONSENT if anonymous else "",
        "gender": gender,
        "age_at_start": age,
        "start_date": datetime.date(2024, 3, 1),
    }
    if codes:
        fields.update(
            home_municipality=codes["municipality"],
            occupation_before=codes["occupation"],
            education=codes["education"],
            time_outside_work=codes["time"],
            referrer=codes["referrer"],
        )
    fields.update(kw)
    enrolment = Enrolment.objects.create(**fields)
    if codes:
        enrolment.income_sources_before.set([codes["income"], codes["income2"]])
    return enrolment


@contextmanager
def count_queries():
    with CaptureQueriesContext(connection) as context:
        yield context
