"""Reads for the association's years: allocated funds, equity and its recommended band."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from finsam.associations.models import Association, Member
from finsam.associations.selectors import KIND_ORDER
from finsam.finance.models import AssociationYear, MemberContribution

# The recommended equity band in % of the year's allocated funds. Seed 002 (Östra Skaraborg's
# operational plan): "Eget kapital ska uppgå till 10–20% av de tilldelade medlen".
EQUITY_BAND_MIN = Decimal("10")
EQUITY_BAND_MAX = Decimal("20")

BELOW, OK, ABOVE, UNKNOWN = "below", "ok", "above", "unknown"

_ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=0))


@dataclass(frozen=True)
class EquityStatus:
    """Equity at year end as a share of the allocated funds, against the recommended band."""

    equity: Decimal | None
    funds: Decimal
    percent: Decimal | None  # one decimal, None when it cannot be computed
    status: str  # BELOW / OK / ABOVE / UNKNOWN
    # How far the equity is from the band, in kr (0 inside the band).
    above_by: Decimal = Decimal("0")
    below_by: Decimal = Decimal("0")
    band_min: Decimal = EQUITY_BAND_MIN
    band_max: Decimal = EQUITY_BAND_MAX

    @property
    def outside(self) -> bool:
        return self.status in (BELOW, ABOVE)


def equity_status(equity: Decimal | None, funds: Decimal | None) -> EquityStatus:
    """Place `equity` against 10–20 % of `funds` (finance-law-privacy.md §3.2).

    Worked example of §3.2: funds 7 953 000, equity 2 100 000 → 26,4 %, above the band by
    509 400 kr (the deficit the association must plan to come down to 20 %).
    """
    funds = funds or Decimal("0")
    if equity is None or funds <= 0:
        return EquityStatus(equity=equity, funds=funds, percent=None, status=UNKNOWN)
    pct = (Decimal(equity) * 100 / funds).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    low = funds * EQUITY_BAND_MIN / 100
    high = funds * EQUITY_BAND_MAX / 100
    if equity > high:
        return EquityStatus(
            equity=equity, funds=funds, percent=pct, status=ABOVE, above_by=_kr(equity - high)
        )
    if equity < low:
        return EquityStatus(
            equity=equity, funds=funds, percent=pct, status=BELOW, below_by=_kr(low - equity)
        )
    return EquityStatus(equity=equity, funds=funds, percent=pct, status=OK)


def _kr(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


# --- Years ------------------------------------------------------------------------------------


def year_list(association: Association) -> QuerySet[AssociationYear]:
    """The association's years, newest first, with `funds` (sum of contributions) and
    `contribution_count` (one query)."""
    return (
        AssociationYear.objects.filter(association=association)
        .annotate(
            funds=Coalesce(Sum("contributions__amount"), _ZERO),
            contribution_count=Count("contributions"),
        )
        .order_by("-year")
    )


@dataclass
class YearRow:
    year: AssociationYear
    equity: EquityStatus


def year_rows(association: Association) -> list[YearRow]:
    return [
        YearRow(year=y, equity=equity_status(y.equity_at_end, y.funds))
        for y in year_list(association)
    ]


def get_year(access, pk) -> AssociationYear:
    """A year of the current association, or 404 (another association's year is 404)."""
    if access.association is None:
        raise Http404
    try:
        return AssociationYear.objects.select_related("association").get(
            association=access.association, pk=pk
        )
    except (ValueError, AssociationYear.DoesNotExist) as exc:
        raise Http404 from exc


def year_of(association: Association, year: int) -> AssociationYear | None:
    return AssociationYear.objects.filter(association=association, year=year).first()


def members_in_year(association: Association, year: int) -> list[Member]:
    """Members valid at some time in `year`, in the order of the law (FK, AF, region,
    municipalities)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    members = (
        Member.objects.filter(association=association)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .select_related("municipality", "region")
    )
    return sorted(members, key=lambda m: (KIND_ORDER.index(m.kind), m.name))


@dataclass
class ContributionLine:
    member: Member
    amount: Decimal | None  # None: no contribution registered
    share_of_funds: Decimal | None = None  # % of the year's allocated funds


@dataclass
class YearDetail:
    year: AssociationYear
    lines: list[ContributionLine] = field(default_factory=list)
    funds: Decimal = Decimal("0")
    equity: EquityStatus | None = None
    initiative_budget: Decimal | None = None
    initiative_outcome: Decimal | None = None
    initiative_count: int = 0

    @property
    def result(self) -> Decimal | None:
        """Allocated funds minus administration and initiative costs (outcome), when known."""
        if self.year.admin_cost_outcome is None or self.initiative_outcome is None:
            return None
        return self.funds - self.year.admin_cost_outcome - self.initiative_outcome

    @property
    def equity_change(self) -> Decimal | None:
        if self.year.equity_at_start is None or self.year.equity_at_end is None:
            return None
        return self.year.equity_at_end - self.year.equity_at_start


def contribution_lines(association_year: AssociationYear) -> list[ContributionLine]:
    """One line per member valid in the year, plus any member with a contribution registered
    (two queries)."""
    contributions = {
        c.member_id: c
        for c in MemberContribution.objects.filter(
            association_year=association_year
        ).select_related("member__municipality", "member__region")
    }
    members = {
        m.pk: m for m in members_in_year(association_year.association, association_year.year)
    }
    for member_id, contribution in contributions.items():
        members.setdefault(member_id, contribution.member)
    ordered = sorted(members.values(), key=lambda m: (KIND_ORDER.index(m.kind), m.name))
    funds = sum((c.amount for c in contributions.values()), Decimal("0"))
    lines = []
    for member in ordered:
        contribution = contributions.get(member.pk)
        amount = contribution.amount if contribution else None
        share = None
        if amount is not None and funds > 0:
            share = (amount * 100 / funds).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        lines.append(ContributionLine(member=member, amount=amount, share_of_funds=share))
    return lines


def initiative_costs(association: Association, year: int) -> dict:
    """Sum of the initiatives' budgets and outcomes for `year` (SUS: "Budgeterat i insatserna")."""
    from finsam.initiatives.models import InitiativeBudget

    return InitiativeBudget.objects.filter(
        initiative__association=association, year=year
    ).aggregate(budget=Sum("amount"), outcome=Sum("outcome"), count=Count("pk"))


def year_detail(association_year: AssociationYear) -> YearDetail:
    lines = contribution_lines(association_year)
    funds = sum((line.amount for line in lines if line.amount is not None), Decimal("0"))
    costs = initiative_costs(association_year.association, association_year.year)
    return YearDetail(
        year=association_year,
        lines=lines,
        funds=funds,
        equity=equity_status(association_year.equity_at_end, funds),
        initiative_budget=costs["budget"],
        initiative_outcome=costs["outcome"],
        initiative_count=costs["count"],
    )
