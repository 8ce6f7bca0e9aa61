"""The cost report in the four parts of the SUS budget module (finance-law-privacy.md §3.1):
funds by financier, initiative costs, administration costs and a summary, for an association and
a year — and the figures Uppföljning Finsam asks for, from the same data (the allocated funds,
equity and administration costs come from `selectors.year_detail`, which the successor report in
`finsam.followup.successor` reads too). XLSX through `finsam.documents.xlsx`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from finsam.associations.models import MemberKind
from finsam.finance import selectors
from finsam.finance.invoicing import paid_total
from finsam.finance.models import BudgetLineGroup, InitiativeBudget
from finsam.finance.plan import PlanYear, plan_year

ZERO = Decimal("0")


def initiative_outcome(initiative, year: int, budget: InitiativeBudget | None = None):
    """What `initiative` cost in `year` (its outcome): what the association paid it (the paid
    invoices), else the outcome entered on the initiative's budget."""
    paid = paid_total(initiative, year)
    if paid:
        return Decimal(paid)
    if budget is None:
        budget = InitiativeBudget.objects.filter(initiative=initiative, year=year).first()
    return budget.outcome if budget else None


@dataclass
class Row:
    label: str
    budget: Decimal | None
    outcome: Decimal | None
    note: str = ""


def _total(rows, attr):
    known = [getattr(r, attr) for r in rows if getattr(r, attr) is not None]
    return sum(known, ZERO) if known else None


@dataclass
class Part:
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def budget(self):
        return _total(self.rows, "budget")

    @property
    def outcome(self):
        return _total(self.rows, "outcome")


@dataclass
class CostReport:
    association: object
    year: int
    funds: Part
    initiatives: Part
    administration: Part
    summary: Part
    detail: selectors.YearDetail | None
    plan: PlanYear


_FINANCIERS = (
    (lambda kind: kind in (MemberKind.FORSAKRINGSKASSAN, MemberKind.ARBETSFORMEDLINGEN), "state"),
    (lambda kind: kind == MemberKind.MUNICIPALITY, "municipalities"),
    (lambda kind: kind == MemberKind.REGION, "region"),
)


def cost_report(association, year: int) -> CostReport:
    plan = plan_year(association, year)
    association_year = selectors.year_of(association, year)
    detail = selectors.year_detail(association_year) if association_year else None

    by_financier = {"state": ZERO, "municipalities": ZERO, "region": ZERO}
    for line in detail.lines if detail else []:
        for test, key in _FINANCIERS:
            if test(line.member.kind) and line.amount is not None:
                by_financier[key] += line.amount
    lines = {line.code: line for group in plan.lines.values() for line in group}
    equity = lines.get("INC_EQUITY_USE")
    esf = lines.get("INC_ESF")
    other = lines.get("INC_OTHER")
    funds = Part(
        _("Medel per finansiär"),
        [
            Row(
                _("Staten (Försäkringskassan och Arbetsförmedlingen)"), *[by_financier["state"]] * 2
            ),
            Row(_("Kommunerna"), *[by_financier["municipalities"]] * 2),
            Row(_("Regionen"), *[by_financier["region"]] * 2),
            Row(
                _("Förbundet (eget kapital)"),
                equity.budget if equity else None,
                equity.outcome if equity else None,
            ),
            Row(_("ESF"), esf.budget if esf else None, esf.outcome if esf else None),
            Row(_("Övriga"), other.budget if other else None, other.outcome if other else None),
        ],
    )
    budgets = {
        b.initiative_id: b
        for b in InitiativeBudget.objects.filter(initiative__association=association, year=year)
    }
    initiatives = Part(
        _("Insatskostnader"),
        [
            Row(
                line.label,
                line.budget,
                initiative_outcome(line.initiative, year, budgets.get(line.initiative.pk)),
            )
            for line in plan.initiatives
        ]
        + [
            Row(line.label, line.budget, line.outcome)
            for line in plan.group(BudgetLineGroup.ACTIVITY) + plan.group(BudgetLineGroup.RESERVE)
            if line.budget is not None or line.outcome is not None
        ],
    )
    admin_lines = [
        line
        for line in plan.group(BudgetLineGroup.ADMIN)
        if line.budget is not None or line.outcome is not None
    ]
    if admin_lines:
        admin_rows = [Row(line.label, line.budget, line.outcome) for line in admin_lines]
    else:  # no lines by type: the year's totals
        admin_rows = [
            Row(
                _("Administration"),
                association_year.admin_cost_budget if association_year else None,
                association_year.admin_cost_outcome if association_year else None,
            )
        ]
    administration = Part(_("Administrationskostnader"), admin_rows)
    total_funds = Part("", funds.rows)
    total_costs = Part("", initiatives.rows + administration.rows)

    def minus(a, b):
        return None if a is None or b is None else a - b

    summary = Part(
        _("Sammanställning"),
        [
            Row(_("Summa medel"), total_funds.budget, total_funds.outcome),
            Row(_("Summa insatskostnader"), initiatives.budget, initiatives.outcome),
            Row(_("Summa administrationskostnader"), administration.budget, administration.outcome),
            Row(_("Summa kostnader"), total_costs.budget, total_costs.outcome),
            Row(
                _("Resultat"),
                minus(total_funds.budget, total_costs.budget),
                minus(total_funds.outcome, total_costs.outcome),
            ),
        ],
    )
    return CostReport(
        association=association,
        year=year,
        funds=funds,
        initiatives=initiatives,
        administration=administration,
        summary=summary,
        detail=detail,
        plan=plan,
    )


def cost_report_xlsx(report: CostReport) -> bytes:
    from finsam.documents import xlsx
    from finsam.documents.xlsx import safe_text

    book = xlsx.workbook()
    sheet = book.active
    sheet.title = _("Kostnadsrapport")[:31]
    xlsx.append_title(
        sheet,
        _("Kostnadsrapport %(year)s, %(association)s")
        % {"year": report.year, "association": report.association.name},
    )
    for part in (report.funds, report.initiatives, report.administration, report.summary):
        sheet.append([])
        xlsx.append_header(sheet, [safe_text(part.title), _("Budget (kr)"), _("Utfall (kr)")])
        for row in part.rows:
            sheet.append([safe_text(row.label), row.budget, row.outcome])
        if part is not report.summary:
            xlsx.append_bold(sheet, [_("Summa"), part.budget, part.outcome])
    if report.detail is not None:
        sheet.append([])
        xlsx.append_header(sheet, [_("Uppföljning Finsam"), _("Belopp (kr)")])
        for line in report.detail.lines:
            sheet.append([safe_text(line.member.name), line.amount])
        year = report.detail.year
        sheet.append([_("Tilldelade medel"), report.detail.funds])
        sheet.append([_("Eget kapital vid årets början"), year.equity_at_start])
        sheet.append([_("Eget kapital vid årets slut"), year.equity_at_end])
        sheet.append([_("Administrationskostnad, budget"), year.admin_cost_budget])
        sheet.append([_("Administrationskostnad, utfall"), year.admin_cost_outcome])
    for row in sheet.iter_rows(min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "# ##0"
    xlsx.column_widths(sheet, {1: 52, 2: 16, 3: 16})
    return xlsx.save(book)
