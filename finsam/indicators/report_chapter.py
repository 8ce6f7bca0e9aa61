"""The indicator results in each initiative's chapter of the compiled report, contributed
through `finsam.reports.chapters` (registered in `IndicatorsConfig.ready`).

The measurement year is the year the reporting period ends in; an initiative without answers
that year gets no part.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from finsam.indicators import presentation as p
from finsam.indicators import selectors
from finsam.reports.chapters import ChapterPart
from finsam.reports.documents.content import StatTable, TableRow


def indicator_part(report) -> ChapterPart | None:
    if report.is_sub_report:
        return None
    initiative = report.initiative
    year = report.period.end_date.year
    found = selectors.results(
        association=initiative.association, year=year, initiative=initiative, compare=False
    )
    rows = [(ind, res) for ind, res in found.pairs() if res.total.n]
    if not rows:
        return None
    table = StatTable(
        title=_("Indikatorer %(year)s") % {"year": year},
        population=_("Räknade svar (utan ”vet ej”) i insatsens enkäter under mätåret."),
        columns=[_("Antal svar"), _("Andel"), _("Mål"), _("Uppfyllt"), _("Föregående år")],
        rows=[
            TableRow(
                f"{ind.code} {ind.text()}",
                [
                    p.n_text(res.total, res.rule),
                    p.share_text(res.total),
                    p.target_text(res.rule),
                    p.met_text(res.met),
                    p.share_text(res.previous) if res.previous.n else "–",
                ],
            )
            for ind, res in rows
        ],
        total=None,
        key="indicators",
    )
    minimum = min((res.rule.minimum for _i, res in rows), default=settings.SMALL_CELL_LIMIT)
    return ChapterPart(
        heading=_("Indikatorer"),
        paragraphs=[],
        tables=[table],
        note=p.suppression_text(minimum),
    )
