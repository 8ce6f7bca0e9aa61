"""XLSX workbooks (openpyxl): the one place spreadsheets are built, for every download.

A builder makes a workbook (`workbook`), adds sheets and appends rows with the helpers below
(title rows, header rows in the house fill, bold total rows, column widths and alignment,
number formats, a frozen header, list validation) and returns the file (`save`). Text that
could be read as a formula is escaped with `safe_text`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

# The header fill of the statistics downloads, and of the import template.
HEADER_FILL = "E7EEF7"
TEMPLATE_HEADER_FILL = "DDE7F0"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
_FORMULA_START = ("=", "+", "-", "@")


def safe_text(value: str) -> str:
    """Keep spreadsheet programs from reading a label as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def workbook(*, creator: str | None = "finsam"):
    """A new workbook; its first sheet is `workbook.active`. `creator` None: openpyxl's."""
    from openpyxl import Workbook

    book = Workbook()
    if creator is not None:
        book.properties.creator = creator
    return book


def save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def fill(colour: str = HEADER_FILL):
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=colour)


def font(*, bold: bool = False, italic: bool = False, size: float | None = None):
    from openpyxl.styles import Font

    options = {"bold": bold, "italic": italic, "size": size}
    return Font(**{name: value for name, value in options.items() if value})


def alignment(**options):
    from openpyxl.styles import Alignment

    return Alignment(**options)


def style_row(sheet, *, row: int | None = None, columns: int | None = None, **style) -> None:
    """Set `style` (`font`, `fill`, `alignment`) on the cells of `row` (default: the last row),
    its first `columns` cells or all of them."""
    cells = sheet[row or sheet.max_row]
    for cell in cells[:columns] if columns else cells:
        for name, value in style.items():
            setattr(cell, name, value)


def style_cell(sheet, column: int = 1, *, row: int | None = None, **style) -> None:
    """Set `style` on one cell of `row` (default: the last row)."""
    cell = sheet.cell(row=row or sheet.max_row, column=column)
    for name, value in style.items():
        setattr(cell, name, value)


def append_title(sheet, text: str, *, size: float = 14) -> None:
    """A row with `text` (escaped) in bold at `size` points."""
    sheet.append([safe_text(text)])
    style_cell(sheet, font=font(bold=True, size=size))


def append_header(sheet, values: Iterable, *, colour: str | None = HEADER_FILL, columns=None):
    """A header row: bold, in the header fill (`colour` None: no fill)."""
    sheet.append(list(values))
    style = {"font": font(bold=True)}
    if colour is not None:
        style["fill"] = fill(colour)
    style_row(sheet, columns=columns, **style)


def append_bold(sheet, values: Iterable, *, columns: int | None = None) -> None:
    """A bold row (a total)."""
    sheet.append(list(values))
    style_row(sheet, columns=columns, font=font(bold=True))


def column_widths(sheet, widths: Mapping[int, float]) -> None:
    """Column widths by column number (1 = A)."""
    from openpyxl.utils import get_column_letter

    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def align_columns(sheet, columns: Iterable[int], horizontal: str) -> None:
    """Align every cell of the given columns."""
    from openpyxl.styles import Alignment

    for column in columns:
        for (cell,) in sheet.iter_rows(min_col=column, max_col=column):
            cell.alignment = Alignment(horizontal=horizontal)


def date_cells(sheet, *, row: int | None = None) -> None:
    """Dates in `row` (default: the last) shown as ÅÅÅÅ-MM-DD."""
    import datetime

    for cell in sheet[row or sheet.max_row]:
        if isinstance(cell.value, datetime.date):
            cell.number_format = DATE_FORMAT


def list_validation(sheet, cells: str, formula: str, **options) -> None:
    """A drop-down list on `cells` (e.g. "C2:C2001") from `formula` ('"a,b"' or a range)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(type="list", formula1=formula, **options)
    validation.add(cells)
    sheet.add_data_validation(validation)


def table_sheet(
    sheet,
    headers: list,
    rows: Iterable[list],
    *,
    total: list | None = None,
    widths: Mapping[int, float] | None = None,
    colour: str | None = HEADER_FILL,
    freeze: str | None = None,
    dates: bool = False,
) -> None:
    """A sheet that is one table: a header row, the rows, an optional bold total row, column
    widths and a frozen header (`freeze`: the first cell that scrolls, e.g. "B2"); `dates`:
    dates shown as ÅÅÅÅ-MM-DD."""
    append_header(sheet, headers, colour=colour)
    for values in rows:
        sheet.append(list(values))
        if dates:
            date_cells(sheet)
    if total is not None:
        append_bold(sheet, total)
    if widths:
        column_widths(sheet, widths)
    if freeze:
        sheet.freeze_panes = freeze
