"""Diary numbers: "2026/012", gap-free per association and year, safe under concurrent
submissions (real concurrent transactions on PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from finsam.applications import services
from finsam.applications.diary import format_diary_number, take_diary_number
from finsam.applications.models import Application, DiaryCounter
from finsam.applications.tests.factories import ApplicationFactory, RoundFactory
from finsam.associations.tests.factories import AssociationFactory
from finsam.staff.access import build_access


def test_the_format_is_year_slash_three_digits():
    assert format_diary_number(2026, 12) == "2026/012"
    assert format_diary_number(2026, 1234) == "2026/1234"


@pytest.mark.django_db
def test_numbers_run_per_association_and_year_and_a_rollback_gives_the_number_back():
    a, b = AssociationFactory(), AssociationFactory()
    with transaction.atomic():
        assert take_diary_number(a.pk, 2026) == (1, "2026/001")
        assert take_diary_number(a.pk, 2026) == (2, "2026/002")
        assert take_diary_number(b.pk, 2026) == (1, "2026/001")
        assert take_diary_number(a.pk, 2027) == (1, "2027/001")
    try:
        with transaction.atomic():
            take_diary_number(a.pk, 2026)
            raise RuntimeError("the submission failed")
    except RuntimeError:
        pass
    with transaction.atomic():
        assert take_diary_number(a.pk, 2026) == (3, "2026/003")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers on one database lock: no two submissions can race there.",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_get_consecutive_numbers_without_gaps_or_duplicates(world):
    round_ = RoundFactory(association=world.a)
    applications = [
        ApplicationFactory(round=round_, organisation=world.a_organisation) for _ in range(8)
    ]
    start = threading.Barrier(len(applications))
    outcomes = []

    def work(application):
        try:
            start.wait(timeout=20)
            access = build_access(world.applicant_org, world.a.pk)
            services.submit(access, application)
            outcomes.append("ok")
        except Exception as exc:  # asserted below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == ["ok"] * 8
    year = timezone.localdate().year
    numbers = sorted(Application.objects.values_list("diary_number", flat=True))
    assert numbers == [format_diary_number(year, n) for n in range(1, 9)]
    assert DiaryCounter.objects.get(association=world.a, year=year).last == 8
