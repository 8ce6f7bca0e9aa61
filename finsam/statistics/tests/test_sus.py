"""Every figure of the SUS initiative and participant reports against the known registrations
(see test_sus_registrations.py)."""

import datetime

import pytest

from finsam.reference.models import CodeList
from finsam.statistics import sus
from finsam.statistics.engine import Scope, StatsFilter
from finsam.statistics.tests.test_sus_registrations import (
    NATIONAL,
    YEAR_2021,
    association_scope,
    build_known,
    code,
)

D = datetime.date


@pytest.fixture
def known(world):
    return build_known(world)


def wmt(row):
    """Women, men, total of an engine Row (None where suppressed)."""
    return (row.women.value, row.men.value, row.total.value)


def lines_by_name(report):
    return {line.initiative.name: line for line in report.lines}


# --- Insatsrapport ---------------------------------------------------------------------------


def test_the_initiative_report_counts_every_initiative(world, known):
    report = sus.initiative_report(association_scope(world.a), YEAR_2021)
    lines = lines_by_name(report)
    assert list(lines) == ["Cresco Create", "Hälsoskolan", "Level Upgrade"]
    x, v, y = lines["Cresco Create"], lines["Hälsoskolan"], lines["Level Upgrade"]
    # X: new e2 (w), e3, e4, e10 (m); ongoing at 31 Dec e4, e10; exited e1, e2 (w), e3 (m).
    assert wmt(x.counts["new"]) == (1, 3, 4)
    assert wmt(x.counts["ongoing"]) == (0, 2, 2)
    assert wmt(x.counts["exited"]) == (2, 1, 3)
    assert wmt(x.counts["anonymous"]) == (1, 1, 2)
    assert x.counts["volume"] is None
    assert (x.planned_participants, x.budget, x.outcome) == (25, 1_000_000, 900_000)
    # Y has no budget: its own planned participants.
    assert wmt(y.counts["new"]) == (1, 0, 1)
    assert wmt(y.counts["ongoing"]) == (1, 0, 1)
    assert wmt(y.counts["exited"]) == (0, 0, 0)
    assert (y.planned_participants, y.budget, y.outcome) == (10, None, None)
    # V: head counts of March and November 2021.
    assert wmt(v.counts["volume"]) == (4, 2, 6)
    assert v.counts["new"] is None
    assert (v.budget, v.outcome) == (100_000, None)
    assert wmt(report.totals["new"]) == (2, 3, 5)
    assert wmt(report.totals["volume"]) == (4, 2, 6)
    assert (report.budget_total, report.outcome_total, report.planned_total) == (
        1_100_000,
        900_000,
        35,
    )
    assert report.variables == list(sus.VARIABLE_KEYS)
    assert not report.suppressed


def test_a_period_of_one_month_counts_only_that_month(world, known):
    march = StatsFilter(period_start=D(2021, 3, 1), period_end=D(2021, 3, 31))
    lines = lines_by_name(sus.initiative_report(association_scope(world.a), march))
    x = lines["Cresco Create"]
    assert wmt(x.counts["new"]) == (0, 1, 1)  # e4
    assert wmt(x.counts["exited"]) == (1, 0, 1)  # e1
    assert wmt(x.counts["ongoing"]) == (1, 1, 2)  # e2, e4
    assert wmt(lines["Hälsoskolan"].counts["volume"]) == (3, 2, 5)
    # Y starts in September and is still listed (its period overlaps), with zeros.
    assert wmt(lines["Level Upgrade"].counts["new"]) == (0, 0, 0)


def test_the_initiative_report_follows_the_filters(world, known):
    flt = StatsFilter(
        period_start=D(2021, 1, 1),
        period_end=D(2021, 12, 31),
        target_group_ids=(code(CodeList.TARGET_GROUP, "unga-16-29").pk,),
    )
    report = sus.initiative_report(association_scope(world.a), flt, ["status", "new", "foo"])
    assert [line.initiative.name for line in report.lines] == ["Cresco Create"]
    assert report.variables == ["new", "status"]


def test_head_counts_are_left_out_when_filtering_by_municipality(world, known):
    from finsam.reference.models import Municipality

    flt = StatsFilter(
        period_start=D(2021, 1, 1),
        period_end=D(2021, 12, 31),
        municipality_ids=(Municipality.objects.get(name="Skövde").pk,),
    )
    report = sus.initiative_report(association_scope(world.a), flt)
    assert not report.volume_shown
    assert lines_by_name(report)["Hälsoskolan"].counts["volume"] is None
    assert wmt(lines_by_name(report)["Cresco Create"].counts["new"]) == (0, 0, 0)


def test_the_initiative_report_is_suppressed_nationally(world, known):
    report = sus.initiative_report(NATIONAL, YEAR_2021)
    assert report.suppressed
    names = [line.initiative.name for line in report.lines]
    assert "Rätt Hjälp" in names  # association B's initiative is in the national scope
    x = lines_by_name(report)["Cresco Create"]
    for measure in sus.COUNT_VARIABLES:
        for line in report.lines:
            row = line.counts[measure]
            if row is None:
                continue
            for cell in row.cells:
                assert cell.value is None or cell.value == 0 or cell.value >= 5
    assert x.counts["new"].total.display == "1–4"
    # Totals of 5 or more stay visible; money is never suppressed.
    assert report.totals["volume"].total.value == 6
    assert report.budget_total == 1_100_000


def test_the_initiative_report_costs_the_same_queries_for_3_and_30_initiatives(
    world, known, django_assert_num_queries
):
    from finsam.initiatives.tests.factories import InitiativeFactory

    scope = association_scope(world.a)
    with django_assert_num_queries(5) as few:
        sus.initiative_report(scope, YEAR_2021)
    for n in range(27):
        InitiativeFactory(association=world.a, name=f"Extra {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        report = sus.initiative_report(scope, YEAR_2021)
    assert len(report.lines) == 30


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        (D(2021, 1, 1), D(2021, 1, 31), True),
        (D(2021, 1, 15), D(2021, 2, 14), True),
        (D(2021, 2, 1), D(2021, 2, 28), True),
        (D(2021, 1, 31), D(2021, 2, 27), True),
        (D(2021, 1, 1), D(2021, 1, 30), False),
        (D(2021, 12, 15), D(2022, 1, 13), False),
        (D(2021, 12, 15), D(2022, 1, 14), True),
    ],
)
def test_the_period_must_be_a_month_or_longer(start, end, ok):
    assert sus.one_month_or_longer(StatsFilter(period_start=start, period_end=end)) is ok


# --- Standardrapport deltagare ---------------------------------------------------------------


@pytest.fixture
def report(world, known):
    return sus.participant_report(association_scope(world.a), YEAR_2021)


def by_key(comparison):
    return {
        line.key: (wmt(line.before), wmt(line.after))
        for line in comparison.lines
        if line.before.total.value or line.after.total.value
    }


def test_the_exited_are_counted_by_gender(report):
    # e1, e2 (women), e3, e7 (men); e8 is a wrong registration, e12 is association B's.
    assert wmt(report.exited) == (2, 2, 4)
    assert report.reports == list(sus.REPORT_KEYS)


def test_report_1_occupation_before_and_after(report):
    assert by_key(report.occupation) == {
        "arbete-osubventionerat": ((0, 0, 0), (1, 0, 1)),
        "arbete-subventionerat": ((0, 1, 1), (0, 1, 1)),
        "studier": ((1, 0, 1), (1, 0, 1)),
        "aktivt-arbetssokande": ((1, 0, 1), (0, 0, 0)),
        "uppgift-saknas": ((0, 1, 1), (0, 1, 1)),
        "total": ((2, 2, 4), (2, 2, 4)),
    }
    lines = {line.key: line for line in report.occupation.lines}
    women, men, total = lines["aktivt-arbetssokande"].changes
    assert (total.number, total.percent, total.number_display, total.percent_display) == (
        -1,
        -100,
        "−1",
        "−100 %",
    )
    women, men, total = lines["arbete-osubventionerat"].changes
    assert (total.number_display, total.percent_display) == ("+1", "–")


def test_report_2_occupation_in_four_groups(report):
    assert by_key(report.occupation_groups) == {
        "work": ((0, 1, 1), (1, 1, 2)),
        "studies": ((1, 0, 1), (1, 0, 1)),
        "job_seeking": ((1, 0, 1), (0, 0, 0)),
        "other": ((0, 1, 1), (0, 1, 1)),  # e7 has no occupation: övriga
        "total": ((2, 2, 4), (2, 2, 4)),
    }
    work = next(line for line in report.occupation_groups.lines if line.key == "work")
    assert [(c.number, c.percent) for c in work.changes] == [(1, None), (0, 0), (1, 100)]


def test_report_3_work_or_studies_after_and_started_or_increased(report):
    rows = {row.key: wmt(row) for row in report.work_studies.rows}
    assert rows == {
        "work": (1, 1, 2),  # e1, e3
        "studies": (1, 0, 1),  # e2
        "work_or_studies": (2, 1, 3),
        "started": (1, 0, 1),  # e1 was seeking work before
        "increased": (1, 0, 1),  # e2 went from 50 % to 100 %; e3 stayed at 50 %
        "started_or_increased": (2, 0, 2),
    }
    assert wmt(report.work_studies.total) == (2, 2, 4)


def test_report_4_income_sources_before_and_after(report):
    assert by_key(report.income) == {
        "lon": ((0, 0, 0), (1, 0, 1)),
        "sjukpenning": ((0, 1, 1), (0, 1, 1)),
        "forsorjningsstod": ((2, 0, 2), (0, 0, 0)),
        "studiemedel": ((1, 0, 1), (1, 0, 1)),
        "uppgift-saknas": ((0, 1, 1), (0, 1, 1)),
        "total": ((2, 2, 4), (2, 2, 4)),
    }
    line = next(line for line in report.income.lines if line.key == "forsorjningsstod")
    assert [(c.number, c.percent) for c in line.changes] == [(-2, -100), (0, None), (-2, -100)]
    assert report.income.before.multi_valued


def test_report_5_transition_from_social_assistance(report):
    transition = report.transition
    assert transition.code.code == "forsorjningsstod"
    rows = {row.key: wmt(row) for row in transition.table.rows if row.total.value}
    assert rows == {"lon": (1, 0, 1), "studiemedel": (1, 0, 1)}
    assert wmt(transition.table.total) == (2, 0, 2)
    assert {k: c.value for k, c in transition.matrix.items()} == {
        ("forsorjningsstod", "lon"): 1,
        ("forsorjningsstod", "studiemedel"): 1,
        ("studiemedel", "studiemedel"): 1,
        ("sjukpenning", "sjukpenning"): 1,
        ("missing", "missing"): 1,
    }
    assert {k: c.value for k, c in transition.before_totals.items()} == {
        "forsorjningsstod": 2,
        "studiemedel": 1,
        "sjukpenning": 1,
        "missing": 1,
    }
    labels = [label for _key, label in transition.sources]
    assert labels[-1] == "Uppgift saknas"


def test_report_5_for_another_chosen_income_source(world, known):
    report = sus.participant_report(
        association_scope(world.a),
        YEAR_2021,
        ["transition"],
        transition_code=code(CodeList.INCOME_SOURCE, "sjukpenning"),
    )
    assert report.reports == ["transition"]
    assert report.occupation is None
    rows = {row.key: wmt(row) for row in report.transition.table.rows if row.total.value}
    assert rows == {"sjukpenning": (0, 1, 1)}


def test_report_6_time_in_the_initiative_comes_from_the_engine(report):
    assert report.time.dimension == "time_in_initiative"
    # Active in 2021 in A: e1, e2, e3, e4, e6, e7, e10, e11.
    assert report.time.total.total.value == 8


def test_the_participant_report_is_suppressed_nationally(world, known):
    report = sus.participant_report(NATIONAL, YEAR_2021)
    # Nationally e12 (B) exits too: 3 women, 2 men, 5 in all.
    assert report.exited.total.value == 5
    assert report.exited.women.value is None and report.exited.men.value is None
    for comparison in (report.occupation, report.occupation_groups, report.income):
        for line in comparison.lines:
            for cell in [*line.before.cells, *line.after.cells]:
                assert cell.value is None or cell.value == 0 or cell.value >= 5
            for change, before, after in zip(
                line.changes,
                (line.before.women, line.before.men, line.before.total),
                (line.after.women, line.after.men, line.after.total),
                strict=True,
            ):
                assert change.hidden == (before.value is None or after.value is None)
    for row in [*report.work_studies.rows, *report.transition.table.rows]:
        assert all(c.value is None or c.value == 0 or c.value >= 5 for c in row.cells)
    assert all(
        c.value is None or c.value == 0 or c.value >= 5 for c in report.transition.matrix.values()
    )


def test_the_participant_report_costs_a_fixed_number_of_queries(
    world, known, django_assert_max_num_queries
):
    from finsam.statistics.tests.test_sus_registrations import enrol

    scope = association_scope(world.a)
    with django_assert_max_num_queries(30) as few:
        sus.participant_report(scope, YEAR_2021)
    for _n in range(30):
        enrol(
            known.x, "woman", D(2021, 1, 1), D(2021, 6, 1),
            occupation_before="studier", occupation_after="arbete-skyddat",
            income_before=["sjukersattning", "forsorjningsstod"], income_after=["lon"],
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        report = sus.participant_report(scope, YEAR_2021)
    assert report.exited.total.value == 34


def test_the_comparison_chart_is_a_real_svg_chart(report):
    svg = sus.comparison_chart_svg(report.occupation_groups)
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg
    for text in ("Kvinnor före", "Män efter", "Förvärvsarbete"):
        assert text in svg


def test_the_comparison_chart_never_draws_a_suppressed_value(world, known):
    report = sus.participant_report(NATIONAL, YEAR_2021, ["occupation_groups"])
    svg = sus.comparison_chart_svg(report.occupation_groups)
    assert "1–4" in svg


def test_changes_are_shown_with_sign_and_percent():
    from finsam.statistics.engine import Cell

    assert sus.change(Cell(4), Cell(6)).percent_display == "+50 %"
    assert sus.change(Cell(3), Cell(1)).percent_display == "−67 %"
    assert sus.change(Cell(0), Cell(0)).percent_display == "–"
    assert sus.change(Cell(None), Cell(9)).number_display == ".."


def test_an_empty_scope_gives_an_empty_report(db):
    scope = Scope(
        kind="initiative",
        label="x",
        initiative_ids=frozenset({-1}),
        association_ids=None,
        suppress=False,
    )
    report = sus.initiative_report(scope, YEAR_2021)
    assert report.lines == []
    assert report.budget_total is None
    assert report.totals["new"].total.value == 0


@pytest.mark.parametrize("limit", [2, 5])
def test_the_transition_hides_small_cells_by_the_setting(world, known, limit):
    """The transition of income sources (report 5) hides exactly the counts below
    SMALL_CELL_LIMIT, like every other table, not a fixed "1–4"."""
    import dataclasses

    from django.test import override_settings

    open_scope = dataclasses.replace(NATIONAL, suppress=False)
    with override_settings(SMALL_CELL_LIMIT=limit):
        real = sus.participant_report(open_scope, YEAR_2021, ["transition"]).transition
        hidden = sus.participant_report(NATIONAL, YEAR_2021, ["transition"]).transition
    cells = [
        *zip(real.matrix.values(), hidden.matrix.values(), strict=True),
        *zip(real.before_totals.values(), hidden.before_totals.values(), strict=True),
    ]
    assert any(1 <= shown.value < 5 for shown, _ in cells)  # the data has small counts
    for shown, suppressed in cells:
        small = 1 <= shown.value < limit
        assert suppressed.value == (None if small else shown.value)


def test_the_comparison_charts_style_element_is_allowed_by_the_policy(report):
    """matplotlib writes one <style> into the SUS comparison chart drawn inline in the page: the
    Content-Security-Policy allows it by its hash."""
    from finsam.core.tests.test_headers import style_elements_allowed

    svg = sus.comparison_chart_svg(report.occupation_groups)
    assert "<style" in svg
    assert style_elements_allowed(svg)
