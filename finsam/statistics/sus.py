"""The two reports the field knows from SUS, computed from the registrations
(participant-follow-up.md §4.1–4.2).

- **Insatsrapport** (`initiative_report`): one row per initiative with its description, orientation,
  target groups, planned participants, participants new / ongoing / exited in the period by gender,
  anonymous participants, volume-initiative head counts, budget and outcome, status.
- **Standardrapport deltagare** (`participant_report`): for the participants who exited in the
  period, occupation before vs after (every code, and the four SUS groups), how many work or study
  after and how many started or increased that, income sources before vs after, a transition table
  of income sources, and time in the initiative. Everything is split by gender.

Both start from the statistics engine (`engine.counted_enrolments` / `engine.exited_enrolments`,
its scopes, filters, tables and small-cell suppression), so they count exactly what the statistics
pages count. Each figure comes from a GROUP BY query: the number of queries does not depend on the
number of enrolments or initiatives.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core import formats
from finsam.core.periods import ended_in_q, ongoing_after_q, started_in_q
from finsam.documents import xlsx
from finsam.documents.xlsx import safe_text as _text
from finsam.finance.models import InitiativeBudget
from finsam.initiatives.models import HeadCount, Initiative
from finsam.participants.models import Gender
from finsam.reference.models import Code, CodeList
from finsam.statistics import engine
from finsam.statistics.engine import Cell, Row, Scope, StatsFilter, Table, make_row

WORK, STUDIES, JOB_SEEKING, OTHER = "work", "studies", "job_seeking", "other"
WORK_OR_STUDIES = (WORK, STUDIES)


def one_month_or_longer(flt: StatsFilter) -> bool:
    """SUS: "a single month or longer". 1–31 January, 15 January–14 February and 1–28 February
    are a month."""
    start = flt.period_start
    month, year = start.month + 1, start.year
    if month == 13:
        month, year = 1, year + 1
    day = min(start.day, _days_in_month(year, month))
    return flt.period_end >= datetime.date(year, month, day) - datetime.timedelta(days=1)


def _days_in_month(year: int, month: int) -> int:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return (following - datetime.timedelta(days=1)).day


# === Insatsrapport ============================================================================

# The selectable variables in SUS order (§4.1): 8 confirmed, then the rest.
INITIATIVE_VARIABLES = (
    ("description", gettext_lazy("Insatsbeskrivning")),
    ("association", gettext_lazy("Samordningsförbund")),
    ("start_date", gettext_lazy("Startdatum")),
    ("end_date", gettext_lazy("Slutdatum")),
    ("orientation", gettext_lazy("Inriktning")),
    ("specific_orientation", gettext_lazy("Preciserad inriktning")),
    ("target_groups", gettext_lazy("Målgrupp")),
    ("planned_participants", gettext_lazy("Planerat antal deltagare")),
    ("new", gettext_lazy("Nya deltagare under perioden")),
    ("ongoing", gettext_lazy("Pågående deltagare vid periodens slut")),
    ("exited", gettext_lazy("Avslutade deltagare under perioden")),
    ("anonymous", gettext_lazy("Anonyma deltagare")),
    ("volume", gettext_lazy("Deltagare i volyminsats")),
    ("budget", gettext_lazy("Budget, insatskostnad (kr)")),
    ("outcome", gettext_lazy("Utfall, insatskostnad (kr)")),
    ("owner_organisation", gettext_lazy("Projektägare")),
    ("follow_up", gettext_lazy("Deltagarregistrering")),
    ("esf_funded", gettext_lazy("ESF-finansierad")),
    ("status", gettext_lazy("Status")),
)
VARIABLE_KEYS = tuple(key for key, _label in INITIATIVE_VARIABLES)
# Variables counted by gender (women / men / total); the rest are one column each.
COUNT_VARIABLES = ("new", "ongoing", "exited", "anonymous", "volume")
INDIVIDUAL_MEASURES = ("new", "ongoing", "exited", "anonymous")


def variable_label(key: str) -> str:
    return str(dict(INITIATIVE_VARIABLES)[key])


@dataclass
class InitiativeLine:
    initiative: Initiative
    planned_participants: int | None
    counts: dict[str, Row | None]  # measure → Row, None where it does not apply
    budget: Decimal | None
    outcome: Decimal | None

    @property
    def is_volume(self) -> bool:
        return self.initiative.is_volume


@dataclass
class InitiativeReport:
    scope: Scope
    flt: StatsFilter
    variables: list[str]
    lines: list[InitiativeLine]
    totals: dict[str, Row]
    budget_total: Decimal | None
    outcome_total: Decimal | None
    planned_total: int | None
    suppressed: bool
    # Head counts have no home municipality: not shown when filtering by municipality.
    volume_shown: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def count_variables(self) -> list[str]:
        return [v for v in self.variables if v in COUNT_VARIABLES]

    def has(self, key: str) -> bool:
        return key in self.variables


def initiatives_in_scope(scope: Scope, flt: StatsFilter):
    """Initiatives in scope and filters whose period overlaps the report period."""
    qs = Initiative.objects.filter(engine.in_scope_q(scope, flt, initiative=""))
    return qs.active_in(flt.period_start, flt.period_end)


def _enrolment_counts(scope: Scope, flt: StatsFilter) -> dict:
    """{(initiative id, measure): {gender: n}} in one GROUP BY query.

    Registered participants (new / ongoing / exited) are identified enrolments, as in SUS;
    anonymous enrolments active in the period are counted on their own."""
    identified = Q(participant__isnull=False)
    rows = (
        engine.counted_enrolments(scope, flt)
        .values("initiative_id", "gender")
        .annotate(
            new=Count("id", filter=identified & started_in_q(flt.period_start, flt.period_end)),
            ongoing=Count("id", filter=identified & ongoing_after_q(flt.period_end)),
            exited=Count("id", filter=identified & ended_in_q(flt.period_start, flt.period_end)),
            anonymous=Count("id", filter=Q(participant__isnull=True)),
        )
        .order_by()
    )
    counts: dict = {}
    for item in rows:
        for measure in INDIVIDUAL_MEASURES:
            per_gender = counts.setdefault((item["initiative_id"], measure), {})
            per_gender[item["gender"]] = per_gender.get(item["gender"], 0) + item[measure]
    return counts


def _head_counts(initiative_ids, flt: StatsFilter) -> dict:
    """{initiative id: {gender: n}}: the monthly head counts of the period summed (one query)."""
    return head_counts_by_initiative(
        HeadCount.objects.filter(initiative_id__in=initiative_ids).months_in(
            flt.period_start, flt.period_end
        )
    )


def head_counts_by_initiative(head_counts) -> dict:
    """{initiative id: {gender: n}}: the head counts (a HeadCount queryset) summed (one query)."""
    rows = (
        head_counts.values("initiative_id")
        .annotate(women=Sum("women"), men=Sum("men"), other=Sum("other"))
        .order_by()
    )
    return {
        item["initiative_id"]: {
            Gender.WOMAN: item["women"] or 0,
            Gender.MAN: item["men"] or 0,
            Gender.OTHER: item["other"] or 0,
        }
        for item in rows
    }


def _budgets(initiative_ids, flt: StatsFilter) -> dict:
    """{initiative id: {amount, outcome, planned}} over the calendar years of the period."""
    rows = (
        InitiativeBudget.objects.filter(
            initiative_id__in=initiative_ids,
            year__gte=flt.period_start.year,
            year__lte=flt.period_end.year,
        )
        .values("initiative_id")
        .annotate(amount=Sum("amount"), outcome=Sum("outcome"), planned=Sum("planned_participants"))
        .order_by()
    )
    return {item["initiative_id"]: item for item in rows}


def _sum_optional(values):
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def initiative_report(
    scope: Scope, flt: StatsFilter, variables: list[str] | tuple[str, ...] = ()
) -> InitiativeReport:
    """The SUS initiative report for `scope` and `flt` (five queries whatever the size)."""
    chosen = [key for key in VARIABLE_KEYS if key in set(variables)] or list(VARIABLE_KEYS)
    initiatives = list(
        initiatives_in_scope(scope, flt)
        .select_related("association", "specific_orientation")
        .prefetch_related("target_groups")
        .order_by("association__name", "name", "pk")
    )
    ids = [i.pk for i in initiatives]
    enrolments = _enrolment_counts(scope, flt) if ids else {}
    volume_shown = not flt.municipality_ids
    heads = _head_counts(ids, flt) if ids and volume_shown else {}
    budgets = _budgets(ids, flt) if ids else {}

    lines = []
    for initiative in initiatives:
        counts: dict[str, Row | None] = {}
        for measure in INDIVIDUAL_MEASURES:
            counts[measure] = (
                None
                if initiative.is_volume
                else make_row(
                    initiative.pk, initiative.name, enrolments.get((initiative.pk, measure))
                )
            )
        counts["volume"] = (
            make_row(initiative.pk, initiative.name, heads.get(initiative.pk))
            if initiative.is_volume and volume_shown
            else None
        )
        budget = budgets.get(initiative.pk, {})
        planned = budget.get("planned")
        lines.append(
            InitiativeLine(
                initiative=initiative,
                planned_participants=planned
                if planned is not None
                else initiative.planned_participants,
                counts=counts,
                budget=budget.get("amount"),
                outcome=budget.get("outcome"),
            )
        )

    totals = {}
    for measure in COUNT_VARIABLES:
        rows = [line.counts[measure] for line in lines if line.counts[measure] is not None]
        sums = {
            Gender.WOMAN: sum(r.women.value for r in rows),
            Gender.MAN: sum(r.men.value for r in rows),
            Gender.OTHER: sum(r.other.value for r in rows),
        }
        totals[measure] = make_row("total", _("Totalt"), sums)
        if scope.suppress:
            # Every measure is a table: initiatives × gender with its total row and column.
            engine.suppress_table(
                Table(
                    dimension=measure,
                    title=variable_label(measure),
                    rows=rows,
                    total=totals[measure],
                    population="",
                    suppressed=True,
                )
            )
    notes = [
        _(
            "Nya, pågående och avslutade är deltaganden med personuppgifter; anonyma deltagare "
            "(utan samtycke eller med skyddade personuppgifter) som var aktiva under perioden "
            "redovisas för sig. Felregistreringar räknas inte."
        ),
        _(
            "Pågående är deltagare som fortfarande var inskrivna vid periodens slut. Totalt "
            "omfattar även annat/ej angivet kön."
        ),
        _(
            "Planerat antal deltagare, budget och utfall gäller hela kalenderår: summan för "
            "%(years)s."
        )
        % {"years": "–".join(str(y) for y in sorted({flt.period_start.year, flt.period_end.year}))},
    ]
    if volume_shown:
        notes.append(
            _("Deltagare i volyminsats är summan av de månadsvisa antalen under perioden.")
        )
    else:
        notes.append(
            _(
                "Volyminsatsernas antal saknar hemkommun och visas inte när urvalet gäller "
                "hemkommun."
            )
        )
    return InitiativeReport(
        scope=scope,
        flt=flt,
        variables=chosen,
        lines=lines,
        totals=totals,
        budget_total=_sum_optional(line.budget for line in lines),
        outcome_total=_sum_optional(line.outcome for line in lines),
        planned_total=_sum_optional(line.planned_participants for line in lines),
        suppressed=scope.suppress,
        volume_shown=volume_shown,
        notes=notes,
    )


def initiative_value(line: InitiativeLine, key: str):
    """The display value of a one-column variable of one initiative."""
    initiative = line.initiative
    if key == "description":
        return initiative.name
    if key == "association":
        return initiative.association.name
    if key == "start_date":
        return initiative.start_date
    if key == "end_date":
        return initiative.end_date
    if key == "orientation":
        return initiative.get_orientation_display()
    if key == "specific_orientation":
        return str(initiative.specific_orientation) if initiative.specific_orientation else ""
    if key == "target_groups":
        return ", ".join(str(c) for c in initiative.target_groups.all())
    if key == "planned_participants":
        return line.planned_participants
    if key == "budget":
        return line.budget
    if key == "outcome":
        return line.outcome
    if key == "owner_organisation":
        return initiative.owner_organisation
    if key == "follow_up":
        return initiative.get_follow_up_display()
    if key == "esf_funded":
        return _("Ja") if initiative.esf_funded else _("Nej")
    if key == "status":
        return initiative.get_status_display()
    raise KeyError(key)


# === Standardrapport deltagare ================================================================

PARTICIPANT_REPORTS = (
    ("occupation", gettext_lazy("1. Sysselsättning före och efter")),
    ("occupation_groups", gettext_lazy("2. Sysselsättning före och efter i fyra grupper")),
    ("work_studies", gettext_lazy("3. Arbete eller studier efter avslut")),
    ("income", gettext_lazy("4. Försörjningskälla före och efter")),
    ("transition", gettext_lazy("5. Försörjning efter, för en vald försörjningskälla före")),
    ("time", gettext_lazy("6. Tid i insatsen")),
)
REPORT_KEYS = tuple(key for key, _label in PARTICIPANT_REPORTS)
DEFAULT_TRANSITION_CODE = "forsorjningsstod"

_GROUPS = (
    (WORK, gettext_lazy("Förvärvsarbete")),
    (STUDIES, gettext_lazy("Studier")),
    (JOB_SEEKING, gettext_lazy("Aktivt arbetssökande som ej arbetar eller studerar")),
    (OTHER, gettext_lazy("Övriga avslutade")),
)


@dataclass
class Change:
    """After minus before, in number and in % of before; hidden when either side is."""

    number: int | None
    percent: int | None
    hidden: bool = False

    @property
    def number_display(self) -> str:
        if self.hidden:
            return ".."
        return _signed(self.number)

    @property
    def percent_display(self) -> str:
        if self.hidden:
            return ".."
        if self.percent is None:
            return "–"
        return f"{_signed(self.percent)} %"


def _signed(n: int | None) -> str:
    if n is None:
        return "–"
    text = formats.sv_number(abs(n), space=" ")
    return f"+{text}" if n > 0 else (f"−{text}" if n < 0 else "0")


def change(before: Cell, after: Cell) -> Change:
    if before.value is None or after.value is None:
        return Change(number=None, percent=None, hidden=True)
    number = after.value - before.value
    if not before.value:
        return Change(number=number, percent=None)
    sign = 1 if number >= 0 else -1
    return Change(number=number, percent=sign * formats.rounded_percent(abs(number), before.value))


@dataclass
class ComparisonLine:
    key: str
    label: str
    before: Row
    after: Row

    @property
    def changes(self) -> list[Change]:
        """Women, men, total."""
        return [
            change(self.before.women, self.after.women),
            change(self.before.men, self.after.men),
            change(self.before.total, self.after.total),
        ]


@dataclass
class Comparison:
    """A before/after table: two engine Tables with the same rows (suppressed like any table)."""

    key: str
    title: str
    population: str
    before: Table
    after: Table
    notes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[ComparisonLine]:
        return [
            ComparisonLine(key=b.key, label=b.label, before=b, after=a)
            for b, a in zip(self.before.rows, self.after.rows, strict=True)
        ] + [
            ComparisonLine(
                key="total", label=_("Totalt"), before=self.before.total, after=self.after.total
            )
        ]

    @property
    def empty(self) -> bool:
        return not self.before.total.total.value and not self.after.total.total.value


@dataclass
class Transition:
    """Income sources after, for the exited participants who had `code` before; and the whole
    before × after matrix (totals)."""

    code: Code | None
    table: Table  # after-sources by gender for those with `code` before
    sources: list[tuple[str, str]]  # (code, label) of the codes that occur, code-list order
    matrix: dict[tuple[str, str], Cell]
    before_totals: dict[str, Cell]
    suppressed: bool

    @property
    def row_sources(self) -> list[tuple[str, str]]:
        """Sources someone had before (the matrix rows)."""
        return [(k, label) for k, label in self.sources if k in self.before_totals]

    @property
    def column_sources(self) -> list[tuple[str, str]]:
        """Sources someone had after (the matrix columns)."""
        after = {a for _b, a in self.matrix}
        return [(k, label) for k, label in self.sources if k in after]

    def matrix_rows(self) -> list[tuple[str, Cell, list[Cell]]]:
        zero = Cell(0)
        columns = self.column_sources
        return [
            (
                label,
                self.before_totals[key],
                [self.matrix.get((key, after), zero) for after, _l in columns],
            )
            for key, label in self.row_sources
        ]


@dataclass
class ParticipantReport:
    scope: Scope
    flt: StatsFilter
    reports: list[str]
    exited: Row
    occupation: Comparison | None = None
    occupation_groups: Comparison | None = None
    work_studies: Table | None = None
    income: Comparison | None = None
    transition: Transition | None = None
    time: Table | None = None

    @property
    def suppressed(self) -> bool:
        return self.scope.suppress


def _comparison(scope, *, key, title, population, before_counts, after_counts, ordered, totals):
    tables = []
    for counts, when in ((before_counts, _("före")), (after_counts, _("efter"))):
        rows = [make_row(k, label, counts.get(k)) for k, label in ordered]
        table = Table(
            dimension=f"{key}_{'before' if not tables else 'after'}",
            title=f"{title} ({when})",
            rows=rows,
            total=make_row("total", _("Totalt"), totals),
            population=population,
            suppressed=scope.suppress,
            multi_valued=key == "income",
        )
        if scope.suppress:
            engine.suppress_table(table)
        tables.append(table)
    return Comparison(
        key=key, title=title, population=population, before=tables[0], after=tables[1]
    )


def _code_counts(qs, field_name: str, code_list: str, *, distinct=False):
    """Counts by code (one GROUP BY) in code-list order, NULL as "Uppgift saknas"."""
    counts = engine.grouped_counts(qs, field_name, distinct=distinct)
    return engine.code_rows(code_list, counts)


def _merge_order(*orders):
    seen, merged = set(), []
    for order in orders:
        for key, label in order:
            if key not in seen:
                seen.add(key)
                merged.append((key, label))
    return merged


def occupation_comparison(scope: Scope, flt: StatsFilter, exited, totals) -> Comparison:
    """Report type 1: every occupation code before vs after, for those who exited."""
    order_b, before = _code_counts(exited, "occupation_before_id", CodeList.OCCUPATION)
    order_a, after = _code_counts(exited, "occupation_after_id", CodeList.OCCUPATION)
    return _comparison(
        scope,
        key="occupation",
        title=_("Sysselsättning"),
        population=_("deltagare som avslutades under perioden"),
        before_counts=before,
        after_counts=after,
        ordered=_merge_order(order_b, order_a),
        totals=totals,
    )


def _group_expression(prefix: str):
    """The four SUS groups from `Code.category`; missing and unknown count as "övriga"."""
    return Case(
        When(
            **{f"{prefix}__category__in": [WORK, STUDIES, JOB_SEEKING]}, then=f"{prefix}__category"
        ),
        default=Value(OTHER),
        output_field=CharField(),
    )


def occupation_groups_comparison(scope: Scope, flt: StatsFilter, exited, totals) -> Comparison:
    """Report type 2: the four groups before vs after (they add up to all who exited)."""
    rows = (
        exited.annotate(
            group_before=_group_expression("occupation_before"),
            group_after=_group_expression("occupation_after"),
        )
        .values("group_before", "group_after", "gender")
        .annotate(n=Count("id"))
        .order_by()
    )
    before: dict = {}
    after: dict = {}
    for item in rows:
        for counts, key in ((before, item["group_before"]), (after, item["group_after"])):
            per_gender = counts.setdefault(key, {})
            per_gender[item["gender"]] = per_gender.get(item["gender"], 0) + item["n"]
    return _comparison(
        scope,
        key="occupation_groups",
        title=_("Sysselsättning i fyra grupper"),
        population=_("deltagare som avslutades under perioden"),
        before_counts=before,
        after_counts=after,
        ordered=[(k, str(label)) for k, label in _GROUPS],
        totals=totals,
    )


def work_studies_table(scope: Scope, flt: StatsFilter, exited) -> Table:
    """Report type 3: of those who exited, how many work or study after, and of these how many
    started (did not work or study before) or increased the extent (in % of full time)."""
    after_ws = Q(occupation_after__category__in=WORK_OR_STUDIES)
    before_ws = Q(occupation_before__category__in=WORK_OR_STUDIES)
    increased = Q(occupation_extent_after__gt=F("occupation_extent_before"))
    aggregates = {
        "exited": Count("id"),
        "work": Count("id", filter=Q(occupation_after__category=WORK)),
        "studies": Count("id", filter=Q(occupation_after__category=STUDIES)),
        "work_or_studies": Count("id", filter=after_ws),
        "started": Count("id", filter=after_ws & ~before_ws),
        "increased": Count("id", filter=after_ws & before_ws & increased),
        "started_or_increased": Count("id", filter=after_ws & (~before_ws | increased)),
    }
    rows = exited.values("gender").annotate(**aggregates).order_by()
    counts: dict = {}
    for item in rows:
        for key in aggregates:
            per_gender = counts.setdefault(key, {})
            per_gender[item["gender"]] = per_gender.get(item["gender"], 0) + item[key]
    ordered = [
        ("work", _("Arbetar efter avslut")),
        ("studies", _("Studerar efter avslut")),
        ("work_or_studies", _("Arbetar eller studerar efter avslut")),
        ("started", _("– av dessa: började arbeta eller studera (gjorde inte det före)")),
        ("increased", _("– av dessa: ökade omfattningen jämfört med före")),
        ("started_or_increased", _("– av dessa: började eller ökade omfattningen")),
    ]
    table = Table(
        dimension="work_studies",
        title=_("Arbete eller studier efter avslut"),
        rows=[make_row(k, label, counts.get(k)) for k, label in ordered],
        total=make_row("total", _("Avslutade under perioden"), counts.get("exited")),
        population=_(
            "deltagare som avslutades under perioden. Raderna är delmängder av de avslutade och "
            "summerar inte till totalen. Omfattning jämförs i procent av heltid"
        ),
        suppressed=scope.suppress,
        multi_valued=True,
    )
    if scope.suppress:
        engine.suppress_table(table)
    return table


def income_comparison(scope: Scope, flt: StatsFilter, exited, totals) -> Comparison:
    """Report type 4: income sources before vs after (a person counts once per source)."""
    order_b, before = _code_counts(
        exited, "income_sources_before", CodeList.INCOME_SOURCE, distinct=True
    )
    order_a, after = _code_counts(
        exited, "income_sources_after", CodeList.INCOME_SOURCE, distinct=True
    )
    comparison = _comparison(
        scope,
        key="income",
        title=_("Försörjningskälla"),
        population=_(
            "deltagare som avslutades under perioden. En deltagare kan ha flera "
            "försörjningskällor och räknas en gång per källa; raderna kan därför summera till mer "
            "än totalen"
        ),
        before_counts=before,
        after_counts=after,
        ordered=_merge_order(order_b, order_a),
        totals=totals,
    )
    return comparison


def transition(scope: Scope, flt: StatsFilter, exited, code: Code | None) -> Transition:
    """Report type 5: income sources after for those with `code` before, and the matrix."""
    chosen = exited.filter(income_sources_before=code) if code else exited.none()
    order, after = _code_counts(
        chosen, "income_sources_after", CodeList.INCOME_SOURCE, distinct=True
    )
    title = (
        _("Försörjning efter för dem med %(source)s före")
        % {"source": str(code).split(" (")[0].lower()}
        if code
        else _("Försörjningskälla efter")
    )
    table = Table(
        dimension="transition",
        title=title,
        # Only the sources someone went to: the chosen group is small and the list long.
        rows=[make_row(k, label, after.get(k)) for k, label in order if after.get(k)],
        total=make_row("total", _("Totalt"), engine.gender_counts(chosen)),
        population=_(
            "deltagare som avslutades under perioden och hade den valda försörjningskällan före. "
            "En deltagare kan ha flera försörjningskällor efter; raderna kan därför summera till "
            "mer än totalen"
        ),
        suppressed=scope.suppress,
        multi_valued=True,
    )
    if scope.suppress:
        engine.suppress_table(table)

    # The matrix: one GROUP BY over both many-to-many relations.
    pairs = (
        exited.values("income_sources_before__code", "income_sources_after__code")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    before_rows = (
        exited.values("income_sources_before__code")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    matrix: dict[tuple[str, str], Cell] = {}
    for item in pairs:
        key = (
            item["income_sources_before__code"] or engine.MISSING,
            item["income_sources_after__code"] or engine.MISSING,
        )
        matrix[key] = Cell(matrix.get(key, Cell(0)).value + item["n"])
    before_totals = {
        (item["income_sources_before__code"] or engine.MISSING): Cell(item["n"])
        for item in before_rows
    }
    used = {k for pair in matrix for k in pair} | set(before_totals)
    sources = [
        (c.code, str(c))
        for c in Code.objects.filter(code_list=CodeList.INCOME_SOURCE, code__in=used).order_by(
            "sort_order", "code"
        )
    ]
    if engine.MISSING in used:
        sources.append((engine.MISSING, _("Uppgift saknas")))
    if scope.suppress:
        # Rows overlap (several sources per person), so no cell can be worked out exactly from
        # the totals; the small cells themselves are hidden.
        for cell in [*matrix.values(), *before_totals.values()]:
            if engine.is_small_cell(cell.value):
                cell.value = None
    return Transition(
        code=code,
        table=table,
        sources=sources,
        matrix=matrix,
        before_totals=before_totals,
        suppressed=scope.suppress,
    )


def participant_report(
    scope: Scope,
    flt: StatsFilter,
    reports: list[str] | tuple[str, ...] = (),
    *,
    transition_code: Code | None = None,
) -> ParticipantReport:
    """The SUS participant report: the chosen report types (all when none is chosen)."""
    chosen = [key for key in REPORT_KEYS if key in set(reports)] or list(REPORT_KEYS)
    exited = engine.exited_enrolments(scope, flt)
    totals = engine.gender_counts(exited)
    exited_row = make_row("exited", _("Avslutade under perioden"), totals)
    report = ParticipantReport(scope=scope, flt=flt, reports=chosen, exited=exited_row)
    if "occupation" in chosen:
        report.occupation = occupation_comparison(scope, flt, exited, totals)
    if "occupation_groups" in chosen:
        report.occupation_groups = occupation_groups_comparison(scope, flt, exited, totals)
    if "work_studies" in chosen:
        report.work_studies = work_studies_table(scope, flt, exited)
    if "income" in chosen:
        report.income = income_comparison(scope, flt, exited, totals)
    if "transition" in chosen:
        if transition_code is None:
            transition_code = Code.objects.filter(
                code_list=CodeList.INCOME_SOURCE, code=DEFAULT_TRANSITION_CODE
            ).first()
        report.transition = transition(scope, flt, exited, transition_code)
    if "time" in chosen:
        report.time = engine.stats_table(scope, flt, "time_in_initiative")
    if scope.suppress:
        suppress_table_row(exited_row)
    return report


def suppress_table_row(row: Row) -> None:
    """The headline "exited" row on its own: 1–4 hidden, with a second cell where needed."""
    engine.suppress_table(
        Table(
            dimension="exited",
            title="",
            rows=[],
            total=row,
            population="",
            suppressed=True,
        )
    )


# === Charts ===================================================================================


def comparison_chart_svg(comparison: Comparison) -> str:
    """Before/after bars per row, by gender (women before/after, men before/after), as inline
    SVG. Suppressed cells are drawn as 0 with their "1–4" or ".." label, never their value."""
    import io
    import textwrap
    from xml.sax.saxutils import escape

    from matplotlib import rc_context
    from matplotlib.figure import Figure

    from finsam.statistics import charts

    # Rows nobody had before or after carry nothing to look at (the table keeps them).
    pairs = [
        (b, a)
        for b, a in zip(comparison.before.rows, comparison.after.rows, strict=True)
        if b.total.value != 0 or a.total.value != 0
    ]
    series = (
        ("women", _("Kvinnor före"), _("Kvinnor efter")),
        ("men", _("Män före"), _("Män efter")),
    )
    bars_per_row = 4
    height = 1.4 + max(len(pairs), 1) * (0.2 * bars_per_row + 0.2)
    with rc_context(charts._RC):
        figure = Figure(figsize=(7.5, height), layout="constrained")
        axes = figure.add_subplot()
        bar = 0.8 / bars_per_row
        largest = 1
        index = 0
        for gender, before_label, after_label in series:
            for when, label in ((0, before_label), (1, after_label)):
                cells = [getattr(pair[when], gender) for pair in pairs]
                values = [c.value or 0 for c in cells]
                largest = max([largest, *values])
                positions = [i + (index - (bars_per_row - 1) / 2) * bar for i in range(len(pairs))]
                drawn = axes.barh(
                    positions,
                    values,
                    height=bar * 0.92,
                    color=charts.COLOURS[gender],
                    alpha=0.45 if when == 0 else 1.0,
                    hatch="//" if when == 0 else None,
                    edgecolor="white" if when == 0 else charts.COLOURS[gender],
                    linewidth=0,
                    label=label,
                )
                labels = [
                    c.display if c.value is None else formats.sv_number(c.value, space=" ")
                    for c in cells
                ]
                axes.bar_label(drawn, labels=labels, padding=3, fontsize=7, color="#222222")
                index += 1
        axes.set_yticks(
            range(len(pairs)),
            ["\n".join(textwrap.wrap(b.label, 38)) or b.label for b, _a in pairs],
        )
        axes.invert_yaxis()
        axes.set_xlim(0, largest * 1.2 + 1)
        axes.tick_params(axis="y", length=0)
        axes.grid(axis="x", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        axes.set_xlabel(_("Antal"))
        axes.set_title(
            _("%(title)s före och efter") % {"title": comparison.title},
            loc="left",
            fontsize=11,
            fontweight="bold",
        )
        figure.legend(loc="outside lower center", frameon=False, fontsize=8, ncols=4)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    title = escape(_("%(title)s före och efter") % {"title": comparison.title})
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{title}" style="max-width:100%;height:auto" ',
        1,
    )


# === Downloads ================================================================================


def _heading(sheet, title: str, filters_text: str, suppressed: bool) -> None:
    xlsx.append_title(sheet, title)
    sheet.append([_text(filters_text)])
    if suppressed:
        sheet.append([str(engine.SUPPRESSION_TEXT)])


def _cell_value(cell: Cell):
    """Counts stay numbers; a suppressed count is written as its text, never its value."""
    return cell.display if cell.value is None else cell.value


def initiative_report_xlsx(report: InitiativeReport, *, title: str, filters_text: str) -> bytes:
    """The initiative report as one sheet: two header rows (variable, then Kvinnor / Män / Totalt
    under each counted variable), one row per initiative, then the totals."""
    workbook = xlsx.workbook()
    sheet = workbook.active
    sheet.title = _("Insatsrapport")
    _heading(sheet, title, filters_text, report.suppressed)
    for note in report.notes:
        sheet.append([_text(note)])
    sheet.append([])
    top, sub = _initiative_report_headers(report)
    xlsx.append_header(sheet, top)
    header_row = sheet.max_row
    xlsx.append_header(sheet, sub)
    column = 2
    for key in report.variables:
        if key in COUNT_VARIABLES:
            sheet.merge_cells(
                start_row=header_row, start_column=column, end_row=header_row, end_column=column + 2
            )
        column += 3 if key in COUNT_VARIABLES else 1
    for line in report.lines:
        sheet.append(_initiative_report_values(report, line))
        xlsx.date_cells(sheet)
    xlsx.append_bold(sheet, _initiative_report_totals(report))
    xlsx.column_widths(sheet, {1: 36, **dict.fromkeys(range(2, len(top) + 1), 14)})
    sheet.freeze_panes = sheet.cell(row=header_row + 2, column=2)
    return xlsx.save(workbook)


def _initiative_report_headers(report: InitiativeReport) -> tuple[list, list]:
    """The two header rows: the variables, then Kvinnor / Män / Totalt under counted ones."""
    top, sub = [_("Insats")], [""]
    for key in report.variables:
        if key in COUNT_VARIABLES:
            top += [variable_label(key), "", ""]
            sub += [_("Kvinnor"), _("Män"), _("Totalt")]
        elif key == "description":
            top.append(_("Beskrivning (syfte)"))
            sub.append("")
        else:
            top.append(variable_label(key))
            sub.append("")
    return top, sub


def _initiative_report_values(report: InitiativeReport, line) -> list:
    """One initiative's row."""
    values = [_text(line.initiative.name)]
    for key in report.variables:
        if key in COUNT_VARIABLES:
            row = line.counts[key]
            values += (
                ["–", "–", "–"]
                if row is None
                else [_cell_value(row.women), _cell_value(row.men), _cell_value(row.total)]
            )
        elif key == "description":
            values.append(_text(line.initiative.purpose or ""))
        else:
            value = initiative_value(line, key)
            values.append(_text(value) if isinstance(value, str) else value)
    return values


def _initiative_report_totals(report: InitiativeReport) -> list:
    """The totals row: counts, and the sums of planned participants, budget and outcome."""
    summed = {
        "planned_participants": report.planned_total,
        "budget": report.budget_total,
        "outcome": report.outcome_total,
    }
    totals = [_("Totalt")]
    for key in report.variables:
        if key in COUNT_VARIABLES:
            row = report.totals[key]
            totals += [_cell_value(row.women), _cell_value(row.men), _cell_value(row.total)]
        else:
            totals.append(summed.get(key, ""))
    return totals


def _write_table(sheet, table: Table) -> None:
    xlsx.append_title(sheet, table.title, size=12)
    if table.population:
        sheet.append([_text(_("Räknas: %(population)s") % {"population": table.population})])
    xlsx.append_header(sheet, ["", *table.column_labels])
    for row in table.rows:
        sheet.append([_text(row.label), *(_cell_value(c) for c in row.cells)])
    xlsx.append_bold(
        sheet, [_text(table.total.label), *(_cell_value(c) for c in table.total.cells)]
    )
    sheet.append([])


def _write_comparison(sheet, comparison: Comparison) -> None:
    xlsx.append_title(sheet, comparison.title, size=12)
    sheet.append([_text(_("Räknas: %(population)s") % {"population": comparison.population})])
    groups = [_("Före"), _("Efter"), _("Förändring, antal"), _("Förändring, %")]
    xlsx.append_header(sheet, ["", *(cell for group in groups for cell in (group, "", ""))])
    xlsx.append_header(sheet, ["", *([_("Kvinnor"), _("Män"), _("Totalt")] * 4)])
    for line in comparison.lines:
        changes = line.changes
        sheet.append(
            [
                _text(line.label),
                *(_cell_value(c) for c in (line.before.women, line.before.men, line.before.total)),
                *(_cell_value(c) for c in (line.after.women, line.after.men, line.after.total)),
                *(".." if c.hidden else c.number for c in changes),
                *(
                    ".." if c.hidden else (c.percent if c.percent is not None else "–")
                    for c in changes
                ),
            ]
        )
    xlsx.style_row(sheet, font=xlsx.font(bold=True))
    sheet.append([])


def participant_report_xlsx(report: ParticipantReport, *, title: str, filters_text: str) -> bytes:
    """The participant report: one sheet per report type, each with the heading and filters."""
    workbook = xlsx.workbook()
    first = True
    labels = dict(PARTICIPANT_REPORTS)
    for key in report.reports:
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = str(labels[key])[:31].replace(":", "")
        _heading(sheet, f"{title}: {labels[key]}", filters_text, report.suppressed)
        sheet.append([])
        xlsx.append_header(sheet, ["", _("Kvinnor"), _("Män"), _("Annat/ej angivet"), _("Totalt")])
        sheet.append(
            [_("Avslutade under perioden"), *(_cell_value(c) for c in report.exited.cells)]
        )
        sheet.append([])
        value = getattr(report, key)
        if isinstance(value, Comparison):
            _write_comparison(sheet, value)
        elif isinstance(value, Table):
            _write_table(sheet, value)
        elif isinstance(value, Transition):
            _write_table(sheet, value.table)
            sheet.append(
                [_("Övergångstabell: försörjningskälla före (rader) och efter (kolumner)")]
            )
            sources = [_text(label) for _key, label in value.column_sources]
            xlsx.append_header(sheet, [_("Före (rad) / efter (kolumn)"), _("Antal före"), *sources])
            for label, total, cells in value.matrix_rows():
                sheet.append([_text(label), _cell_value(total), *(_cell_value(c) for c in cells)])
        xlsx.column_widths(sheet, {1: 52})
    return xlsx.save(workbook)
