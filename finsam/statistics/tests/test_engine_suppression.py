"""The small-cell rule: counts 1–4 hidden outside the association, and no hidden count can be
worked out from a row or column total."""

import datetime
import random

import pytest

from finsam.participants.tests.factories import EnrolmentFactory
from finsam.statistics.engine import (
    SUPPRESSION_TEXT,
    Cell,
    Row,
    Scope,
    StatsFilter,
    Table,
    all_tables,
    headline,
    stats_table,
    suppress_table,
)

D = datetime.date
PERIOD = StatsFilter(period_start=D(2021, 1, 1), period_end=D(2021, 12, 31))


def make_table(matrix):
    rows = [
        Row(str(i), f"Rad {i}", Cell(w), Cell(m), Cell(o), Cell(w + m + o))
        for i, (w, m, o) in enumerate(matrix)
    ]
    sums = [sum(col) for col in zip(*matrix, strict=True)] if matrix else [0, 0, 0]
    total = Row("total", "Totalt", *(Cell(v) for v in sums), Cell(sum(sums)))
    return Table("x", "X", rows, total, "", False)


def shown(table):
    return [[c.display for c in row.cells] for row in [*table.rows, table.total]]


def lines(table):
    rows = [row.cells for row in [*table.rows, table.total]]
    columns = [[row.cells[i] for row in [*table.rows, table.total]] for i in range(4)]
    return rows + columns


def test_it_hides_counts_from_one_to_four_and_their_recovering_neighbour():
    table = make_table([[3, 10, 0], [20, 30, 0]])
    suppress_table(table)
    assert shown(table) == [
        ["1–4", "..", "0", "13"],
        ["..", "..", "0", "50"],  # 20 alone in its row would follow from 50 - 30
        ["23", "40", "0", "63"],
    ]
    assert table.rows[0].women.value is None and not table.rows[0].women.secondary
    assert table.rows[0].men.secondary  # secondary suppression, shown ".."
    assert table.suppressed


def test_it_hides_small_totals_too():
    table = make_table([[2, 0, 0], [0, 0, 0]])
    suppress_table(table)
    assert shown(table) == [
        ["1–4", "0", "0", "1–4"],
        ["0", "0", "0", "0"],
        ["1–4", "0", "0", "1–4"],
    ]


def test_it_keeps_zeros_and_five_or_more():
    table = make_table([[5, 0, 0], [0, 7, 0]])
    suppress_table(table)
    assert shown(table) == [["5", "0", "0", "5"], ["0", "7", "0", "7"], ["5", "7", "0", "12"]]


@pytest.mark.parametrize("seed", range(40))
def test_it_never_leaves_a_single_hidden_cell_in_a_row_or_column(seed):
    rng = random.Random(seed)
    matrix = [
        [rng.choice([0, 0, 1, 2, 3, 4, 5, 8, 12, 40]) for _ in range(3)]
        for _ in range(rng.randint(1, 8))
    ]
    table = make_table(matrix)
    real = [[c.value for c in row.cells] for row in [*table.rows, table.total]]
    suppress_table(table)
    for line in lines(table):
        assert sum(1 for c in line if c.value is None) != 1
    for row, real_row in zip([*table.rows, table.total], real, strict=True):
        for cell, value in zip(row.cells, real_row, strict=True):
            assert cell.value in (None, value)  # shown values are the real ones
            assert cell.value is None or not 1 <= cell.value <= 4


@pytest.mark.django_db
def test_it_suppresses_national_tables_but_not_the_own_association(world):
    for i in range(9):
        EnrolmentFactory(
            initiative=world.a_initiative,
            anonymous=True,
            gender="woman" if i < 3 else "man",
            age_at_start=30,
            start_date=D(2021, 2, 1),
        )
    own = Scope("association", "A", None, frozenset({world.a.pk}), suppress=False)
    national = Scope("national", "Hela landet", None, None, suppress=True)
    mine = stats_table(own, PERIOD, "gender")
    assert [r.women.value for r in mine.rows] == [3, 0, 0]
    assert mine.suppressed is False
    theirs = stats_table(national, PERIOD, "gender")
    assert theirs.suppressed is True
    assert [[c.display for c in r.cells] for r in theirs.rows] == [
        ["1–4", "0", "0", "1–4"],
        ["0", "..", "0", ".."],
        ["0", "0", "0", "0"],
    ]
    assert [c.display for c in theirs.total.cells] == ["1–4", "..", "0", "9"]
    top = headline(national, PERIOD)
    assert [c.display for c in top.total.cells] == ["1–4", "..", "0", "9"]
    for table in all_tables(national, PERIOD):
        assert table.suppressed
        for row in [*table.rows, table.total]:
            for cell in row.cells:
                assert cell.value is None or not 1 <= cell.value <= 4, table.dimension


def test_it_explains_the_rule_in_swedish():
    text = str(SUPPRESSION_TEXT)
    assert text.startswith("Antal från 1 till 4 visas inte")
    assert "1–4" in text and "identifieras" in text
