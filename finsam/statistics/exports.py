"""Downloads of statistics tables: XLSX (all tables on one sheet) and CSV (one table).

Suppressed cells are written as their text ("1–4", or ".." for a secondary suppression), never as
the real value; all other counts are numbers so that they can be summed in a spreadsheet.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from finsam.statistics.engine import SUPPRESSION_TEXT, Cell, Table

_FORMULA_START = ("=", "+", "-", "@")


def _text(value: str) -> str:
    """Keep spreadsheet programs from reading a label as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _value(cell: Cell):
    return cell.display if cell.value is None else cell.value


def _header(table: Table) -> list[str]:
    return [table.title, *table.column_labels]


def table_xlsx(tables: list[Table], *, title: str, filters_text: str) -> bytes:
    """One sheet "Statistik": the title, the filters, the suppression note (when any table is
    suppressed), then every table with its title, population, bold header and total row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statistik")[:31]
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="E7EEF7")
    sheet.append([_text(title)])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.append([_text(filters_text)])
    if any(t.suppressed for t in tables):
        sheet.append([str(SUPPRESSION_TEXT)])
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=False)
    for table in tables:
        sheet.append([])
        sheet.append([_text(table.title)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        if table.population:
            sheet.append([_text(_("Räknas: %(population)s") % {"population": table.population})])
            sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True)
        sheet.append(_header(table))
        for column in range(1, 6):
            cell = sheet.cell(row=sheet.max_row, column=column)
            cell.font = bold
            cell.fill = header_fill
        for row in table.rows:
            sheet.append([_text(row.label), *(_value(c) for c in row.cells)])
        if table.show_total:
            sheet.append([_text(table.total.label), *(_value(c) for c in table.total.cells)])
            for column in range(1, 6):
                sheet.cell(row=sheet.max_row, column=column).font = bold
    sheet.column_dimensions["A"].width = 48
    for column in range(2, 6):
        sheet.column_dimensions[get_column_letter(column)].width = 16
        for (cell,) in sheet.iter_rows(min_col=column, max_col=column):
            cell.alignment = Alignment(horizontal="right")
    workbook.properties.creator = "finsam"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_csv(table: Table) -> bytes:
    """One table as CSV for Swedish Excel: UTF-8 with BOM, ';' between fields."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_text(v) for v in _header(table)])
    for row in [*table.rows, table.total] if table.show_total else table.rows:
        writer.writerow([_text(row.label), *(_value(c) for c in row.cells)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
