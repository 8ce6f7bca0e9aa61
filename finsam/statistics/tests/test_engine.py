"""Every figure of the statistics tables against known registrations.

Association A, period 2021-01-01 – 2021-06-30:

| enrolment | initiative | gender | age | start      | end        | exit     | counted? |
| e1        | a_initiative | woman | 22  | 2020-10-01 | –          |          | active   |
| e2        | a_initiative | woman | 31  | 2021-02-01 | 2021-05-15 | arbete   | new, exited |
| e3        | a_initiative | man   | 45  | 2021-03-01 | 2021-08-01 | annan    | new, active at end |
| e4        | a_initiative | man   | 19  | 2019-01-01 | 2020-12-31 | arbete   | ended before |
| e5        | a_initiative | other | 60  | 2021-07-01 | –          |          | starts after |
| e6        | a_initiative | woman | 30  | 2021-01-10 | 2021-01-11 | felreg.  | wrong registration |
| e7 (anon) | a_initiative | man   | –   | 2021-01-01 | –          |          | new |
| e8        | b_initiative | woman | 30  | 2021-01-01 | –          |          | other association |
| e9        | a_other      | man   | 25  | 2021-06-30 | 2021-06-30 | studier  | new, exited |
"""

import datetime

import pytest

from finsam.initiatives.tests.factories import HeadCountFactory, InitiativeFactory
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reference.models import Code, Municipality
from finsam.statistics.engine import (
    DIMENSIONS,
    Scope,
    StatsFilter,
    age_groups,
    all_tables,
    counted_enrolments,
    headline,
    stats_table,
    sv_date,
    sv_number,
    sv_percent,
)

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = StatsFilter(period_start=D(2021, 1, 1), period_end=D(2021, 6, 30))


def code(code_list, slug):
    return Code.objects.get(code_list=code_list, code=slug)


def municipality(name):
    return Municipality.objects.get(name=name)


def association_scope(association, *, suppress=False):
    return Scope(
        kind="association",
        label=association.name,
        initiative_ids=None,
        association_ids=frozenset({association.pk}),
        suppress=suppress,
    )


def values(row):
    return [c.value for c in row.cells]


def by_key(table):
    return {row.key: values(row) for row in table.rows}


@pytest.fixture
def data(world):
    world.a.municipalities.set(
        [municipality("Skövde"), municipality("Mariestad"), municipality("Tibro")]
    )
    world.b.municipalities.set([municipality("Stockholm")])
    world.a_initiative.target_groups.set(
        [code("target_group", "psykisk-ohalsa"), code("target_group", "unga-16-29")]
    )
    ai, ao = world.a_initiative, world.a_other
    e = {}
    e[1] = EnrolmentFactory(
        initiative=ai,
        gender="woman",
        age_at_start=22,
        start_date=D(2020, 10, 1),
        home_municipality=municipality("Skövde"),
        education=code("education", "gymnasial"),
        referrer=code("referrer", "arbetsformedlingen"),
        occupation_before=code("occupation", "ingen-sysselsattning"),
        time_outside_work=code("time_outside_work", "1-2-ar"),
    )
    e[1].income_sources_before.set(
        [code("income_source", "forsorjningsstod"), code("income_source", "sjukpenning")]
    )
    e[2] = EnrolmentFactory(
        initiative=ai,
        gender="woman",
        age_at_start=31,
        start_date=D(2021, 2, 1),
        end_date=D(2021, 5, 15),
        exit_reason=code("exit_reason", "arbete"),
        occupation_after=code("occupation", "arbete-osubventionerat"),
        home_municipality=municipality("Skövde"),
        referrer=code("referrer", "arbetsformedlingen"),
    )
    e[2].income_sources_before.set([code("income_source", "forsorjningsstod")])
    e[2].income_sources_after.set([code("income_source", "lon")])
    e[3] = EnrolmentFactory(
        initiative=ai,
        gender="man",
        age_at_start=45,
        start_date=D(2021, 3, 1),
        end_date=D(2021, 8, 1),
        exit_reason=code("exit_reason", "annan-orsak"),
        home_municipality=municipality("Mariestad"),
        referrer=code("referrer", "forsakringskassan"),
    )
    e[4] = EnrolmentFactory(
        initiative=ai,
        gender="man",
        age_at_start=19,
        start_date=D(2019, 1, 1),
        end_date=D(2020, 12, 31),
        exit_reason=code("exit_reason", "arbete"),
    )
    e[5] = EnrolmentFactory(
        initiative=ai, gender="other", age_at_start=60, start_date=D(2021, 7, 1)
    )
    e[6] = EnrolmentFactory(
        initiative=ai,
        gender="woman",
        age_at_start=30,
        start_date=D(2021, 1, 10),
        end_date=D(2021, 1, 11),
        exit_reason=code("exit_reason", "felregistrering"),
    )
    e[7] = EnrolmentFactory(
        initiative=ai, anonymous=True, gender="man", age_at_start=None, start_date=D(2021, 1, 1)
    )
    e[7].income_sources_before.set([code("income_source", "lon")])
    e[8] = EnrolmentFactory(
        initiative=world.b_initiative, gender="woman", age_at_start=30, start_date=D(2021, 1, 1)
    )
    e[9] = EnrolmentFactory(
        initiative=ao,
        gender="man",
        age_at_start=25,
        start_date=D(2021, 6, 30),
        end_date=D(2021, 6, 30),
        exit_reason=code("exit_reason", "studier"),
        occupation_after=code("occupation", "studier"),
    )
    e[9].income_sources_before.set([code("income_source", "uppgift-saknas")])
    return e


def test_it_counts_enrolments_overlapping_the_period_without_wrong_registrations(world, data):
    qs = counted_enrolments(association_scope(world.a), PERIOD)
    assert set(qs) == {data[1], data[2], data[3], data[7], data[9]}


def test_it_gives_the_headline_split_by_gender(world, data):
    table = headline(association_scope(world.a), PERIOD)
    assert by_key(table) == {
        "active": [2, 3, 0, 5],
        "new": [1, 3, 0, 4],
        "exited": [1, 1, 0, 2],
        "active_at_end": [1, 2, 0, 3],
    }
    assert values(table.total) == [2, 3, 0, 5]
    assert table.suppressed is False


def test_it_adds_the_head_counts_of_volume_initiatives_to_the_headline(world, data):
    volume = InitiativeFactory(association=world.a, volume=True)
    HeadCountFactory(initiative=volume, month=D(2021, 3, 1), women=3, men=2, other=1)
    HeadCountFactory(initiative=volume, month=D(2021, 4, 1), women=4, men=2, other=0)
    HeadCountFactory(initiative=volume, month=D(2021, 7, 1), women=40, men=20)  # after
    table = headline(association_scope(world.a), PERIOD)
    assert by_key(table)["volume"] == [7, 4, 1, 12]
    assert values(table.total) == [2, 3, 0, 5]  # head counts are not persons
    assert "Volyminsatser" in table.population
    # An initiative with two of the filtered target groups counts once.
    volume.target_groups.set(
        [code("target_group", "unga-16-29"), code("target_group", "sjukskrivna")]
    )
    groups = StatsFilter(
        PERIOD.period_start,
        PERIOD.period_end,
        target_group_ids=tuple(volume.target_groups.values_list("pk", flat=True)),
    )
    assert by_key(headline(association_scope(world.a), groups))["volume"] == [7, 4, 1, 12]
    # Head counts have no home municipality: left out when filtering by municipality.
    flt = StatsFilter(PERIOD.period_start, PERIOD.period_end, municipality_ids=(1,))
    assert "volume" not in by_key(headline(association_scope(world.a), flt))


def test_it_counts_gender(world, data):
    table = stats_table(association_scope(world.a), PERIOD, "gender")
    assert by_key(table) == {"woman": [2, 0, 0, 2], "man": [0, 3, 0, 3], "other": [0, 0, 0, 0]}
    assert [r.label for r in table.rows] == ["Kvinnor", "Män", "Annat/ej angivet"]


def test_it_counts_age_groups_with_every_band_and_missing(world, data):
    table = stats_table(association_scope(world.a), PERIOD, "age_group")
    rows = by_key(table)
    assert list(rows) == [key for key, _low, _high in age_groups()] + ["missing"]
    assert rows["19-24"] == [1, 0, 0, 1]
    assert rows["25-29"] == [0, 1, 0, 1]
    assert rows["30-34"] == [1, 0, 0, 1]
    assert rows["45-54"] == [0, 1, 0, 1]
    assert rows["missing"] == [0, 1, 0, 1]  # the anonymous enrolment without age
    assert rows["16-18"] == [0, 0, 0, 0]
    assert values(table.total) == [2, 3, 0, 5]
    labels = {r.key: r.label for r in table.rows}
    assert labels["19-24"] == "19–24 år"
    assert labels["65-"] == "65 år och äldre"
    assert labels["missing"] == "Uppgift saknas"


def test_it_counts_each_income_source_once_per_person(world, data):
    table = stats_table(association_scope(world.a), PERIOD, "income_before")
    rows = by_key(table)
    assert list(rows)[0] == "lon"  # code-list order
    assert rows["forsorjningsstod"] == [2, 0, 0, 2]
    assert rows["sjukpenning"] == [1, 0, 0, 1]
    assert rows["lon"] == [0, 1, 0, 1]
    # No source registered (e3) joins the code "uppgift saknas" (e9).
    assert rows["uppgift-saknas"] == [0, 2, 0, 2]
    assert rows["studiemedel"] == [0, 0, 0, 0]
    assert "missing" not in rows
    assert values(table.total) == [2, 3, 0, 5]  # persons, not sources
    assert table.multi_valued
    assert "mer än totalen" in table.population


def test_it_counts_income_after_occupation_after_exit_reason_and_outcome_for_exited(world, data):
    scope = association_scope(world.a)
    income = by_key(stats_table(scope, PERIOD, "income_after"))
    assert income["lon"] == [1, 0, 0, 1]
    assert income["uppgift-saknas"] == [0, 1, 0, 1]  # e9 registered none

    exits = stats_table(scope, PERIOD, "exit_reason")
    rows = by_key(exits)
    assert rows["arbete"] == [1, 0, 0, 1]  # e4 ended before the period
    assert rows["studier"] == [0, 1, 0, 1]
    assert "felregistrering" not in rows
    assert "missing" not in rows
    assert values(exits.total) == [1, 1, 0, 2]
    assert "avslutades" in exits.population

    occupation = by_key(stats_table(scope, PERIOD, "occupation_after"))
    assert occupation["arbete-osubventionerat"] == [1, 0, 0, 1]
    assert occupation["studier"] == [0, 1, 0, 1]

    outcome = stats_table(scope, PERIOD, "outcome")
    assert by_key(outcome) == {
        "work": [1, 0, 0, 1],
        "studies": [0, 1, 0, 1],
        "job_seeking": [0, 0, 0, 0],
        "other": [0, 0, 0, 0],
        "missing": [0, 0, 0, 0],
    }


def test_it_counts_outcome_unknown_when_occupation_after_is_missing(world, data):
    data[2].occupation_after = None
    data[2].save()
    data[9].occupation_after = code("occupation", "uppgift-saknas")
    data[9].save()
    rows = by_key(stats_table(association_scope(world.a), PERIOD, "outcome"))
    assert rows["missing"] == [1, 1, 0, 2]
    assert rows["work"] == [0, 0, 0, 0]


def test_it_counts_time_in_the_initiative_to_exit_or_period_end(world, data):
    table = stats_table(association_scope(world.a), PERIOD, "time_in_initiative")
    assert by_key(table) == {
        "lt3": [0, 1, 0, 1],  # e9: 0 days
        "3-6": [1, 2, 0, 3],  # e2: 103 days to exit; e3: 121 and e7: 180 days to period end
        "6-12": [1, 0, 0, 1],  # e1: 272 days
        "12-24": [0, 0, 0, 0],
        "gt24": [0, 0, 0, 0],
    }


def test_it_counts_home_municipalities_of_the_association(world, data):
    table = stats_table(association_scope(world.a), PERIOD, "home_municipality")
    labels = [r.label for r in table.rows]
    assert labels == ["Mariestad", "Skövde", "Tibro", "Uppgift saknas"]
    assert [values(r) for r in table.rows] == [
        [0, 1, 0, 1],
        [2, 0, 0, 2],
        [0, 0, 0, 0],
        [0, 2, 0, 2],
    ]


def test_it_counts_target_groups_of_the_initiatives(world, data):
    rows = by_key(stats_table(association_scope(world.a), PERIOD, "target_group"))
    assert rows["unga-16-29"] == [2, 2, 0, 4]
    assert rows["psykisk-ohalsa"] == [2, 2, 0, 4]
    assert rows["sjukskrivna"] == [0, 0, 0, 0]
    assert rows["missing"] == [0, 1, 0, 1]  # a_other has no target group


def test_it_counts_entry_code_lists_with_missing(world, data):
    scope = association_scope(world.a)
    referrer = by_key(stats_table(scope, PERIOD, "referrer"))
    assert referrer["arbetsformedlingen"] == [2, 0, 0, 2]
    assert referrer["forsakringskassan"] == [0, 1, 0, 1]
    assert referrer["missing"] == [0, 2, 0, 2]
    education = by_key(stats_table(scope, PERIOD, "education"))
    assert education["gymnasial"] == [1, 0, 0, 1]
    assert education["okand"] == [1, 3, 0, 4]  # not registered counts as unknown
    time_outside = by_key(stats_table(scope, PERIOD, "time_outside_work"))
    assert time_outside["1-2-ar"] == [1, 0, 0, 1]
    occupation = by_key(stats_table(scope, PERIOD, "occupation_before"))
    assert occupation["ingen-sysselsattning"] == [1, 0, 0, 1]
    assert occupation["uppgift-saknas"] == [1, 3, 0, 4]


def test_it_filters_by_initiative_target_group_and_municipality(world, data):
    scope = association_scope(world.a)
    only_other = StatsFilter(
        PERIOD.period_start, PERIOD.period_end, initiative_ids=(world.a_other.pk,)
    )
    assert set(counted_enrolments(scope, only_other)) == {data[9]}
    young = StatsFilter(
        PERIOD.period_start,
        PERIOD.period_end,
        target_group_ids=(code("target_group", "unga-16-29").pk,),
    )
    assert set(counted_enrolments(scope, young)) == {data[1], data[2], data[3], data[7]}
    skovde = StatsFilter(
        PERIOD.period_start, PERIOD.period_end, municipality_ids=(municipality("Skövde").pk,)
    )
    assert set(counted_enrolments(scope, skovde)) == {data[1], data[2]}
    table = stats_table(scope, skovde, "home_municipality")
    assert [r.label for r in table.rows] == ["Skövde", "Uppgift saknas"]
    assert by_key(headline(scope, skovde))["active"] == [2, 0, 0, 2]


def test_it_never_counts_another_associations_enrolments(world, data):
    a_tables = all_tables(association_scope(world.a), PERIOD)
    b_headline = headline(association_scope(world.b), PERIOD)
    assert values(a_tables[0].total) == [2, 3, 0, 5]
    assert values(b_headline.total) == [1, 0, 0, 1]
    national = Scope("national", "Hela landet", None, None, suppress=False)
    assert set(counted_enrolments(national, PERIOD)) == {data[i] for i in (1, 2, 3, 7, 8, 9)}
    initiative = Scope("initiative", "x", frozenset({world.a_other.pk}), None, suppress=False)
    assert set(counted_enrolments(initiative, PERIOD)) == {data[9]}


def test_it_gives_every_dimension_in_order_with_a_stable_shape(world, data):
    tables = all_tables(association_scope(world.a), PERIOD)
    assert [t.dimension for t in tables] == ["headline", *DIMENSIONS]
    empty = all_tables(association_scope(world.a), StatsFilter(D(2010, 1, 1), D(2010, 12, 31)))
    for full, none in zip(tables[1:], empty[1:], strict=True):
        if full.dimension == "home_municipality":
            continue  # the association's municipalities plus occurring ones
        assert [r.key for r in full.rows] == [r.key for r in none.rows], full.dimension
        assert values(none.total) == [0, 0, 0, 0]
    for table in tables:
        for row in [*table.rows, table.total]:
            assert row.total.value == row.women.value + row.men.value + row.other.value


def test_it_rejects_an_unknown_dimension(world):
    with pytest.raises(ValueError):
        stats_table(association_scope(world.a), PERIOD, "shoe_size")


def _enrol_many(initiative, n):
    for i in range(n):
        e = EnrolmentFactory(
            initiative=initiative,
            anonymous=True,
            gender=("woman", "man", "other")[i % 3],
            age_at_start=18 + i,
            start_date=D(2021, 1, 1) + datetime.timedelta(days=i),
            home_municipality=municipality(("Skövde", "Tibro", "Stockholm")[i % 3]),
        )
        e.income_sources_before.set([code("income_source", ("lon", "studiemedel")[i % 2])])


def test_it_uses_the_same_number_of_queries_whatever_the_number_of_rows(
    world, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    scope = association_scope(world.a, suppress=True)
    _enrol_many(world.a_initiative, 3)
    with CaptureQueriesContext(connection) as few:
        all_tables(scope, PERIOD)
    _enrol_many(world.a_other, 30)
    with django_assert_num_queries(len(few.captured_queries)):
        all_tables(scope, PERIOD)
    # One GROUP BY query per table, one for its labels and one more for multi-valued totals.
    assert len(few.captured_queries) <= 2 * (len(DIMENSIONS) + 1) + 3


def test_it_formats_numbers_dates_and_percentages_the_swedish_way():
    assert sv_number(1234567) == "1 234 567"
    assert sv_number(12) == "12"
    assert sv_percent(85, 119) == "71 %"
    assert sv_percent(1, 8) == "13 %"  # half up
    assert sv_percent(0, 0) == "0 %"
    assert sv_date(D(2021, 8, 31)) == "31 augusti 2021"
