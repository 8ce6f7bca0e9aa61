"""Downloads of statistics tables: XLSX (all tables on one sheet) and CSV (one table).

Suppressed cells are written as their text ("1–4", or ".." for a secondary suppression), never as
the real value; all other counts are numbers so that they can be summed in a spreadsheet.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from finsam.documents import xlsx
from finsam.documents.xlsx import safe_text as _text
from finsam.statistics.engine import SUPPRESSION_TEXT, Cell, Table


def _value(cell: Cell):
    return cell.display if cell.value is None else cell.value


def _header(table: Table) -> list[str]:
    return [table.title, *table.column_labels]


def table_xlsx(tables: list[Table], *, title: str, filters_text: str) -> bytes:
    """One sheet "Statistik": the title, the filters, the suppression note (when any table is
    suppressed), then every table with its title, population, bold header and total row."""
    workbook = xlsx.workbook()
    sheet = workbook.active
    sheet.title = _("Statistik")[:31]
    xlsx.append_title(sheet, title)
    sheet.append([_text(filters_text)])
    if any(t.suppressed for t in tables):
        sheet.append([str(SUPPRESSION_TEXT)])
        xlsx.style_cell(sheet, alignment=xlsx.alignment(wrap_text=False))
    for table in tables:
        sheet.append([])
        xlsx.append_title(sheet, table.title, size=12)
        if table.population:
            sheet.append([_text(_("Räknas: %(population)s") % {"population": table.population})])
            xlsx.style_cell(sheet, font=xlsx.font(italic=True))
        xlsx.append_header(sheet, _header(table), columns=5)
        for row in table.rows:
            sheet.append([_text(row.label), *(_value(c) for c in row.cells)])
        if table.show_total:
            xlsx.append_bold(
                sheet,
                [_text(table.total.label), *(_value(c) for c in table.total.cells)],
                columns=5,
            )
    xlsx.column_widths(sheet, {1: 48, **dict.fromkeys(range(2, 6), 16)})
    xlsx.align_columns(sheet, range(2, 6), "right")
    return xlsx.save(workbook)


def table_csv(table: Table) -> bytes:
    """One table as CSV for Swedish Excel: UTF-8 with BOM, ';' between fields."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_text(v) for v in _header(table)])
    for row in [*table.rows, table.total] if table.show_total else table.rows:
        writer.writerow([_text(row.label), *(_value(c) for c in row.cells)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
