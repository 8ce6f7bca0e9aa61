"""The share who improved with known answers: the rule, n, the gender split, suppression of small
counts (the statistics' rule) and the period."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from finsam.participants.models import Gender
from finsam.progression import selectors
from finsam.progression.selectors import Share, compute_shares, progression_summary, suppress
from finsam.statistics.engine import is_small_cell

D1, D2, D3 = datetime.date(2021, 2, 1), datetime.date(2021, 4, 1), datetime.date(2021, 6, 1)


def test_improved_means_higher_by_at_least_the_step():
    assert selectors.improved(4, 5, 1)
    assert not selectors.improved(5, 5, 1)
    assert not selectors.improved(6, 5, 1)
    assert not selectors.improved(4, 5, 2)
    assert selectors.improved(4, 6, 2)


def test_the_last_rating_counts_against_the_first_and_one_rating_is_not_counted():
    series = {
        1: ("woman", [3, 8, 4]),  # up from 3 to 4: improved (the dip between does not matter)
        2: ("woman", [5, 2, 5]),  # back where it began: not improved
        3: ("man", [6]),  # rated once: not in n
        4: ("man", [7, 6]),  # down
        5: ("other", [1, 9]),
    }
    total, by_gender = compute_shares(series, 1)
    assert (total.n, total.improved) == (4, 2)
    assert (by_gender["woman"].n, by_gender["woman"].improved) == (2, 1)
    assert (by_gender["man"].n, by_gender["man"].improved) == (1, 0)
    assert (by_gender["other"].n, by_gender["other"].improved) == (1, 1)
    assert total.share_display == "50 %"


def test_small_n_is_hidden_and_a_lone_hidden_gender_gets_company():
    total = Share(9, 6)
    by_gender = {"woman": Share(6, 4), "man": Share(3, 2), "other": Share(0, 0)}
    suppress(total, by_gender)
    assert not total.suppressed and total.share_display == "67 %"
    assert by_gender["man"].suppressed and by_gender["man"].n_display == "1–4"
    # The women's n would give the men's away (9 − 6): hidden too, marked "..".
    assert by_gender["woman"].suppressed and by_gender["woman"].secondary
    assert by_gender["woman"].share_display == ".." and by_gender["woman"].n_display == ".."
    assert by_gender["other"].share_display == "–" and not by_gender["other"].suppressed


def test_a_small_total_hides_everything():
    total = Share(3, 3)
    by_gender = {"woman": Share(3, 3), "man": Share(0, 0), "other": Share(0, 0)}
    suppress(total, by_gender)
    assert total.suppressed and total.share is None and total.share_display == "–"
    assert by_gender["woman"].suppressed


@given(st.integers(min_value=0, max_value=10_000))
def test_the_small_cell_rule_is_the_statistics_rule(n):
    assert selectors.is_small_cell(n) == is_small_cell(n)


@given(
    st.dictionaries(
        st.integers(),
        st.tuples(
            st.sampled_from(["woman", "man", "other"]),
            st.lists(st.integers(min_value=1, max_value=10), max_size=5),
        ),
        max_size=40,
    ),
    st.integers(min_value=1, max_value=5),
)
def test_shares_add_up_and_no_shown_cell_is_small(series, step):
    total, by_gender = compute_shares(series, step)
    assert total.n == sum(s.n for s in by_gender.values())
    assert total.improved == sum(s.improved for s in by_gender.values())
    assert 0 <= total.improved <= total.n
    assert total.n == sum(1 for _g, values in series.values() if len(values) >= 2)
    suppress(total, by_gender)
    cells = [total, *by_gender.values()]
    assert not any(is_small_cell(c.n) and not c.suppressed for c in cells)
    hidden = [s for s in by_gender.values() if s.suppressed]
    assert len(hidden) != 1 or total.suppressed


def test_elings_ark_83_percent_raised_their_activity_level(world, activity, enrol, rate):
    """Seed 003: of 6 rated participants, 5 raised their activity level (83 %)."""
    for first, last, gender in [
        (3, 6, Gender.WOMAN),
        (2, 5, Gender.WOMAN),
        (4, 6, Gender.WOMAN),
        (5, 7, Gender.WOMAN),
        (4, 4, Gender.WOMAN),
        (3, 5, Gender.MAN),
    ]:
        rate(enrol(gender), "self", [(D1, {activity: first}), (D3, {activity: last})])
    enrol(Gender.WOMAN)  # left early, never rated: not in n
    summary = progression_summary(world.a_initiative)
    row = next(r for r in summary.rows if r.dimension == activity and r.rater == "self")
    assert (row.total.n, row.total.improved, row.total.share_display) == (6, 5, "83 %")
    # Five women shown; the one man is hidden, and so the women too (6 − 5 would give him away).
    assert row.by_gender["man"].suppressed and row.by_gender["woman"].suppressed
    assert row.sentence() == "83 % har höjt sin skattning av aktivitetsnivå (5 av 6)."
    coach = next(r for r in summary.rows if r.dimension == activity and r.rater == "coach")
    assert coach.total.n == 0 and coach.total.share_display == "–"
    unsuppressed = progression_summary(world.a_initiative, suppressed=False)
    row = next(r for r in unsuppressed.rows if r.dimension == activity and r.rater == "self")
    assert (row.by_gender["woman"].n, row.by_gender["woman"].improved) == (5, 4)


def test_the_period_takes_ratings_up_to_its_end_and_enrolments_overlapping_it(
    world, activity, enrol, rate
):
    for _i in range(5):
        rate(enrol(), "self", [(D1, {activity: 2}), (D2, {activity: 3}), (D3, {activity: 1})])
    # Up to 30 April: 2 → 3, everyone improved; up to June: 2 → 1, nobody.
    april = progression_summary(world.a_initiative, (D1, datetime.date(2021, 4, 30)))
    june = progression_summary(world.a_initiative, (D1, datetime.date(2021, 6, 30)))
    row = lambda s: next(r for r in s.rows if r.dimension == activity and r.rater == "self")  # noqa: E731
    assert (row(april).total.n, row(april).total.improved) == (5, 5)
    assert (row(june).total.n, row(june).total.improved) == (5, 0)
    # A period before anyone started: nobody.
    before = progression_summary(world.a_initiative, (D1.replace(year=2020), D1.replace(year=2020)))
    assert row(before).total.n == 0


def test_a_period_object_with_start_and_end_dates(world, activity, enrol, rate):
    class Period:
        start_date, end_date = D1, D3

    for _i in range(5):
        rate(enrol(Gender.MAN), "coach", [(D1, {activity: 2}), (D2, {activity: 4})])
    summary = progression_summary(world.a_initiative, Period())
    assert summary.period_end == D3
    row = next(r for r in summary.rows if r.dimension == activity and r.rater == "coach")
    assert (row.total.n, row.total.improved, row.by_gender["man"].n) == (5, 5, 5)
    assert summary.rated.n == 5


def test_another_initiatives_ratings_do_not_count(world, activity, enrol, rate):
    from finsam.conftest import make_user
    from finsam.core.roles import Role
    from finsam.progression import services
    from finsam.staff.access import build_access

    other_registrar = build_access(make_user(world.a, Role.REGISTRAR, [world.a_other]))
    enrolment = enrol(initiative=world.a_other)
    for day, value in [(D1, 1), (D2, 9)]:
        services.occasion_record(
            access=other_registrar,
            enrolment=enrolment,
            rated_on=day,
            rater="self",
            values={activity.pk: value},
        )
    summary = progression_summary(world.a_initiative)
    assert all(r.total.n == 0 for r in summary.rows)
