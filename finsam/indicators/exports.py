"""The indicator results as XLSX in the shape of the national aggregated report ("Aggregerat
resultat"): an overview sheet, then one sheet per respondent group, each with one row per
indicator and the columns n, share, target, met. Hidden figures are written as their text
("För få svar", ".."), never as the real value; shares as numbers (0–1, shown as percent)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from finsam.documents import xlsx
from finsam.documents.xlsx import safe_text
from finsam.indicators import presentation as p
from finsam.indicators.compute import Figure, meets
from finsam.questionnaires.models import RespondentGroup

PERCENT = "0%"


def _n(figure: Figure, rule):
    return p.n_text(figure, rule) if figure.hidden else figure.n


def _share(figure: Figure):
    if figure.hidden:
        return p.share_text(figure)
    return figure.share if figure.share is not None else "–"


def _sheet(book, title: str, heading: str, found, figure_of, minimum: int, first=False):
    sheet = book.active if first else book.create_sheet()
    sheet.title = title[:31]
    xlsx.append_title(sheet, heading)
    sheet.append([safe_text(p.suppression_text(minimum))])
    sheet.append([])
    headers = [
        _("Kod"),
        _("Indikator"),
        _("Antal svar"),
        _("Andel positiva"),
        _("Mål"),
        _("Uppfyllt"),
    ]
    xlsx.append_header(sheet, headers)
    for indicator, result in found.pairs():
        figure = figure_of(result)
        sheet.append(
            [
                indicator.code,
                safe_text(indicator.text()),
                _n(figure, result.rule),
                _share(figure),
                p.target_text(result.rule),
                p.met_text(meets(figure, result.rule)),
            ]
        )
        cell = sheet.cell(row=sheet.max_row, column=4)
        if isinstance(cell.value, float):
            cell.number_format = PERCENT
    xlsx.column_widths(sheet, {1: 8, 2: 64, 3: 12, 4: 14, 5: 12, 6: 14})
    return sheet


def indicators_xlsx(found, *, title: str) -> bytes:
    book = xlsx.workbook()
    minimum = min((r.rule.minimum for r in found.results), default=5)
    _sheet(book, _("Alla svarsgrupper"), title, found, lambda r: r.total, minimum, first=True)
    for group in RespondentGroup:
        _sheet(
            book,
            str(group.label),
            f"{title} – {group.label}",
            found,
            lambda r, g=group.value: r.by_group.get(g, Figure()),
            minimum,
        )
    return xlsx.save(book)
