"""What the national successor "Uppföljning Finsam" (Försäkringskassan, from 2023) asks of an
association for one year (participant-follow-up.md §1.4, §5), produced from the registrations so
that nothing is typed twice:

- per initiative: name, orientation, specific orientation, target groups, follow-up method, ESF,
  planned participants, participants by sex, budget and outcome;
- the association: allocated funds per member, equity, administration cost budget and outcome.

Participants by sex: for initiatives followed person by person, the distinct persons enrolled at
some time during the year (a person enrolled twice counts once; each anonymous enrolment is one
person, as anonymous counts are kept per year, rule R5); for volume initiatives the monthly head
counts of the year summed.

The figures are the association's own report and are not suppressed (small counts are shown).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from finsam.core.periods import active_in_q
from finsam.finance import selectors as finance_selectors
from finsam.finance.models import AssociationYear, InitiativeBudget
from finsam.initiatives.models import HeadCount, Initiative
from finsam.participants.models import Gender
from finsam.statistics import engine
from finsam.statistics.engine import Scope, StatsFilter
from finsam.statistics.sus import head_counts_by_initiative


def _not_suppressed_text() -> str:
    return _(
        "Uppgifterna är förbundets egen redovisning till Försäkringskassan och visas därför utan "
        "maskering: även antal från 1 till %(highest)s visas."
    ) % {"highest": engine.small_cell_limit() - 1}


NOT_SUPPRESSED_TEXT = lazy(_not_suppressed_text, str)()
PERSONS, HEAD_COUNTS = "persons", "head_counts"


@dataclass
class SuccessorLine:
    initiative: Initiative
    planned_participants: int | None
    women: int
    men: int
    other: int
    counted_as: str  # PERSONS or HEAD_COUNTS
    budget: Decimal | None
    outcome: Decimal | None

    @property
    def total(self) -> int:
        return self.women + self.men + self.other

    @property
    def counted_as_label(self) -> str:
        if self.counted_as == HEAD_COUNTS:
            return _("Antal (volyminsats)")
        return _("Personer")


@dataclass
class SuccessorReport:
    association: object
    year: int
    lines: list[SuccessorLine]
    finance: finance_selectors.YearDetail | None  # None when the year is not registered
    notes: list[str] = field(default_factory=list)

    def _sum(self, name):
        return sum(getattr(line, name) for line in self.lines)

    @property
    def women(self) -> int:
        return self._sum("women")

    @property
    def men(self) -> int:
        return self._sum("men")

    @property
    def other(self) -> int:
        return self._sum("other")

    @property
    def total(self) -> int:
        return self._sum("total")

    @property
    def budget_total(self) -> Decimal | None:
        known = [line.budget for line in self.lines if line.budget is not None]
        return sum(known) if known else None

    @property
    def outcome_total(self) -> Decimal | None:
        known = [line.outcome for line in self.lines if line.outcome is not None]
        return sum(known) if known else None

    @property
    def planned_total(self) -> int | None:
        known = [line.planned_participants for line in self.lines]
        known = [n for n in known if n is not None]
        return sum(known) if known else None


def _year_filter(year: int) -> StatsFilter:
    return StatsFilter(
        period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31)
    )


def _association_scope(association) -> Scope:
    return Scope.of_association(association)


def initiatives_of_year(association, year: int):
    """The association's initiatives running at some time in `year`, or budgeted for it."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    running = active_in_q(first, last)
    budgeted = Q(
        pk__in=InitiativeBudget.objects.filter(
            initiative__association=association, year=year
        ).values("initiative_id")
    )
    return Initiative.objects.filter(association=association).filter(running | budgeted)


def _persons(association, year: int) -> dict:
    """{initiative id: {gender: persons}} in one GROUP BY query."""
    rows = (
        engine.counted_enrolments(_association_scope(association), _year_filter(year))
        .values("initiative_id", "gender")
        .annotate(
            identified=Count("participant", distinct=True),
            anonymous=Count("id", filter=Q(participant__isnull=True)),
        )
        .order_by()
    )
    counts: dict = {}
    for item in rows:
        gender = item["gender"] if item["gender"] in (Gender.WOMAN, Gender.MAN) else Gender.OTHER
        per_gender = counts.setdefault(item["initiative_id"], {})
        per_gender[gender] = per_gender.get(gender, 0) + item["identified"] + item["anonymous"]
    return counts


def _head_counts(association, year: int) -> dict:
    return head_counts_by_initiative(
        HeadCount.objects.filter(initiative__association=association, month__year=year)
    )


def successor_report(association, year: int) -> SuccessorReport:
    """The association's year as Uppföljning Finsam asks for it (a fixed number of queries)."""
    initiatives = list(
        initiatives_of_year(association, year)
        .select_related("specific_orientation")
        .prefetch_related("target_groups")
        .order_by("name", "pk")
    )
    budgets = {
        b.initiative_id: b
        for b in InitiativeBudget.objects.filter(initiative__association=association, year=year)
    }
    persons = _persons(association, year)
    heads = _head_counts(association, year)
    lines = []
    for initiative in initiatives:
        volume = initiative.is_volume
        counts = (heads if volume else persons).get(initiative.pk, {})
        budget = budgets.get(initiative.pk)
        planned = budget.planned_participants if budget else None
        lines.append(
            SuccessorLine(
                initiative=initiative,
                planned_participants=planned
                if planned is not None
                else initiative.planned_participants,
                women=counts.get(Gender.WOMAN, 0),
                men=counts.get(Gender.MAN, 0),
                other=counts.get(Gender.OTHER, 0),
                counted_as=HEAD_COUNTS if volume else PERSONS,
                budget=budget.amount if budget else None,
                outcome=budget.outcome if budget else None,
            )
        )
    association_year = finance_selectors.year_of(association, year)
    notes = [
        str(NOT_SUPPRESSED_TEXT),
        _(
            "Deltagare i insatser med personuppföljning är unika personer som var inskrivna "
            "någon gång under året (anonyma deltagare räknas per deltagande); felregistreringar "
            "räknas inte. För volyminsatser är det summan av årets månadsvisa antal."
        ),
        _(
            "Planerat antal deltagare, budget och utfall kommer från insatsens budget för året; "
            "finns ingen budget visas insatsens planerade antal."
        ),
    ]
    return SuccessorReport(
        association=association,
        year=year,
        lines=lines,
        finance=finance_selectors.year_detail(association_year) if association_year else None,
        notes=notes,
    )


def default_year(association, today: datetime.date) -> int:
    """The latest year (up to this one) whose finances are registered; else the latest year with
    initiative budgets; else last year (the report is made for a finished year)."""
    for queryset in (
        AssociationYear.objects.filter(association=association, year__lte=today.year),
        InitiativeBudget.objects.filter(initiative__association=association, year__lte=today.year),
    ):
        year = queryset.order_by("-year").values_list("year", flat=True).first()
        if year is not None:
            return year
    return today.year - 1


# --- Download: laid out like the transcription form -----------------------------------------


def successor_xlsx(report: SuccessorReport) -> bytes:
    """Two sheets as in Uppföljning Finsam: "Förbundet" (allocated funds per member, equity,
    administration costs) and "Insatser" (one row per initiative)."""
    from finsam.documents import xlsx
    from finsam.documents.xlsx import safe_text as _text

    workbook = xlsx.workbook()
    association = report.association

    sheet = workbook.active
    sheet.title = _("Förbundet")
    xlsx.append_title(sheet, _("Uppföljning Finsam – underlag för inrapportering"))
    sheet.append([_("Samordningsförbund"), _text(association.name)])
    sheet.append([_("Organisationsnummer"), association.org_number])
    sheet.append([_("År"), report.year])
    sheet.append([str(NOT_SUPPRESSED_TEXT)])
    sheet.append([])
    detail = report.finance
    xlsx.append_header(sheet, [_("Tilldelade medel"), _("Typ"), _("Belopp (kr)")])
    if detail is None:
        sheet.append([_("Förbundets ekonomi för året är inte registrerad i finsam.")])
    else:
        for line in detail.lines:
            sheet.append(
                [
                    _text(line.member.name),
                    line.member.get_kind_display(),
                    int(line.amount) if line.amount is not None else None,
                ]
            )
        sheet.append([_("Summa tilldelade medel"), "", int(detail.funds)])
        xlsx.style_cell(sheet, font=xlsx.font(bold=True))
        sheet.append([])
        year = detail.year
        xlsx.append_header(sheet, [_("Eget kapital"), "", _("Belopp (kr)")])
        sheet.append([_("Eget kapital vid årets början"), "", _int(year.equity_at_start)])
        sheet.append([_("Eget kapital vid årets slut"), "", _int(year.equity_at_end)])
        percent = detail.equity.percent
        sheet.append(
            [
                _("Eget kapital i % av tilldelade medel"),
                "",
                float(percent) if percent is not None else None,
            ]
        )
        sheet.append([])
        xlsx.append_header(
            sheet, [_("Administrativa kostnader"), _("Budget (kr)"), _("Utfall (kr)")]
        )
        sheet.append(
            [
                _("Administrativa kostnader"),
                _int(year.admin_cost_budget),
                _int(year.admin_cost_outcome),
            ]
        )
    xlsx.column_widths(sheet, {1: 44, 2: 22, 3: 18})

    sheet = workbook.create_sheet(_("Insatser"))
    header = [
        _("Insatsnamn"),
        _("Inriktning"),
        _("Preciserad inriktning"),
        _("Målgrupp"),
        _("Deltagarregistrering"),
        _("ESF-finansierad"),
        _("Planerat antal deltagare"),
        _("Kvinnor"),
        _("Män"),
        _("Annat/ej angivet"),
        _("Totalt"),
        _("Räknat som"),
        _("Budget (kr)"),
        _("Utfall (kr)"),
    ]
    rows = []
    for line in report.lines:
        initiative = line.initiative
        rows.append(
            [
                _text(initiative.name),
                initiative.get_orientation_display(),
                str(initiative.specific_orientation or ""),
                ", ".join(str(c) for c in initiative.target_groups.all()),
                initiative.get_follow_up_display(),
                _("Ja") if initiative.esf_funded else _("Nej"),
                line.planned_participants,
                line.women,
                line.men,
                line.other,
                line.total,
                line.counted_as_label,
                _int(line.budget),
                _int(line.outcome),
            ]
        )
    total = [
        _("Totalt"),
        "",
        "",
        "",
        "",
        "",
        report.planned_total,
        report.women,
        report.men,
        report.other,
        report.total,
        "",
        _int(report.budget_total),
        _int(report.outcome_total),
    ]
    widths = {1: 36, **dict.fromkeys(range(2, len(header) + 1), 16)}
    xlsx.table_sheet(sheet, header, rows, total=total, widths=widths, freeze="B2")
    return xlsx.save(workbook)


def _int(value):
    return int(value) if value is not None else None
