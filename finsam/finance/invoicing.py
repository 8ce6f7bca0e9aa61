"""The invoice basis (issue 12, finance-law-privacy.md §3.4): what an initiative may invoice for
one invoicing period, computed from its registrations and its compensation model.

Per participant-week. A week is an ISO week (Monday–Sunday); it belongs to the period that holds
its Thursday (the ISO rule for years), so no week is paid twice across periods. With the counting
rule `enrolled_weeks` an enrolment counts every week with at least one enrolled day; with
`full_weeks` only weeks enrolled from Monday to Sunday. An open enrolment counts up to `as_of`
(today). A wrong registration never counts (R6, `finsam.reference.counting`). Anonymous
enrolments count in their home municipality when the model says so; a volume initiative's monthly
head counts count as `volume_weeks_per_head_month` weeks per head (the month belongs to the period
that holds its first day), on a line without a municipality and without a cap.

The weeks are counted by one set-based query per call (`participant_weeks`): for each enrolment
the number of Mondays in the overlap of [its first day − 6, its last day] (enrolled weeks) or
[first day, last day − 6] (full weeks) with the Mondays of the period's weeks, summed per
initiative, home municipality and period, as day numbers (days since Monday 3 January 2000).

Caps. For a municipality with a cap the year's amounts are capped cumulatively: the basis of period
p is min(cap, earned in periods 1..p) − min(cap, earned in periods 1..p−1), so the bases of a year
sum to min(weeks × rate, cap) whatever the order they are computed or invoiced in. What may be
invoiced (`available`) is that, less what was already invoiced in the year, and never more than
the cap left after every other invoice of the year. A municipality without a cap has none.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext as _

from finsam.finance.models import (
    CompensationKind,
    CompensationModel,
    FixedPeriod,
    Invoice,
    InvoiceLine,
    InvoiceLineKind,
    InvoicePeriodKind,
    InvoiceStatus,
    InvoicingSettings,
    UnitDelivery,
    period_label,
)
from finsam.reference.counting import counted_q

# Day 0 of the day numbers: a Monday, so Mondays are the multiples of 7.
EPOCH = datetime.date(2000, 1, 3)
ACTIVE_INVOICE = ~Q(status=InvoiceStatus.RETURNED)


def day_number(day: datetime.date) -> int:
    return (day - EPOCH).days


class DayNumber(models.Func):
    """A date as its day number (days since `EPOCH`), in PostgreSQL and SQLite."""

    output_field = models.IntegerField()

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL: date − date is integer days
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql})::date - DATE '{EPOCH.isoformat()}')", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(julianday({sql}) - julianday('{EPOCH.isoformat()}') AS INTEGER)", params


def _int(value: int) -> Value:
    return Value(value, output_field=models.IntegerField())


# --- Periods -----------------------------------------------------------------------------------


def period_count(kind: str) -> int:
    return 2 if kind == InvoicePeriodKind.HALF_YEAR else 4


def period_bounds(year: int, kind: str, number: int) -> tuple[datetime.date, datetime.date]:
    months = 12 // period_count(kind)
    first_month = (number - 1) * months + 1
    start = datetime.date(year, first_month, 1)
    if number == period_count(kind):
        end = datetime.date(year, 12, 31)
    else:
        end = datetime.date(year, first_month + months, 1) - datetime.timedelta(days=1)
    return start, end


def monday_range(year: int, kind: str, number: int) -> tuple[int, int]:
    """The day numbers of the first and last Monday of the weeks whose Thursday is in the
    period."""
    start, end = period_bounds(year, kind, number)
    first, last = day_number(start) - 3, day_number(end) - 3
    first += (-first) % 7
    last -= last % 7
    return first, last


def period_label_for(kind: str, number: int) -> str:
    return period_label(kind, number)


def period_of(year: int, kind: str, day: datetime.date) -> int:
    return (day.month - 1) // (12 // period_count(kind)) + 1


def settings_for(association) -> InvoicingSettings:
    """The association's invoicing settings (the defaults where none are saved; not saved)."""
    found = InvoicingSettings.objects.filter(association=association).first()
    return found or InvoicingSettings(association=association)


# --- Participant-weeks (set-based) -------------------------------------------------------------


def _weeks_expression(first_monday: int, last_monday: int, counting_rule: str, as_of_day: int):
    start = DayNumber("start_date")
    end = DayNumber(Coalesce("end_date", Value(EPOCH + datetime.timedelta(days=as_of_day))))
    end = Least(end, _int(as_of_day))
    if counting_rule == "full_weeks":
        low = Greatest(_int(first_monday), start)
        high = Least(_int(last_monday), end - _int(6))
    else:
        low = Greatest(_int(first_monday), start - _int(6))
        high = Least(_int(last_monday), end)
    # Mondays in [low, high]: floor(high / 7) − floor((low − 1) / 7), both ≥ 0 here.
    return Greatest(_int(0), high / _int(7) - (low - _int(1)) / _int(7))


def participant_weeks(
    initiatives,
    year: int,
    kind: str,
    *,
    periods=None,
    counting_rule: str | dict = "enrolled_weeks",
    anonymous_counted: bool | set = True,
    as_of: datetime.date | None = None,
) -> dict[tuple[int, int | None], list[int]]:
    """{(initiative id, home municipality id): [weeks in period 1, 2, …]} for the enrolments of
    `initiatives` (a queryset or ids), periods `periods` (default all) of `year`, in one query.
    `counting_rule` and `anonymous_counted` may be given per initiative (a dict of rules; a set
    of the ids whose anonymous enrolments count)."""
    from finsam.participants.models import Enrolment

    as_of_day = day_number(as_of or datetime.date.today())
    numbers = list(periods or range(1, period_count(kind) + 1))
    ranges = {n: monday_range(year, kind, n) for n in numbers}
    overall_first = min(r[0] for r in ranges.values())
    overall_last = max(r[1] for r in ranges.values())
    qs = Enrolment.objects.filter(initiative__in=initiatives).filter(counted_q())
    qs = qs.filter(
        start_date__lte=EPOCH + datetime.timedelta(days=overall_last + 6),
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=EPOCH + datetime.timedelta(overall_first)))
    if anonymous_counted is not True:
        ids = set(anonymous_counted or ())
        qs = qs.filter(Q(participant__isnull=False) | Q(initiative__in=ids))
    rules = counting_rule if isinstance(counting_rule, dict) else None
    annotations = {}
    for n, (first, last) in ranges.items():
        if rules is None:
            expression = _weeks_expression(first, last, counting_rule, as_of_day)
        else:
            full = [pk for pk, rule in rules.items() if rule == "full_weeks"]
            expression = models.Case(
                models.When(
                    initiative__in=full,
                    then=_weeks_expression(first, last, "full_weeks", as_of_day),
                ),
                default=_weeks_expression(first, last, "enrolled_weeks", as_of_day),
            )
        annotations[f"w{n}"] = Sum(expression)
    rows = qs.order_by().values("initiative_id", "home_municipality_id").annotate(**annotations)
    out: dict[tuple[int, int | None], list[int]] = {}
    for row in rows:
        weeks = [int(row[f"w{n}"] or 0) for n in numbers]
        if any(weeks):
            out[(row["initiative_id"], row["home_municipality_id"])] = weeks
    return out


def week_rows(initiative, year, kind, number, municipality_id, model, *, as_of=None):
    """The enrolments behind one cell: [(pseudonym or "", anonymous reason, start, end,
    weeks)], with pseudonyms only (names and personal identity numbers are never loaded)."""
    from finsam.participants.models import Enrolment

    first, last = monday_range(year, kind, number)
    as_of_day = day_number(as_of or datetime.date.today())
    rule = model.counting_rule or "enrolled_weeks"
    qs = Enrolment.objects.filter(initiative=initiative).filter(counted_q())
    qs = qs.filter(home_municipality_id=municipality_id)
    if not model.count_anonymous:
        qs = qs.filter(participant__isnull=False)
    rows = (
        qs.annotate(weeks=_weeks_expression(first, last, rule, as_of_day))
        .filter(weeks__gt=0)
        .order_by("participant__pseudonym", "start_date")
        .values_list(
            "participant__pseudonym", "anonymous_reason", "start_date", "end_date", "weeks"
        )
    )
    return list(rows)


def volume_weeks(initiative, year: int, kind: str, factor: Decimal | None) -> list[Decimal]:
    """A volume initiative's participant-weeks per period: head counts × `factor`."""
    from finsam.initiatives.models import HeadCount

    count = period_count(kind)
    out = [Decimal(0)] * count
    if factor is None:
        return out
    months = (
        HeadCount.objects.filter(initiative=initiative, month__year=year)
        .values_list("month", "women", "men", "other")
        .order_by()
    )
    for month, women, men, other in months:
        out[period_of(year, kind, month) - 1] += Decimal(women + men + other) * factor
    return [weeks.quantize(Decimal("0.01")) for weeks in out]


# --- The basis ---------------------------------------------------------------------------------


def _kronor(value: Decimal) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def capped_bases(earned: list[int], cap: int | None) -> list[int]:
    """The basis of each period from what was earned per period: capped cumulatively, so the
    bases sum to min(sum(earned), cap) and never exceed it."""
    out, before = [], 0
    total = 0
    for amount in earned:
        total += amount
        upto = total if cap is None else min(cap, total)
        out.append(upto - before)
        before = upto
    return out


def fixed_per_period(model: CompensationModel, kind: str) -> list[int]:
    """The fixed grant of each invoicing period (a yearly grant split evenly, the remainder in
    the last period)."""
    count = period_count(kind)
    amount = int(model.fixed_amount or 0)
    months = 12 // count
    if model.fixed_period == FixedPeriod.MONTH:
        return [amount * months] * count
    if model.fixed_period == FixedPeriod.QUARTER:
        return [amount * months // 3] * count
    if model.fixed_period == FixedPeriod.HALF_YEAR and kind == InvoicePeriodKind.HALF_YEAR:
        return [amount] * count
    per_year = amount * 2 if model.fixed_period == FixedPeriod.HALF_YEAR else amount
    share = per_year // count
    return [share] * (count - 1) + [per_year - share * (count - 1)]


@dataclass
class Line:
    kind: str
    municipality_id: int | None
    label: str
    weeks: list = field(default_factory=list)  # per period (participant-weeks or units)
    earned: list = field(default_factory=list)  # per period, before the cap
    cap: int | None = None
    bases: list = field(default_factory=list)  # per period, after the cap
    invoiced: list = field(default_factory=list)  # per period, active invoices
    available: int = 0  # for the period asked for
    rate: int | None = None

    @property
    def capped(self) -> bool:
        return sum(self.earned) > sum(self.bases)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.municipality_id or 0}"


@dataclass
class Basis:
    initiative: object
    year: int
    kind: str
    period: int
    model: CompensationModel | None
    lines: list[Line]
    start: datetime.date
    end: datetime.date

    @property
    def total_available(self) -> int:
        return sum(line.available for line in self.lines)

    @property
    def total_basis(self) -> int:
        return sum(line.bases[self.period - 1] for line in self.lines)

    def period_weeks(self, line: Line):
        return line.weeks[self.period - 1]


def model_for(initiative, year: int) -> CompensationModel | None:
    return (
        CompensationModel.objects.filter(initiative=initiative, year=year)
        .prefetch_related("caps__municipality")
        .first()
    )


def _invoiced(initiative, year: int, kind: str) -> dict[str, list[int]]:
    """{line key: [invoiced per period]} of the year's active invoices."""
    out: dict[str, list[int]] = defaultdict(lambda: [0] * period_count(kind))
    rows = (
        InvoiceLine.objects.filter(
            invoice__initiative=initiative, invoice__year=year, invoice__period_kind=kind
        )
        .filter(invoice__in=Invoice.objects.filter(ACTIVE_INVOICE))
        .values("kind", "municipality_id", "invoice__period")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        key = f"{row['kind']}:{row['municipality_id'] or 0}"
        out[key][row["invoice__period"] - 1] += int(row["total"])
    return out


def available_amount(bases: list[int], invoiced: list[int], cap: int | None, period: int) -> int:
    """What may still be invoiced for `period` (1-based) of one line: the bases up to it less
    what was invoiced for them, never more than the year's bases less every invoice of the year
    (a later period invoiced first has taken its share), nor the cap left."""
    index = period - 1
    upto = sum(bases[: index + 1]) - sum(invoiced[: index + 1])
    left = min(upto, sum(bases) - sum(invoiced))
    if cap is not None:
        left = min(left, cap - sum(invoiced))
    return max(0, left)


def basis(initiative, year: int, period: int, *, kind: str | None = None, as_of=None) -> Basis:
    """The invoice basis of `initiative` for `period` of `year` (lines for every period of the
    year, so the cap can be applied cumulatively)."""
    from finsam.reference.models import Municipality

    kind = kind or settings_for(initiative.association).period_kind
    count = period_count(kind)
    start, end = period_bounds(year, kind, period)
    model = model_for(initiative, year)
    lines: list[Line] = []
    if model is None:
        return Basis(initiative, year, kind, period, None, [], start, end)
    invoiced = _invoiced(initiative, year, kind)
    if model.kind in (CompensationKind.PER_PARTICIPANT_WEEK, CompensationKind.MIXED):
        rate = int(model.rate_per_week)
        caps = {cap.municipality_id: int(cap.amount) for cap in model.caps.all()}
        weeks = participant_weeks(
            [initiative.pk],
            year,
            kind,
            counting_rule=model.counting_rule or "enrolled_weeks",
            anonymous_counted=model.count_anonymous,
            as_of=as_of,
        )
        by_municipality = {muni: w for (_i, muni), w in weeks.items()}
        ids = set(by_municipality) | set(caps)
        names = dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "name"))
        for muni in sorted(ids, key=lambda pk: (names.get(pk) or "", pk or 0)):
            w = by_municipality.get(muni, [0] * count)
            earned = [n * rate for n in w]
            lines.append(
                Line(
                    kind=InvoiceLineKind.WEEKS,
                    municipality_id=muni,
                    label=names.get(muni) or _("Hemkommun saknas"),
                    weeks=w,
                    earned=earned,
                    cap=caps.get(muni),
                    bases=capped_bases(earned, caps.get(muni)),
                    rate=rate,
                )
            )
        if model.volume_weeks_per_head_month is not None:
            w = volume_weeks(initiative, year, kind, model.volume_weeks_per_head_month)
            if any(w):
                earned = [_kronor(n * rate) for n in w]
                lines.append(
                    Line(
                        kind=InvoiceLineKind.VOLUME,
                        municipality_id=None,
                        label=str(InvoiceLineKind.VOLUME.label),
                        weeks=w,
                        earned=earned,
                        bases=list(earned),
                        rate=rate,
                    )
                )
    if model.kind in (CompensationKind.FIXED, CompensationKind.MIXED):
        amounts = fixed_per_period(model, kind)
        lines.append(
            Line(
                kind=InvoiceLineKind.FIXED,
                municipality_id=None,
                label=str(InvoiceLineKind.FIXED.label),
                weeks=[None] * count,
                earned=amounts,
                bases=list(amounts),
            )
        )
    if model.kind == CompensationKind.PER_UNIT:
        units = [0] * count
        for number, n in UnitDelivery.objects.filter(
            initiative=initiative, year=year, period_kind=kind
        ).values_list("period", "units"):
            units[number - 1] = n
        earned = [n * int(model.unit_price) for n in units]
        lines.append(
            Line(
                kind=InvoiceLineKind.UNITS,
                municipality_id=None,
                label=model.unit_name or str(InvoiceLineKind.UNITS.label),
                weeks=units,
                earned=earned,
                bases=list(earned),
                rate=int(model.unit_price),
            )
        )
    for line in lines:
        line.invoiced = invoiced.get(line.key, [0] * count)
        line.available = available_amount(line.bases, line.invoiced, line.cap, period)
    return Basis(initiative, year, kind, period, model, lines, start, end)


def allocate(amount: int, lines: list[Line]) -> list[int]:
    """`amount` (≤ the lines' available total) spread over the lines in proportion to what each
    may take, whole kronor by the largest remainder; no line gets more than its available."""
    total = sum(line.available for line in lines)
    if total <= 0:
        return [0] * len(lines)
    exact = [Decimal(amount) * line.available / total for line in lines]
    parts = [int(x) for x in exact]
    left = amount - sum(parts)
    order = sorted(range(len(lines)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def paid_total(initiative, year: int) -> int:
    """What the association paid `initiative` for `year` (paid invoices): the outcome that
    the operational plan's `initiative_outcome` reads."""
    total = Invoice.objects.filter(
        initiative=initiative, year=year, status=InvoiceStatus.PAID
    ).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


def week_bases_for_all(initiatives, year: int, period: int, *, kind: str, as_of=None) -> dict:
    """The participant-week part of the invoice basis of every initiative in `initiatives` with a
    per-participant-week (or mixed) model for `year`, for `period`: {initiative id: {home
    municipality id: (weeks in the period, basis of the period, available)}}. Three queries
    whatever the number of initiatives: the models with their caps, the weeks of periods
    1..`period` (one set-based query), what was invoiced."""
    from finsam.finance.models import CompensationCap

    models_ = {
        m.initiative_id: m
        for m in CompensationModel.objects.filter(
            initiative__in=initiatives,
            year=year,
            kind__in=[CompensationKind.PER_PARTICIPANT_WEEK, CompensationKind.MIXED],
        ).only("pk", "initiative_id", "rate_per_week", "counting_rule", "count_anonymous")
    }
    if not models_:
        return {}
    caps: dict[int, dict] = defaultdict(dict)
    for initiative_id, municipality_id, amount in CompensationCap.objects.filter(
        model__in=[m.pk for m in models_.values()]
    ).values_list("model__initiative_id", "municipality_id", "amount"):
        caps[initiative_id][municipality_id] = int(amount)
    weeks = participant_weeks(
        list(models_),
        year,
        kind,
        periods=range(1, period + 1),
        counting_rule={pk: m.counting_rule or "enrolled_weeks" for pk, m in models_.items()},
        anonymous_counted={pk for pk, m in models_.items() if m.count_anonymous},
        as_of=as_of,
    )
    invoiced: dict[tuple, list[int]] = defaultdict(lambda: [0] * period_count(kind))
    for initiative_id, municipality_id, number, total in (
        InvoiceLine.objects.filter(
            kind=InvoiceLineKind.WEEKS,
            invoice__initiative__in=list(models_),
            invoice__year=year,
            invoice__period_kind=kind,
        )
        .exclude(invoice__status=InvoiceStatus.RETURNED)
        .values_list("invoice__initiative_id", "municipality_id", "invoice__period")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        invoiced[(initiative_id, municipality_id)][number - 1] += int(total)
    out: dict[int, dict] = defaultdict(dict)
    for (initiative_id, municipality_id), w in weeks.items():
        model = models_[initiative_id]
        cap = caps[initiative_id].get(municipality_id)
        rate = int(model.rate_per_week)
        bases = capped_bases([n * rate for n in w], cap)
        done = invoiced.get((initiative_id, municipality_id), [0] * period_count(kind))
        available = available_amount(bases + [0] * (period_count(kind) - period), done, cap, period)
        out[initiative_id][municipality_id] = (w[period - 1], bases[period - 1], available)
    return dict(out)
