"""Reads for the money: the association's years (allocated funds, equity against the band the
association set), the initiatives' budgets."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from finsam.associations.models import Association, Member
from finsam.associations.selectors import KIND_ORDER, member_list
from finsam.finance.contributions import share_check
from finsam.finance.models import (
    AssociationYear,
    EquityBand,
    InitiativeBudget,
    MemberContribution,
)
from finsam.initiatives.models import Initiative


@dataclass(frozen=True)
class Band:
    """The band the equity should lie in, in % of the year's allocated funds. `from_year` is the
    year the association set it for (None: the default)."""

    lower: Decimal
    upper: Decimal
    from_year: int | None = None

    @property
    def is_default(self) -> bool:
        return self.from_year is None


# The band when the association has set none. Seed 002 (Östra Skaraborg's operational plan):
# "Eget kapital ska uppgå till 10–20% av de tilldelade medlen".
DEFAULT_EQUITY_BAND = Band(lower=Decimal("10"), upper=Decimal("20"))

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
    band: Band = DEFAULT_EQUITY_BAND

    @property
    def outside(self) -> bool:
        return self.status in (BELOW, ABOVE)


def equity_status(
    equity: Decimal | None, funds: Decimal | None, band: Band = DEFAULT_EQUITY_BAND
) -> EquityStatus:
    """Place `equity` against `band` (% of `funds`; finance-law-privacy.md §3.2).

    Worked example of §3.2: funds 7 953 000, equity 2 100 000 → 26,4 %, above the band of
    10–20 % by 509 400 kr (the deficit the association must plan to come down to 20 %).
    """
    funds = funds or Decimal("0")
    if equity is None or funds <= 0:
        return EquityStatus(equity=equity, funds=funds, percent=None, status=UNKNOWN, band=band)
    pct = (Decimal(equity) * 100 / funds).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    low = funds * band.lower / 100
    high = funds * band.upper / 100
    status, above_by, below_by = OK, Decimal("0"), Decimal("0")
    if equity > high:
        status, above_by = ABOVE, _kr(equity - high)
    elif equity < low:
        status, below_by = BELOW, _kr(low - equity)
    return EquityStatus(
        equity=equity,
        funds=funds,
        percent=pct,
        status=status,
        above_by=above_by,
        below_by=below_by,
        band=band,
    )


def _kr(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


# --- The equity band ----------------------------------------------------------------------------


def _band(lower, upper, from_year) -> Band:
    if from_year is None:
        return DEFAULT_EQUITY_BAND
    return Band(lower=lower, upper=upper, from_year=from_year)


def equity_band(association: Association, year: int) -> Band:
    """The band set for the association's `year` or the latest earlier one, else the default
    (one query)."""
    setting = (
        EquityBand.objects.filter(association=association, year__lte=year)
        .order_by("-year")
        .values_list("lower", "upper", "year")
        .first()
    )
    return _band(*setting) if setting else DEFAULT_EQUITY_BAND


# --- Years ------------------------------------------------------------------------------------


def _with_band(years: QuerySet[AssociationYear]) -> QuerySet[AssociationYear]:
    """`years` with each year's equity band (`band_lower`, `band_upper`, `band_from`; None: the
    default), in the same query."""
    band = EquityBand.objects.filter(
        association=OuterRef("association"), year__lte=OuterRef("year")
    ).order_by("-year")
    return years.annotate(
        band_lower=Subquery(band.values("lower")[:1]),
        band_upper=Subquery(band.values("upper")[:1]),
        band_from=Subquery(band.values("year")[:1]),
    )


def year_band(association_year: AssociationYear) -> Band:
    """The year's equity band: from the annotations of `_with_band` (the years the selectors
    return), else one query."""
    if hasattr(association_year, "band_from"):
        y = association_year
        return _band(y.band_lower, y.band_upper, y.band_from)
    return equity_band(association_year.association, association_year.year)


def year_list(association: Association) -> QuerySet[AssociationYear]:
    """The association's years, newest first, with `funds` (sum of contributions),
    `contribution_count` and the year's equity band (one query)."""
    return _with_band(
        AssociationYear.objects.filter(association=association).annotate(
            funds=Coalesce(Sum("contributions__amount"), _ZERO),
            contribution_count=Count("contributions"),
        )
    ).order_by("-year")


@dataclass
class YearRow:
    year: AssociationYear
    equity: EquityStatus


def year_rows(association: Association) -> list[YearRow]:
    """The years with their equity against each year's band (one query)."""
    return [
        YearRow(
            year=y,
            equity=equity_status(y.equity_at_end, y.funds, year_band(y)),
        )
        for y in year_list(association)
    ]


def get_year(access, pk) -> AssociationYear:
    """A year of the current association, or 404 (another association's year is 404)."""
    if access.association is None:
        raise Http404
    try:
        return _with_band(AssociationYear.objects.select_related("association")).get(
            association=access.association, pk=pk
        )
    except (ValueError, AssociationYear.DoesNotExist) as exc:
        raise Http404 from exc


def year_of(association: Association, year: int) -> AssociationYear | None:
    return _with_band(AssociationYear.objects.filter(association=association, year=year)).first()


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
        equity=equity_status(association_year.equity_at_end, funds, year_band(association_year)),
        initiative_budget=costs["budget"],
        initiative_outcome=costs["outcome"],
        initiative_count=costs["count"],
    )


# --- Members ---------------------------------------------------------------------------------


def member_section(association: Association) -> dict:
    """The members in the order of the law and the check of their shares today (one query)."""
    members = member_list(association)
    return {"members": members, "share_check": share_check(members)}


# --- Initiative budgets -------------------------------------------------------------------------


def budget_section(initiative: Initiative) -> dict:
    """The initiative's budgets per year (`budgets`) and their totals (`budget_totals`) (two
    queries)."""
    budgets = InitiativeBudget.objects.filter(initiative=initiative)
    return {
        "budgets": list(budgets.order_by("year")),
        "budget_totals": budgets.aggregate(amount=Sum("amount"), outcome=Sum("outcome")),
    }


def get_budget(initiative: Initiative, pk) -> InitiativeBudget:
    """A budget of `initiative`, or 404 (the initiative is already within the user's reach)."""
    try:
        return InitiativeBudget.objects.get(initiative=initiative, pk=pk)
    except (ValueError, InitiativeBudget.DoesNotExist) as exc:
        raise Http404 from exc
