"""The invoice basis (issue 12): participant-weeks counted set-based, capped per municipality."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from finsam.finance import invoicing
from finsam.finance.models import (
    CompensationCap,
    CompensationKind,
    CompensationModel,
    FixedPeriod,
    InvoicePeriodKind,
)
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reference.models import EXIT_WRONG_REGISTRATION, Code, CodeList, Municipality

Q = InvoicePeriodKind.QUARTER
H = InvoicePeriodKind.HALF_YEAR
# Seed 002: Stärka individen, 3 000 000 kr at 1 500 kr a week, caps per municipality.
SEED_002_CAPS = {
    "1496": 1_173_000,  # Skövde
    "1499": 894_000,  # Falköping
    "1498": 286_500,  # Tidaholm
    "1472": 312_000,  # Tibro
    "1497": 192_000,  # Hjo
    "1446": 142_500,  # Karlsborg
}


def exit_code(wrong=False):
    qs = Code.objects.filter(code_list=CodeList.EXIT_REASON)
    return (
        qs.filter(code=EXIT_WRONG_REGISTRATION)
        if wrong
        else qs.exclude(code=EXIT_WRONG_REGISTRATION)
    ).first()


def brute_weeks(start, end, year, kind, number, rule, as_of):
    """Reference count: walk every week whose Thursday is in the period, day by day."""
    p_start, p_end = invoicing.period_bounds(year, kind, number)
    end = min(end or as_of, as_of)
    monday = p_start - datetime.timedelta(days=p_start.weekday())
    count = 0
    while monday <= p_end:
        thursday = monday + datetime.timedelta(days=3)
        sunday = monday + datetime.timedelta(days=6)
        if p_start <= thursday <= p_end:
            if rule == "full_weeks":
                count += start <= monday and end >= sunday
            else:
                count += start <= sunday and end >= monday
        monday += datetime.timedelta(days=7)
    return count


def make_model(initiative, year=2024, caps=None, rate=1500, **kwargs):
    model = CompensationModel.objects.create(
        initiative=initiative,
        year=year,
        kind=kwargs.pop("kind", CompensationKind.PER_PARTICIPANT_WEEK),
        rate_per_week=rate,
        counting_rule=kwargs.pop("counting_rule", "enrolled_weeks"),
        **kwargs,
    )
    for code, amount in (caps or {}).items():
        CompensationCap.objects.create(
            model=model, municipality=Municipality.objects.get(code=code), amount=amount
        )
    return model


def test_periods_cover_the_year_and_weeks_belong_to_one_period():
    for kind in (Q, H):
        days = 0
        mondays = set()
        for n in range(1, invoicing.period_count(kind) + 1):
            start, end = invoicing.period_bounds(2024, kind, n)
            days += (end - start).days + 1
            first, last = invoicing.monday_range(2024, kind, n)
            assert first % 7 == 0 and last % 7 == 0
            week_set = set(range(first, last + 1, 7))
            assert not (week_set & mondays)
            mondays |= week_set
        assert days == 366
        assert len(mondays) == 52  # ISO 2024 has 52 weeks


@pytest.mark.django_db
def test_weeks_by_counting_rule_and_wrong_registrations_never_count():
    initiative = InitiativeFactory()
    skovde = Municipality.objects.get(code="1496")
    # Wednesday 3 Jan – Wednesday 17 Jan 2024: touches weeks 1, 2, 3; full only week 2.
    EnrolmentFactory(
        initiative=initiative,
        home_municipality=skovde,
        start_date=datetime.date(2024, 1, 3),
        end_date=datetime.date(2024, 1, 17),
        exit_reason=exit_code(),
    )
    EnrolmentFactory(
        initiative=initiative,
        home_municipality=skovde,
        start_date=datetime.date(2024, 1, 3),
        end_date=datetime.date(2024, 3, 1),
        exit_reason=exit_code(wrong=True),
    )
    as_of = datetime.date(2024, 12, 31)
    enrolled = invoicing.participant_weeks([initiative.pk], 2024, Q, as_of=as_of)
    full = invoicing.participant_weeks(
        [initiative.pk], 2024, Q, counting_rule="full_weeks", as_of=as_of
    )
    assert enrolled == {(initiative.pk, skovde.pk): [3, 0, 0, 0]}
    assert full == {(initiative.pk, skovde.pk): [1, 0, 0, 0]}


@pytest.mark.django_db
def test_open_enrolment_counts_to_today_and_anonymous_as_the_model_says():
    initiative = InitiativeFactory()
    hjo = Municipality.objects.get(code="1497")
    EnrolmentFactory(
        initiative=initiative, home_municipality=hjo, start_date=datetime.date(2024, 3, 25)
    )
    EnrolmentFactory(
        initiative=initiative,
        home_municipality=hjo,
        anonymous=True,
        start_date=datetime.date(2024, 3, 25),
    )
    as_of = datetime.date(2024, 4, 10)  # weeks of 25 March (Q1), 1 April, 8 April (Q2)
    both = invoicing.participant_weeks([initiative.pk], 2024, Q, as_of=as_of)
    assert both[(initiative.pk, hjo.pk)] == [2, 4, 0, 0]
    named = invoicing.participant_weeks(
        [initiative.pk], 2024, Q, as_of=as_of, anonymous_counted=set()
    )
    assert named[(initiative.pk, hjo.pk)] == [1, 2, 0, 0]


dates = st.dates(min_value=datetime.date(2023, 11, 1), max_value=datetime.date(2025, 2, 1))


class WeeksEqualBruteForce(HypothesisTestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        stays=st.lists(
            st.tuples(dates, st.integers(0, 200), st.booleans()), min_size=1, max_size=6
        ),
        rule=st.sampled_from(["enrolled_weeks", "full_weeks"]),
        kind=st.sampled_from([Q, H]),
    )
    def test_set_based_count_equals_walking_the_days(self, stays, rule, kind):
        initiative = InitiativeFactory()
        muni = Municipality.objects.get(code="1497")
        as_of = datetime.date(2024, 11, 20)
        expected = [0] * invoicing.period_count(kind)
        for start, length, open_ in stays:
            end = None if open_ else start + datetime.timedelta(days=length)
            EnrolmentFactory(
                initiative=initiative,
                home_municipality=muni,
                anonymous=True,
                start_date=start,
                end_date=end,
                exit_reason=None if open_ else exit_code(),
            )
            for n in range(len(expected)):
                expected[n] += brute_weeks(start, end, 2024, kind, n + 1, rule, as_of)
        got = invoicing.participant_weeks(
            [initiative.pk], 2024, kind, counting_rule=rule, as_of=as_of
        )
        assert got.get((initiative.pk, muni.pk), [0] * len(expected)) == expected


@given(
    earned=st.lists(st.integers(0, 2_000_000), min_size=1, max_size=4),
    cap=st.one_of(st.none(), st.integers(0, 3_000_000)),
)
def test_bases_never_pass_the_cap_and_sum_to_min_of_earned_and_cap(earned, cap):
    bases = invoicing.capped_bases(earned, cap)
    assert all(b >= 0 for b in bases)
    expected = sum(earned) if cap is None else min(sum(earned), cap)
    assert sum(bases) == expected
    # Any prefix (period order within the year) never passes the cap either.
    for n in range(len(bases)):
        assert cap is None or sum(bases[: n + 1]) <= cap


@given(
    earned=st.lists(st.integers(0, 500_000), min_size=4, max_size=4),
    cap=st.integers(0, 1_200_000),
    order=st.permutations([1, 2, 3, 4]),
    asks=st.lists(st.floats(0, 1), min_size=4, max_size=4),
)
def test_invoicing_periods_in_any_order_never_passes_the_cap(earned, cap, order, asks):
    bases = invoicing.capped_bases(earned, cap)
    invoiced = [0, 0, 0, 0]
    for period, share in zip(order, asks, strict=True):
        available = invoicing.available_amount(bases, invoiced, cap, period)
        assert available >= 0
        invoiced[period - 1] = int(available * share)
        assert sum(invoiced) <= cap
    assert sum(invoiced) <= min(sum(earned), cap)


@given(
    amount_share=st.floats(0, 1),
    available=st.lists(st.integers(0, 300_000), min_size=1, max_size=7),
)
def test_allocation_sums_to_the_amount_and_stays_within_each_line(amount_share, available):
    lines = [
        invoicing.Line(kind="weeks", municipality_id=i, label="", available=a)
        for i, a in enumerate(available)
    ]
    amount = int(sum(available) * amount_share)
    parts = invoicing.allocate(amount, lines)
    assert sum(parts) == (amount if sum(available) else 0)
    assert all(0 <= p <= a for p, a in zip(parts, available, strict=True))


@pytest.mark.django_db
def test_seed_002_hjo_reaches_its_cap():
    """Seed 002's caps; Hjo's 192 000 kr is 128 weeks at 1 500 kr: 10 participants the whole of
    2024 (130 weeks a quarter) reach it in the first quarter and stop there."""
    initiative = InitiativeFactory()
    make_model(initiative, caps=SEED_002_CAPS)
    assert sum(SEED_002_CAPS.values()) == 3_000_000
    hjo = Municipality.objects.get(code="1497")
    skovde = Municipality.objects.get(code="1496")
    for _ in range(10):
        EnrolmentFactory(
            initiative=initiative,
            home_municipality=hjo,
            anonymous=True,
            start_date=datetime.date(2023, 12, 1),
        )
    EnrolmentFactory(
        initiative=initiative,
        home_municipality=skovde,
        anonymous=True,
        start_date=datetime.date(2024, 1, 1),
    )
    as_of = datetime.date(2025, 1, 15)
    bases = {n: invoicing.basis(initiative, 2024, n, kind=Q, as_of=as_of) for n in range(1, 5)}
    hjo_line = next(line for line in bases[1].lines if line.municipality_id == hjo.pk)
    assert hjo_line.weeks == [130, 130, 130, 130]
    assert hjo_line.earned == [195_000] * 4
    assert hjo_line.bases == [192_000, 0, 0, 0]
    assert hjo_line.capped and hjo_line.cap == 192_000
    # Nothing invoiced yet: what Q1 earned may be invoiced in any later period, never twice.
    assert [
        next(line for line in bases[n].lines if line.municipality_id == hjo.pk).available
        for n in range(1, 5)
    ] == [192_000] * 4
    skovde_line = next(line for line in bases[1].lines if line.municipality_id == skovde.pk)
    assert sum(skovde_line.bases) == 52 * 1500
    # Every municipality of the model has a line (a cap with no weeks yet shows 0).
    assert len(bases[1].lines) == 6


@pytest.mark.django_db
def test_fixed_grant_and_units():
    initiative = InitiativeFactory()
    CompensationModel.objects.create(
        initiative=initiative,
        year=2024,
        kind=CompensationKind.FIXED,
        fixed_amount=558_001,
        fixed_period=FixedPeriod.YEAR,
    )
    b = invoicing.basis(initiative, 2024, 4, kind=Q)
    assert b.lines[0].bases == [139_500, 139_500, 139_500, 139_501]
    # Nothing invoiced earlier in the year: the fourth quarter may take the whole year.
    assert b.total_available == 558_001
    assert invoicing.basis(initiative, 2024, 1, kind=Q).total_available == 139_500
    assert invoicing.fixed_per_period(
        CompensationModel(fixed_amount=10_000, fixed_period=FixedPeriod.MONTH), H
    ) == [60_000, 60_000]


@pytest.mark.django_db
def test_volume_head_counts_convert_by_the_stated_rule():
    from finsam.initiatives.models import HeadCount

    initiative = InitiativeFactory()
    make_model(initiative, volume_weeks_per_head_month=Decimal("4.33"))
    HeadCount.objects.create(initiative=initiative, month=datetime.date(2024, 2, 1), women=3, men=1)
    b = invoicing.basis(initiative, 2024, 1, kind=Q)
    (line,) = b.lines
    assert line.kind == "volume" and line.weeks[0] == Decimal("17.32")
    assert line.available == 25_980


class BasisNeverPassesACap(HypothesisTestCase):
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        stays=st.lists(
            st.tuples(st.sampled_from(["1497", "1446", "1496"]), dates, st.integers(0, 300)),
            min_size=1,
            max_size=12,
        ),
        caps=st.fixed_dictionaries(
            {"1497": st.integers(0, 200_000), "1446": st.integers(0, 200_000)}
        ),
        order=st.permutations([1, 2, 3, 4]),
    )
    def test_year_bases_sum_to_min_of_weeks_times_rate_and_cap(self, stays, caps, order):
        initiative = InitiativeFactory()
        make_model(initiative, caps=caps)
        munis = {m.code: m for m in Municipality.objects.filter(code__in=["1497", "1446", "1496"])}
        for code, start, length in stays:
            EnrolmentFactory(
                initiative=initiative,
                home_municipality=munis[code],
                anonymous=True,
                start_date=start,
                end_date=start + datetime.timedelta(days=length),
                exit_reason=exit_code(),
            )
        as_of = datetime.date(2025, 3, 1)
        weeks = invoicing.participant_weeks([initiative.pk], 2024, Q, as_of=as_of)
        totals = {}
        for period in order:  # any order of computing the periods
            for line in invoicing.basis(initiative, 2024, period, kind=Q, as_of=as_of).lines:
                totals.setdefault(line.municipality_id, 0)
                totals[line.municipality_id] += line.bases[period - 1]
                assert line.cap is None or line.available <= line.cap
        for code, muni in munis.items():
            year_weeks = sum(weeks.get((initiative.pk, muni.pk), [0]))
            expected = year_weeks * 1500
            if code in caps:
                expected = min(expected, caps[code])
            assert totals.get(muni.pk, 0) == expected
