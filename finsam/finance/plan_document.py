"""The operational plan and budget as a document for the board (PDF via Typst, DOCX): the
budget for year N with plan years N+1 and N+2, the members' contributions, budget against
outcome and forecast, the equity, and the initiatives with their texts — blocks of
`finsam.documents.blocks`, rendered by `finsam.documents.render`."""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from finsam.core.formats import sv_amount, sv_date, sv_percent_value
from finsam.documents import blocks
from finsam.finance.equity import equity_position
from finsam.finance.models import BudgetLineGroup
from finsam.finance.plan import OperationalPlan, operational_plan
from finsam.initiatives.models import INITIATIVE_TEXT_FIELDS, Initiative

_GROUP_TITLES = {
    BudgetLineGroup.INCOME: lambda: _("Övriga intäkter"),
    BudgetLineGroup.EQUITY: lambda: _("Ianspråktaget eget kapital"),
    BudgetLineGroup.ADMIN: lambda: _("Administration"),
    BudgetLineGroup.ACTIVITY: lambda: _("Övriga verksamhetskostnader"),
    BudgetLineGroup.RESERVE: lambda: _("Ej fördelade medel"),
}


def _kr(value) -> str:
    return sv_amount(value)


def _overview(operational: OperationalPlan) -> blocks.Table:
    years = operational.years
    rows: list[list[str]] = []

    def add(label, attr, *, bold=False):
        rows.append([label] + [_kr(y.budget_totals[attr]) for y in years])

    add(_("Medlemsbidrag"), "funds")
    add(_("Övriga intäkter"), "other_income")
    add(_("Ianspråktaget eget kapital"), "equity_used")
    add(_("Summa finansiering"), "financing")
    add(_("Administration"), "admin")
    add(_("Insatser"), "initiatives")
    add(_("Övriga verksamhetskostnader"), "activity")
    add(_("Ej fördelade medel"), "reserve")
    add(_("Summa kostnader"), "costs")
    columns = [_("Post")] + [
        _("Budget %(year)s") % {"year": y.year} if i == 0 else _("Plan %(year)s") % {"year": y.year}
        for i, y in enumerate(years)
    ]
    return blocks.Table(
        caption=_("Budget %(year)s med plan för %(first)s–%(last)s")
        % {"year": years[0].year, "first": years[1].year, "last": years[-1].year},
        columns=columns,
        rows=rows,
        total=[_("Resultat")] + [_kr(y.budget_totals["result"]) for y in years],
        note=_("Belopp i kronor. Ett år som inte är upplagt visas som 0."),
    )


def _contributions(operational: OperationalPlan) -> blocks.Table:
    current = operational.current
    total = current.budget_totals["funds"]
    rows = [
        [
            line.label,
            sv_percent_value(line.budget * 100 / total) if line.budget and total else "–",
            _kr(line.budget),
        ]
        for line in current.contributions
    ]
    return blocks.Table(
        caption=_("Medlemmarnas bidrag %(year)s") % {"year": current.year},
        columns=[_("Medlem"), _("Andel"), _("Belopp (kr)")],
        rows=rows,
        total=[_("Summa"), "100,0 %" if total else "–", _kr(total)],
    )


def _follow_up(operational: OperationalPlan) -> blocks.Table:
    current = operational.current
    rows = []
    for group in (BudgetLineGroup.INCOME, BudgetLineGroup.EQUITY, BudgetLineGroup.ADMIN):
        for line in current.group(group):
            if line.budget is None and line.outcome is None and line.forecast is None:
                continue
            rows.append([line.label, _kr(line.budget), _kr(line.outcome), _kr(line.forecast)])
    for line in current.initiatives:
        rows.append([line.label, _kr(line.budget), _kr(line.outcome), _kr(line.forecast)])
    for group in (BudgetLineGroup.ACTIVITY, BudgetLineGroup.RESERVE):
        for line in current.group(group):
            if line.budget is None and line.outcome is None and line.forecast is None:
                continue
            rows.append([line.label, _kr(line.budget), _kr(line.outcome), _kr(line.forecast)])
    return blocks.Table(
        caption=_("Budget mot utfall och prognos %(year)s") % {"year": current.year},
        columns=[_("Post"), _("Budget"), _("Utfall"), _("Prognos")],
        rows=rows,
        note=_("Belopp i kronor; – betyder att uppgiften inte är registrerad."),
    )


def _initiative_chapter(operational: OperationalPlan) -> blocks.Chapter:
    chapter = blocks.Chapter(title=_("Insatser"), anchor="insatser")
    lines = operational.current.initiatives
    chapter.blocks.append(
        blocks.Table(
            caption=_("Insatsernas budget %(year)s") % {"year": operational.year},
            columns=[
                _("Insats"),
                _("Planerade deltagare"),
                _("Ersättningsmodell"),
                _("Budget (kr)"),
            ],
            rows=[
                [
                    line.label,
                    str(line.planned_participants)
                    if line.planned_participants is not None
                    else "–",
                    line.compensation_model or "–",
                    _kr(line.budget),
                ]
                for line in lines
            ],
            total=[_("Summa"), "", "", _kr(operational.current.budget_totals["initiatives"])],
            numeric_from=3,
        )
    )
    used = set()
    for line in lines:
        initiative: Initiative = line.initiative
        anchor = slugify(f"insats-{initiative.pk}-{initiative.name}") or f"insats-{initiative.pk}"
        if anchor in used:
            continue
        used.add(anchor)
        sub = blocks.Chapter(
            title=initiative.name, anchor=anchor, kicker=initiative.owner_organisation
        )
        for name in INITIATIVE_TEXT_FIELDS:
            text = getattr(initiative, name, "")
            if text:
                label = str(Initiative._meta.get_field(name).verbose_name).capitalize()
                sub.blocks.append(blocks.Paragraph(f"{label}\n{text}"))
        sub.blocks.append(
            blocks.Paragraph(
                _("Budget %(year)s: %(amount)s kr.")
                % {"year": operational.year, "amount": _kr(line.budget)},
                note=True,
            )
        )
        chapter.sub_chapters.append(sub)
    return chapter


def _other_lines_chapter(operational: OperationalPlan) -> blocks.Chapter:
    chapter = blocks.Chapter(title=_("Övriga budgetposter"), anchor="ovriga-poster")
    for group in (BudgetLineGroup.ACTIVITY, BudgetLineGroup.RESERVE):
        for line in operational.current.group(group):
            if line.budget is None:
                continue
            text = f"{line.label}: {_kr(line.budget)} kr."
            if line.text:
                text += "\n" + line.text
            chapter.blocks.append(blocks.Paragraph(text))
    if not chapter.blocks:
        chapter.blocks.append(blocks.Paragraph(_("Inga övriga budgetposter.")))
    return chapter


def plan_document(association, year: int, *, draft: bool = True) -> blocks.Document:
    operational = operational_plan(association, year)
    current = operational.current
    title = _("Verksamhetsplan och budget %(year)s med plan för %(first)s–%(last)s") % {
        "year": year,
        "first": year + 1,
        "last": year + 2,
    }
    economy = blocks.Chapter(
        title=_("Ekonomi"),
        anchor="ekonomi",
        blocks=[_overview(operational), _contributions(operational), _follow_up(operational)],
    )
    if current.association_year is not None:
        position = equity_position(current.association_year, current.budget_totals["funds"])
        economy.blocks.append(
            blocks.Paragraph(
                _(
                    "Eget kapital: %(start)s kr vid årets början (%(start_pct)s av tilldelade "
                    "medel) och %(end)s kr vid årets slut (%(end_pct)s). %(planning)s"
                )
                % {
                    "start": _kr(position.start.equity),
                    "start_pct": sv_percent_value(position.start.percent),
                    "end": _kr(position.end.equity),
                    "end_pct": sv_percent_value(position.end.percent),
                    "planning": position.planning,
                }
            )
        )
        if not position.national.verified:
            economy.blocks.append(
                blocks.Paragraph(
                    _("Nationella rådets nivåer för eget kapital är ej kontrollerade."),
                    note=True,
                )
            )
    return blocks.Document(
        title=title,
        author=association.name,
        subject=_("Verksamhetsplan och budget"),
        cover=blocks.Cover(
            title=title,
            organisation=association.name,
            kind=_("Verksamhetsplan och budget"),
            lines=[_("Underlag för styrelsen, %(date)s") % {"date": sv_date(timezone.localdate())}],
        ),
        contents=True,
        chapters=[economy, _initiative_chapter(operational), _other_lines_chapter(operational)],
        header_left=association.name,
        footer_left=title,
        draft=_("Utkast") if draft and not current.closed else "",
    )


def plan_filename(association, year: int, extension: str) -> str:
    return f"verksamhetsplan-{slugify(association.slug or association.name)}-{year}.{extension}"
