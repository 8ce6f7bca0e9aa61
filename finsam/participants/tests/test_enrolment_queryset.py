"""The counting and period rules of `EnrolmentQuerySet` (`finsam.core.periods`): for random
enrolments and periods the database filters agree with the rules written in plain Python."""

import datetime
import types

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam.initiatives.models import HeadCount, Initiative
from finsam.participants.models import Enrolment
from finsam.reference.counting import is_counted
from finsam.reference.models import EXIT_WRONG_REGISTRATION, Code, CodeList

DAY0 = datetime.date(2024, 1, 1)
# A few weeks: periods and enrolments share many first and last days, where the rules differ.
offsets = st.integers(min_value=0, max_value=30)


def day(offset: int) -> datetime.date:
    return DAY0 + datetime.timedelta(days=offset)


# (start, days until the end or None while running, a wrong registration?)
enrolment_specs = st.lists(
    st.tuples(offsets, st.one_of(st.none(), st.integers(0, 20)), st.booleans()), max_size=8
)


def is_active_in(start, end, first, last) -> bool:
    return (last is None or start <= last) and (end is None or end >= first)


@pytest.fixture
def make_enrolments(world):
    reasons = {
        False: Code.objects.get(code_list=CodeList.EXIT_REASON, code="arbete"),
        True: Code.objects.get(code_list=CodeList.EXIT_REASON, code=EXIT_WRONG_REGISTRATION),
    }

    def make(specs) -> dict:
        """{pk: (start, end, counted)} of new anonymous enrolments."""
        rows = []
        for start, length, wrong in specs:
            end = None if length is None else day(start + length)
            rows.append(
                Enrolment(
                    initiative=world.a_initiative,
                    anonymous_reason="no_consent",
                    gender="woman",
                    start_date=day(start),
                    end_date=end,
                    # An open enrolment has no exit reason, so it can never be a wrong one.
                    exit_reason=None if end is None else reasons[wrong],
                )
            )
        created = Enrolment.objects.bulk_create(rows)
        return {e.pk: (e.start_date, e.end_date, is_counted(e.exit_reason)) for e in created}

    return make


@settings(
    max_examples=60,
    database=None,  # no example files left in the work tree
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=enrolment_specs,
    first=offsets,
    length=st.integers(0, 20),
    open_ended=st.booleans(),
)
def test_the_period_rules_match_their_plain_definitions(
    make_enrolments, specs, first, length, open_ended
):
    first_day = day(first)
    last_day = None if open_ended else day(first + length)
    with transaction.atomic():
        made = make_enrolments(specs)
        qs = Enrolment.objects.filter(pk__in=made)

        def pks(queryset):
            return set(queryset.values_list("pk", flat=True))

        assert pks(qs.counted()) == {pk for pk, (_s, _e, counted) in made.items() if counted}
        assert pks(qs.active_in(first_day, last_day)) == {
            pk for pk, (s, e, _c) in made.items() if is_active_in(s, e, first_day, last_day)
        }
        assert pks(qs.started_in(first_day, last_day)) == {
            pk
            for pk, (s, _e, _c) in made.items()
            if s >= first_day and (last_day is None or s <= last_day)
        }
        assert pks(qs.ended_in(first_day, last_day)) == {
            pk
            for pk, (_s, e, _c) in made.items()
            if e is not None and e >= first_day and (last_day is None or e <= last_day)
        }
        if last_day is not None:
            # The active in a period are exactly those that ended in it plus those ongoing at
            # its end (what the headline and SUS tables rely on).
            active = pks(qs.active_in(first_day, last_day))
            ended = pks(qs.active_in(first_day, last_day).ended_in(first_day, last_day))
            ongoing = pks(qs.active_in(first_day, last_day).ongoing_after(last_day))
            assert ended | ongoing == active and not ended & ongoing
            # A period object with start_date and end_date is the same as its two days.
            period = types.SimpleNamespace(start_date=first_day, end_date=last_day)
            assert pks(qs.active_in(period)) == active
        transaction.set_rollback(True)


def test_a_period_object_and_a_second_date_together_are_refused(db):
    period = types.SimpleNamespace(start_date=DAY0, end_date=DAY0)
    with pytest.raises(TypeError):
        Enrolment.objects.active_in(period, DAY0)


def test_initiatives_use_the_same_rule(world):
    world.a_initiative.start_date, world.a_initiative.end_date = day(10), day(20)
    world.a_initiative.save()
    mine = Initiative.objects.filter(pk=world.a_initiative.pk)
    assert mine.active_in(day(20), day(25)).exists()  # both ends count
    assert mine.active_in(day(0), day(10)).exists()
    assert not mine.active_in(day(21), day(30)).exists()
    assert not mine.active_in(day(0), day(9)).exists()


def test_head_counts_count_the_months_that_overlap_the_period(world):
    for month in (1, 2, 3):
        HeadCount.objects.create(
            initiative=world.a_initiative, month=datetime.date(2024, month, 1), women=month
        )
    months = HeadCount.objects.months_in(datetime.date(2024, 1, 15), datetime.date(2024, 2, 29))
    # January counts though the period starts in mid-month.
    assert sorted(h.women for h in months) == [1, 2]


def test_is_counted_is_the_counting_rule_for_one_exit_reason(db):
    wrong = Code.objects.get(code_list=CodeList.EXIT_REASON, code=EXIT_WRONG_REGISTRATION)
    work = Code.objects.get(code_list=CodeList.EXIT_REASON, code="arbete")
    assert is_counted(None) and is_counted(work) and not is_counted(wrong)
