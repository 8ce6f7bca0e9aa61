import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from finsam.participants.tests.factories import EnrolmentFactory
from finsam.statistics.engine import (
    SUPPRESSION_TEXT,
    Cell,
    Row,
    Scope,
    StatsFilter,
    Table,
    all_tables,
)
from finsam.statistics.exports import table_csv, table_xlsx

D = datetime.date


def make_table(*, suppressed=False):
    rows = [
        Row("forsorjningsstod", "Försörjningsstöd", Cell(12), Cell(None), Cell(0), Cell(15)),
        Row("lon", "Lön", Cell(1200), Cell(30), Cell(None, True), Cell(1236)),
        Row("x", "=SUM(A1)", Cell(0), Cell(0), Cell(0), Cell(0)),
    ]
    total = Row("total", "Totalt", Cell(1212), Cell(33), Cell(6), Cell(1251))
    return Table("income_before", "Försörjningskälla före", rows, total, "aktiva", suppressed)


def read_rows(data):
    sheet = load_workbook(io.BytesIO(data)).active
    return sheet, [list(r) for r in sheet.iter_rows(values_only=True)]


def test_it_writes_xlsx_with_title_filters_note_and_tables():
    data = table_xlsx(
        [make_table(suppressed=True), make_table()],
        title="Statistik för Hela landet",
        filters_text="Period: 2021-01-01 – 2021-06-30",
    )
    sheet, rows = read_rows(data)
    assert sheet.title == "Statistik"
    assert rows[0][0] == "Statistik för Hela landet"
    assert rows[1][0] == "Period: 2021-01-01 – 2021-06-30"
    assert rows[2][0] == str(SUPPRESSION_TEXT)
    header = rows.index(["Försörjningskälla före", "Kvinnor", "Män", "Annat/ej angivet", "Totalt"])
    assert rows[header - 1][0] == "Räknas: aktiva"
    assert rows[header - 2][0] == "Försörjningskälla före"
    assert rows[header + 1] == ["Försörjningsstöd", 12, "1–4", 0, 15]
    assert rows[header + 2] == ["Lön", 1200, 30, "..", 1236]
    assert rows[header + 3][0] == "'=SUM(A1)"  # never a formula
    assert rows[header + 4] == ["Totalt", 1212, 33, 6, 1251]
    assert sheet.cell(row=header + 1, column=2).font.b  # bold header
    assert sheet.cell(row=header + 5, column=1).font.b  # bold total
    assert sum(1 for r in rows if r[0] == "Försörjningskälla före" and r[1] == "Kvinnor") == 2


def test_it_leaves_out_the_note_when_nothing_is_suppressed():
    _sheet, rows = read_rows(table_xlsx([make_table()], title="T", filters_text="F"))
    assert str(SUPPRESSION_TEXT) not in [r[0] for r in rows]


def test_it_writes_csv_for_swedish_excel():
    data = table_csv(make_table(suppressed=True))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Försörjningskälla före", "Kvinnor", "Män", "Annat/ej angivet", "Totalt"],
        ["Försörjningsstöd", "12", "1–4", "0", "15"],
        ["Lön", "1200", "30", "..", "1236"],
        ["'=SUM(A1)", "0", "0", "0", "0"],
        ["Totalt", "1212", "33", "6", "1251"],
    ]


@pytest.mark.django_db
def test_it_exports_real_tables_read_back(world):
    for gender in ("woman",) * 6 + ("man",) * 2:
        EnrolmentFactory(
            initiative=world.a_initiative, anonymous=True, gender=gender, start_date=D(2021, 3, 1)
        )
    scope = Scope("national", "Hela landet", None, None, suppress=True)
    tables = all_tables(scope, StatsFilter(D(2021, 1, 1), D(2021, 6, 30)))
    _sheet, rows = read_rows(table_xlsx(tables, title="Hela landet", filters_text="2021"))
    header = rows.index(["Kön", "Kvinnor", "Män", "Annat/ej angivet", "Totalt"])
    # 6 women would follow from 8 - (1–4 men): hidden too.
    assert rows[header + 1] == ["Kvinnor", "..", 0, 0, ".."]
    assert rows[header + 2] == ["Män", 0, "1–4", 0, "1–4"]
    assert rows[header + 4] == ["Totalt", "..", "1–4", 0, 8]
    for table in tables:
        parsed = list(csv.reader(io.StringIO(table_csv(table).decode("utf-8-sig")), delimiter=";"))
        assert len(parsed) == len(table.rows) + 1 + table.show_total
        assert (parsed[-1][0] == "Totalt") == table.show_total
