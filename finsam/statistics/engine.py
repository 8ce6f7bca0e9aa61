"""The statistics engine: counts of enrolments by dimension, split by gender.

Every table is computed with one GROUP BY query (plus, for multi-valued dimensions, one query for
the total and one for the row labels); nothing loops over enrolments in Python. Pages, the API,
reports and the compiled report all call these functions, so the same figures (and the same
small-cell suppression) appear everywhere.

Populations (participant-follow-up.md §4), by the rules of `Enrolment.objects.counted()` and
`finsam.core.periods`:
- *active*: counted enrolments (wrong registrations taken out, rule R6) whose
  [start_date, end_date] overlaps the period (`active_in`); anonymous enrolments count like
  identified ones;
- *exited*: active enrolments that ended inside the period (`ended_in`).
Volume initiatives have no enrolments; their monthly head counts appear only in the headline.

Each dimension's table has one builder (`BUILDERS`: dimension → function). Counts from 1 to
below the setting SMALL_CELL_LIMIT are hidden in tables that leave the association, shown as
`small_cell_label()` ("1–4" with the default 5).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import dateformat, translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from finsam.core import formats
from finsam.core.formats import sv_date
from finsam.core.formats import sv_share as sv_percent
from finsam.core.periods import ended_in_q, ongoing_after_q, started_in_q
from finsam.participants import variables
from finsam.participants.models import Enrolment, Gender
from finsam.reference.models import EXIT_WRONG_REGISTRATION, Code, CodeList, Municipality

# Every table but the headline, in the order shown: the engine's own tables at their places, and
# the tables of the registration variables (`finsam.participants.variables`) at theirs.
_OWN_TABLE_POSITIONS = {
    "gender": 10,
    "age_group": 20,
    "outcome": 60,
    "time_in_initiative": 70,
    "home_municipality": 80,
    "target_group": 100,
}
_VARIABLE_TABLES = [v for v in variables.VARIABLES if v.table is not None]
_POSITIONS = {
    **_OWN_TABLE_POSITIONS,
    **{v.table.dimension: v.table.position for v in _VARIABLE_TABLES},
}
DIMENSIONS = tuple(sorted(_POSITIONS, key=_POSITIONS.__getitem__))


def small_cell_limit() -> int:
    """The smallest count shown in tables that leave the association (setting SMALL_CELL_LIMIT):
    counts from 1 to one below it are hidden; 0 is always shown."""
    return settings.SMALL_CELL_LIMIT


def small_cell_label() -> str:
    """How a hidden small count is shown: "1–4" when the limit is 5."""
    highest = small_cell_limit() - 1
    return "1" if highest <= 1 else f"1–{highest}"


def _suppression_text() -> str:
    return _(
        "Antal från 1 till %(highest)s visas inte (visas som ”%(label)s”) i tabeller som lämnar "
        "förbundet, för att ingen deltagare ska kunna identifieras. Där ett dolt antal annars "
        "skulle kunna räknas fram ur en summa döljs även ett annat antal i samma rad eller "
        "kolumn (visas som ”..”). Summor bygger alltid på de verkliga antalen."
    ) % {"highest": small_cell_limit() - 1, "label": small_cell_label()}


# The small-cell rule in words, for the current language and limit whenever it is shown.
SUPPRESSION_TEXT = lazy(_suppression_text, str)()

MISSING = "missing"
GENDER_KEYS = (Gender.WOMAN, Gender.MAN, Gender.OTHER)


# --- Data classes (contract A) ---------------------------------------------------------------


@dataclass(frozen=True)
class StatsFilter:
    period_start: datetime.date
    period_end: datetime.date
    initiative_ids: tuple[int, ...] = ()  # empty = all in scope
    target_group_ids: tuple[int, ...] = ()  # initiatives having any of these target groups
    municipality_ids: tuple[int, ...] = ()  # participants' home municipality


@dataclass(frozen=True)
class Scope:
    kind: str  # "initiative" | "association" | "region" | "national"
    label: str
    initiative_ids: frozenset | None  # None = no restriction by initiative
    association_ids: frozenset | None  # None = all associations (national)
    suppress: bool  # True when the table leaves the participants' own association

    @classmethod
    def of_initiative(cls, initiative) -> Scope:
        """One initiative: its own association's figures, not suppressed."""
        return cls(
            kind="initiative",
            label=initiative.name,
            initiative_ids=frozenset({initiative.pk}),
            association_ids=frozenset({initiative.association_id}),
            suppress=False,
        )

    @classmethod
    def of_association(cls, association) -> Scope:
        """Every initiative of one association: its own figures, not suppressed."""
        return cls(
            kind="association",
            label=association.name,
            initiative_ids=None,
            association_ids=frozenset({association.pk}),
            suppress=False,
        )

    @classmethod
    def of_region(cls, region, association_ids) -> Scope:
        """The associations of a region (county): the tables leave each association, so
        suppressed."""
        return cls(
            kind="region",
            label=region.name,
            initiative_ids=None,
            association_ids=frozenset(association_ids),
            suppress=True,
        )

    @classmethod
    def national(cls, *, suppress: bool = True) -> Scope:
        """Every association; suppressed unless told otherwise (the bench's exact figures)."""
        return cls(
            kind="national",
            label=_("Hela landet"),
            initiative_ids=None,
            association_ids=None,
            suppress=suppress,
        )


@dataclass
class Cell:
    """One count. `value` None = suppressed: a small count (shown `small_cell_label()`, "1–4")
    or, when `secondary`, a count hidden so that a small one cannot be worked out from a total
    (shown "..")."""

    value: int | None
    secondary: bool = False

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def display(self) -> str:
        if self.value is None:
            return ".." if self.secondary else small_cell_label()
        return sv_number(self.value)

    def __str__(self):
        return self.display


@dataclass
class Row:
    key: str
    label: str
    women: Cell
    men: Cell
    other: Cell
    total: Cell

    @property
    def cells(self) -> list[Cell]:
        return [self.women, self.men, self.other, self.total]


@dataclass
class Table:
    dimension: str
    title: str
    rows: list[Row]
    total: Row
    population: str
    suppressed: bool
    # Whether rows may sum to more than the total (a person counts once per value).
    multi_valued: bool = False
    notes: list[str] = field(default_factory=list)
    # False for the headline, whose rows are different populations: its `total` (= the "active"
    # row) is not shown again below the rows.
    show_total: bool = True

    @property
    def column_labels(self) -> list[str]:
        return [_("Kvinnor"), _("Män"), _("Annat/ej angivet"), _("Totalt")]


# --- Formatting ------------------------------------------------------------------------------


def sv_number(n: int) -> str:
    """Plain space: the statistics sentences keep the form frozen in report snapshots."""
    return formats.sv_number(n, space=" ")


# --- Age groups and time buckets -------------------------------------------------------------

_AGE_GROUPS = (
    ("0-15", 0, 15),
    ("16-18", 16, 18),
    ("19-24", 19, 24),
    ("25-29", 25, 29),
    ("30-34", 30, 34),
    ("35-44", 35, 44),
    ("45-54", 45, 54),
    ("55-64", 55, 64),
    ("65-", 65, 200),
)


def age_groups() -> list[tuple[str, int, int]]:
    """The age bands used: (key, lowest age, highest age) by age at start."""
    return list(_AGE_GROUPS)


def age_group_label(key: str) -> str:
    for k, low, high in _AGE_GROUPS:
        if k == key:
            if low == 0:
                return _("Under %(age)s år") % {"age": high + 1}
            if high >= 200:
                return _("%(age)s år och äldre") % {"age": low}
            return f"{low}–{high} " + _("år")
    return _("Uppgift saknas")


# Days enrolled: (key, label, upper bound in days, exclusive).
_TIME_BUCKETS = (
    ("lt3", gettext_lazy("Kortare än 3 månader"), 91),
    ("3-6", gettext_lazy("3–6 månader"), 183),
    ("6-12", gettext_lazy("6–12 månader"), 365),
    ("12-24", gettext_lazy("12–24 månader"), 730),
    ("gt24", gettext_lazy("Längre än 24 månader"), None),
)

_OUTCOMES = (
    ("work", gettext_lazy("Förvärvsarbete")),
    ("studies", gettext_lazy("Studier")),
    ("job_seeking", gettext_lazy("Aktivt arbetssökande (ej arbete eller studier)")),
    ("other", gettext_lazy("Övriga")),
)

_UNKNOWN_CODES = ("uppgift-saknas", "okand")


# --- The population ---------------------------------------------------------------------------


def in_scope_q(scope: Scope, flt: StatsFilter, initiative: str = "initiative") -> Q:
    """The initiatives of `scope`, of `flt`'s initiatives and of its target groups, as a
    condition on the initiative at the path `initiative` (of an enrolment or a head count; ""
    on `Initiative` itself). The target groups are a subquery: an initiative with two of the
    groups counts once."""
    from finsam.initiatives.models import Initiative

    def on(field: str) -> str:
        return f"{initiative}__{field}__in" if initiative else f"{field}__in"

    q = Q()
    if scope.initiative_ids is not None:
        q &= Q(**{on("pk"): scope.initiative_ids})
    if scope.association_ids is not None:
        q &= Q(**{on("association_id"): scope.association_ids})
    if flt.initiative_ids:
        q &= Q(**{on("pk"): flt.initiative_ids})
    if flt.target_group_ids:
        with_groups = Initiative.objects.filter(target_groups__in=flt.target_group_ids)
        q &= Q(**{on("pk"): with_groups.values("pk")})
    return q


def _scoped(scope: Scope, flt: StatsFilter) -> QuerySet:
    qs = Enrolment.objects.counted().filter(in_scope_q(scope, flt))
    if flt.municipality_ids:
        qs = qs.filter(home_municipality_id__in=flt.municipality_ids)
    return qs


def counted_enrolments(scope: Scope, flt: StatsFilter) -> QuerySet:
    """Enrolments in scope (wrong registrations excluded) whose [start, end] overlaps the period."""
    return _scoped(scope, flt).active_in(flt.period_start, flt.period_end)


def exited_enrolments(scope: Scope, flt: StatsFilter) -> QuerySet:
    """Counted enrolments that ended inside the period."""
    return _scoped(scope, flt).ended_in(flt.period_start, flt.period_end)


class DaysBetween(Func):
    """Whole days from the second date to the first: integer date subtraction on PostgreSQL,
    Julian day numbers on SQLite (no Python function per row)."""

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


# --- Building tables --------------------------------------------------------------------------


def _split(rows_of_counts: dict, gender: str, n: int, key) -> None:
    rows_of_counts.setdefault(key, dict.fromkeys(GENDER_KEYS, 0))
    if gender not in rows_of_counts[key]:
        gender = Gender.OTHER
    rows_of_counts[key][gender] += n


def make_row(key, label, counts: dict | None = None) -> Row:
    """A row from {gender: n}; "other" and unknown genders go to the other column."""
    counts = counts or {}
    women = counts.get(Gender.WOMAN, 0)
    men = counts.get(Gender.MAN, 0)
    other = sum(n for g, n in counts.items() if g not in (Gender.WOMAN, Gender.MAN))
    return Row(
        key=str(key),
        label=str(label),
        women=Cell(women),
        men=Cell(men),
        other=Cell(other),
        total=Cell(women + men + other),
    )


def gender_counts(qs) -> dict:
    counts = dict.fromkeys(GENDER_KEYS, 0)
    for item in qs.values("gender").annotate(n=Count("id")).order_by():
        _split({"t": counts}, item["gender"], item["n"], "t")
    return counts


def _table(
    scope: Scope,
    *,
    dimension: str,
    title: str,
    ordered: list[tuple[str, str]],
    counts: dict,
    population: str,
    total_counts: dict | None = None,
    multi_valued: bool = False,
) -> Table:
    rows = [make_row(key, label, counts.get(key, {})) for key, label in ordered]
    if total_counts is None:
        total_counts = dict.fromkeys(GENDER_KEYS, 0)
        for per_gender in counts.values():
            for g, n in per_gender.items():
                total_counts[g] += n
    total = make_row("total", _("Totalt"), total_counts)
    table = Table(
        dimension=dimension,
        title=title,
        rows=rows,
        total=total,
        population=population,
        suppressed=scope.suppress,
        multi_valued=multi_valued,
    )
    if scope.suppress:
        suppress_table(table)
    return table


def grouped_counts(qs, key_expr: str, *, distinct=False) -> dict:
    """{key: {gender: n}} from one GROUP BY query."""
    counts: dict = {}
    rows = qs.values(key_expr, "gender").annotate(n=Count("id", distinct=distinct)).order_by()
    for item in rows:
        _split(counts, item["gender"], item["n"], item[key_expr])
    return counts


def _codes(code_list: str, used_ids) -> list[Code]:
    return list(
        Code.objects.filter(code_list=code_list)
        .filter(Q(active=True) | Q(pk__in=[i for i in used_ids if i is not None]))
        .order_by("sort_order", "code")
    )


def code_rows(code_list: str, counts: dict) -> tuple[list[tuple[str, str]], dict]:
    """Rows in code-list order; counts keyed by code id become keyed by code; NULL goes to the
    list's "unknown" code if it has one, else to a "Uppgift saknas" row."""
    codes = _codes(code_list, counts.keys())
    unknown = next((c for c in codes if c.code in _UNKNOWN_CODES), None)
    by_key: dict = {}
    ordered = []
    for code in codes:
        ordered.append((code.code, str(code)))
        if code.pk in counts:
            by_key[code.code] = counts[code.pk]
    if None in counts:
        target = unknown.code if unknown else MISSING
        merged = by_key.setdefault(target, dict.fromkeys(GENDER_KEYS, 0))
        for g, n in counts[None].items():
            merged[g] = merged.get(g, 0) + n
    if unknown is None:
        ordered.append((MISSING, _("Uppgift saknas")))
    return ordered, by_key


_CODE_DIMENSIONS = {
    # dimension: (title, code list, field, exited only)
    **{
        v.table.dimension: (v.table.title, v.code_list, v.attname, v.phase == variables.OUT)
        for v in _VARIABLE_TABLES
    },
    "target_group": (
        gettext_lazy("Målgrupp"),
        CodeList.TARGET_GROUP,
        "initiative__target_groups",
        False,
    ),
}

_MULTI_VALUED = {"target_group", *(v.table.dimension for v in _VARIABLE_TABLES if v.multiple)}


def _population_text(exited: bool, multi_valued: bool) -> str:
    text = (
        _("deltaganden som avslutades under perioden")
        if exited
        else _("deltaganden som var aktiva någon gång under perioden")
    )
    if multi_valued:
        text += ". " + _(
            "En deltagare kan ha flera värden och räknas en gång per värde; raderna kan därför "
            "summera till mer än totalen"
        )
    return text


# --- One builder per dimension ----------------------------------------------------------------


@dataclass
class _Populations:
    """What a dimension's builder counts from: the scope and filter, the two populations, and
    the persons of multi-valued tables (`totals`), kept over the tables of one `all_tables`."""

    scope: Scope
    flt: StatsFilter
    memo: dict

    @cached_property
    def active(self) -> QuerySet:
        return counted_enrolments(self.scope, self.flt)

    @cached_property
    def exited(self) -> QuerySet:
        return exited_enrolments(self.scope, self.flt)

    def table(
        self, dimension, title, ordered, counts, *, exited=False, missing=False, note=""
    ) -> Table:
        """A table of one value per enrolment, from the exited population or the active one;
        `missing`: a last row "Uppgift saknas", `note`: a sentence added to the population."""
        if missing:
            ordered = [*ordered, (MISSING, _("Uppgift saknas"))]
        population = _population_text(exited, False)
        return _table(
            self.scope,
            dimension=dimension,
            title=title,
            ordered=ordered,
            counts=counts,
            population=f"{population}. {note}" if note else population,
        )

    def totals(self, qs, population: str) -> dict:
        # The persons of a multi-valued table: the same for every table of one population.
        if population not in self.memo:
            self.memo[population] = gender_counts(qs)
        return self.memo[population]


# dimension → the function that builds its table from the populations.
BUILDERS: dict[str, Callable[[_Populations, str], Table]] = {}


def _builds(*dimensions: str):
    def register(builder):
        for dimension in dimensions:
            BUILDERS[dimension] = builder
        return builder

    return register


def stats_table(scope: Scope, flt: StatsFilter, dimension: str, *, _memo=None) -> Table:
    """One table by `dimension`, split by gender (women/men/other/total), built by the
    dimension's builder in BUILDERS."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"Unknown dimension {dimension!r}")
    populations = _Populations(scope, flt, {} if _memo is None else _memo)
    return BUILDERS[dimension](populations, dimension)


@_builds(*_CODE_DIMENSIONS)
def _code_table(p: _Populations, dimension: str) -> Table:
    """A table of one code list: its codes in list order, NULL under "unknown"."""
    title, code_list, field_name, exited_only = _CODE_DIMENSIONS[dimension]
    qs = p.exited if exited_only else p.active
    multi = dimension in _MULTI_VALUED
    # Many-to-many pairs are unique, so each person counts once per value without DISTINCT
    # (which would make the database sort).
    counts = grouped_counts(qs, field_name)
    ordered, by_key = code_rows(code_list, counts)
    if dimension == "exit_reason":
        dropped = (EXIT_WRONG_REGISTRATION, MISSING)
        ordered = [(k, lbl) for k, lbl in ordered if k not in dropped]
    return _table(
        p.scope,
        dimension=dimension,
        title=str(title),
        ordered=ordered,
        counts=by_key,
        population=_population_text(exited_only, multi),
        total_counts=p.totals(qs, "exited" if exited_only else "active") if multi else None,
        multi_valued=multi,
    )


@_builds("gender")
def _gender_table(p: _Populations, dimension: str) -> Table:
    counts = grouped_counts(p.active, "gender")
    ordered = [
        (Gender.WOMAN.value, _("Kvinnor")),
        (Gender.MAN.value, _("Män")),
        (Gender.OTHER.value, _("Annat/ej angivet")),
    ]
    return p.table(dimension, _("Kön"), ordered, counts)


@_builds("age_group")
def _age_group_table(p: _Populations, dimension: str) -> Table:
    whens = [
        When(age_at_start__gte=low, age_at_start__lte=high, then=Value(key))
        for key, low, high in _AGE_GROUPS
    ]
    qs = p.active.annotate(stat_key=Case(*whens, default=Value(MISSING), output_field=CharField()))
    counts = grouped_counts(qs, "stat_key")
    ordered = [(key, age_group_label(key)) for key, _low, _high in _AGE_GROUPS]
    return p.table(dimension, _("Åldersgrupp (ålder vid start)"), ordered, counts, missing=True)


@_builds("outcome")
def _outcome_table(p: _Populations, dimension: str) -> Table:
    qs = p.exited.annotate(
        stat_key=Case(
            When(occupation_after__isnull=True, then=Value(MISSING)),
            When(occupation_after__code__in=_UNKNOWN_CODES, then=Value(MISSING)),
            default=F("occupation_after__category"),
            output_field=CharField(),
        )
    )
    counts = grouped_counts(qs, "stat_key")
    ordered = [(key, str(label)) for key, label in _OUTCOMES]
    known = {key for key, _label in _OUTCOMES}
    for key in list(counts):  # categories outside the four groups count as "other"
        if key not in known and key != MISSING:
            for g, n in counts.pop(key).items():
                _split(counts, g, n, "other")
    title = _("Utfall: sysselsättning efter avslut")
    return p.table(dimension, title, ordered, counts, exited=True, missing=True)


@_builds("time_in_initiative")
def _time_in_initiative_table(p: _Populations, dimension: str) -> Table:
    period_end = p.flt.period_end
    measured_to = Case(
        When(end_date__lte=period_end, then=F("end_date")),
        default=Value(period_end),
        output_field=DateField(),
    )
    qs = p.active.annotate(stat_days=DaysBetween(measured_to, F("start_date")))
    whens = [
        When(stat_days__lt=limit, then=Value(key))
        for key, _label, limit in _TIME_BUCKETS
        if limit is not None
    ]
    qs = qs.annotate(
        stat_key=Case(*whens, default=Value(_TIME_BUCKETS[-1][0]), output_field=CharField())
    )
    counts = grouped_counts(qs, "stat_key")
    ordered = [(key, str(label)) for key, label, _limit in _TIME_BUCKETS]
    note = _("Tiden räknas från start till avslut, eller till periodens slut för pågående")
    return p.table(dimension, _("Tid i insatsen"), ordered, counts, note=note)


@_builds("home_municipality")
def _home_municipality_table(p: _Populations, dimension: str) -> Table:
    counts = grouped_counts(p.active, "home_municipality_id")
    municipalities = _scope_municipalities(p.scope, p.flt, counts.keys())
    ordered = [(str(m.pk), m.name) for m in municipalities]
    by_key = {str(k): v for k, v in counts.items() if k is not None}
    if None in counts:
        by_key[MISSING] = counts[None]
    return p.table(dimension, _("Hemkommun"), ordered, by_key, missing=True)


def _scope_municipalities(scope: Scope, flt: StatsFilter, used_ids) -> list[Municipality]:
    """The municipalities of the associations in scope (a stable table shape), plus any other
    home municipality that occurs; only the filtered ones when filtering by municipality."""
    used = [i for i in used_ids if i is not None]
    if flt.municipality_ids:
        return list(Municipality.objects.filter(pk__in=set(flt.municipality_ids) | set(used)))
    members = Q(pk__in=used)
    if scope.association_ids is not None:
        members |= Q(associations__in=scope.association_ids)
    elif scope.initiative_ids is not None:
        members |= Q(associations__initiatives__in=scope.initiative_ids)
    else:  # national: every municipality that belongs to an association
        members |= Q(associations__isnull=False)
    return list(Municipality.objects.filter(members).distinct().order_by("name"))


def headline(scope: Scope, flt: StatsFilter) -> Table:
    """Participants active, new, exited and active at the end of the period, by gender; plus the
    head counts of volume initiatives when not filtering by municipality."""
    pe, ps = flt.period_end, flt.period_start
    rows = (
        counted_enrolments(scope, flt)
        .values("gender")
        .annotate(
            active=Count("id"),
            new=Count("id", filter=started_in_q(ps, pe)),
            exited=Count("id", filter=ended_in_q(ps, pe)),
            active_at_end=Count("id", filter=ongoing_after_q(pe)),
        )
        .order_by()
    )
    counts: dict = {}
    for item in rows:
        for key in ("active", "new", "exited", "active_at_end"):
            _split(counts, item["gender"], item[key], key)
    ordered = [
        ("active", _("Aktiva någon gång under perioden")),
        ("new", _("Nya under perioden")),
        ("exited", _("Avslutade under perioden")),
        ("active_at_end", _("Pågående vid periodens slut")),
    ]
    population = _(
        "deltaganden i insatser med personuppföljning (även anonyma); felregistreringar räknas inte"
    )
    volume_counts = None
    if not flt.municipality_ids:
        volume_counts = _volume_counts(scope, flt)
        if volume_counts is not None:
            ordered.append(("volume", _("Volyminsatser: summa av antal per månad")))
            counts["volume"] = volume_counts
            population += ". " + _(
                "Volyminsatser redovisar bara antal per månad; de ingår inte i totalen"
            )
    table = Table(
        dimension="headline",
        title=_("Deltagare under perioden"),
        rows=[make_row(key, label, counts.get(key, {})) for key, label in ordered],
        total=make_row("total", _("Totalt"), counts.get("active", {})),
        population=population,
        suppressed=scope.suppress,
        show_total=False,
    )
    if scope.suppress:
        # Each row adds up over the genders; and in every column the active add up to the
        # exited plus those still active at the end.
        by_key = {row.key: row for row in table.rows}
        lines = [row.cells for row in table.rows]
        for index in range(4):
            lines.append([by_key[k].cells[index] for k in ("exited", "active_at_end", "active")])
        _suppress_lines(lines)
        active = by_key["active"]
        table.total = Row("total", _("Totalt"), *active.cells)
    return table


def _volume_counts(scope: Scope, flt: StatsFilter) -> dict | None:
    """Summed monthly head counts of volume initiatives in scope, or None if there are none."""
    from finsam.initiatives.models import HeadCount

    qs = HeadCount.objects.months_in(flt.period_start, flt.period_end)
    qs = qs.filter(in_scope_q(scope, flt))
    result = qs.aggregate(women=Sum("women"), men=Sum("men"), other=Sum("other"), rows=Count("id"))
    if not result["rows"]:
        return None
    return {
        Gender.WOMAN: result["women"] or 0,
        Gender.MAN: result["men"] or 0,
        Gender.OTHER: result["other"] or 0,
    }


def all_tables(scope: Scope, flt: StatsFilter) -> list[Table]:
    """The headline, then every dimension in DIMENSIONS order."""
    memo: dict = {}
    return [headline(scope, flt)] + [stats_table(scope, flt, d, _memo=memo) for d in DIMENSIONS]


# --- Suppression ------------------------------------------------------------------------------


def is_small_cell(n) -> bool:
    """Whether a count is hidden in tables that leave the association (0 is always shown)."""
    return n is not None and 1 <= n < small_cell_limit()


def _suppress_lines(lines: list[list[Cell]]) -> None:
    """Primary suppression of small counts (1–4), then secondary suppression: in every line (a
    row or column whose cells add up to its last cell) a single hidden cell gets company, so it
    cannot be recovered by subtraction. Repeats until stable."""
    for line in lines:
        for cell in line:
            if is_small_cell(cell.value):
                cell.value = None
    changed = True
    while changed:
        changed = False
        for line in lines:
            suppressed = [c for c in line if c.value is None]
            if len(suppressed) != 1:
                continue
            candidates = [c for c in line[:-1] if c.value] or ([line[-1]] if line[-1].value else [])
            if not candidates:
                continue
            pick = min(candidates, key=lambda c: c.value)
            pick.value = None
            pick.secondary = True
            changed = True


def suppress_table(table: Table) -> None:
    """Apply the small-cell rule to a table in place (rows × women/men/other/total)."""
    rows = table.rows + [table.total]
    lines = [row.cells for row in rows]
    columns = list(zip(*(row.cells for row in table.rows), strict=False))
    for index, column in enumerate(columns):
        lines.append([*column, table.total.cells[index]])
    _suppress_lines(lines)
    table.suppressed = True


# --- The summary in words ---------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _short_label(code: Code) -> str:
    """ "Försörjningsstöd (ekonomiskt bistånd)" → "försörjningsstöd" (the label of the active
    language)."""
    label = str(code).split(" (")[0]
    return _lower_first(label)


def _join_sv(parts: list[str]) -> str:
    """ "a, b och c" ("a, b and c" in English)."""
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(list)s och %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}


def _date(day: datetime.date) -> str:
    """A date in words in the active language: "31 augusti 2021", "31 August 2021"."""
    if (translation.get_language() or "sv").startswith("sv"):
        return sv_date(day)
    return dateformat.format(day, "j F Y")


def _genders(women: int, men: int, other: int) -> list[str]:
    genders = [
        ngettext("%(n)s kvinna", "%(n)s kvinnor", women) % {"n": sv_number(women)},
        ngettext("%(n)s man", "%(n)s män", men) % {"n": sv_number(men)},
    ]
    if other:
        genders.append(_("%(n)s med annan/ej angiven könstillhörighet") % {"n": sv_number(other)})
    return genders


def _age_span(counts_by_group: dict, total: int) -> str | None:
    if not total:
        return None
    keys = [key for key, _low, _high in _AGE_GROUPS]
    bounds = {key: (low, high) for key, low, high in _AGE_GROUPS}
    best = None  # (length, -share, start index, end index)
    for i in range(len(keys)):
        share = 0
        for j in range(i, len(keys)):
            share += counts_by_group.get(keys[j], 0)
            if 3 * share >= 2 * total:
                candidate = (j - i, -share, i, j)
                if best is None or candidate < best:
                    best = candidate
                break
    if best is None or best[0] >= 4:  # no narrow span: report the largest single group
        key = max(keys, key=lambda k: counts_by_group.get(k, 0))
        if not counts_by_group.get(key):
            return None
        i = j = keys.index(key)
        share = counts_by_group[key]
    else:
        _length, negative_share, i, j = best
        share = -negative_share
    low, high = bounds[keys[i]][0], bounds[keys[j]][1]
    pct = sv_percent(share, total)
    if high >= 200:
        return _("%(pct)s är %(low)s år eller äldre.") % {"pct": pct, "low": low}
    if low == 0:
        return _("%(pct)s är yngre än %(age)s år.") % {"pct": pct, "age": high + 1}
    return _("%(pct)s är mellan %(low)s och %(high)s år.") % {"pct": pct, "low": low, "high": high}


def _volume_summary(*, initiative, period_start: datetime.date, on_date: datetime.date) -> str:
    """A volume initiative has no registrations, only monthly head counts: the sentence gives
    their sum over the months of the period, the figure of the headline table beside it."""
    from finsam.initiatives.models import HeadCount

    figures = (
        HeadCount.objects.filter(initiative=initiative).months_in(period_start, on_date)
    ).aggregate(women=Sum("women"), men=Sum("men"), other=Sum("other"))
    women, men, other = (figures[key] or 0 for key in ("women", "men", "other"))
    total = women + men + other
    dates = {"start": _date(period_start), "end": _date(on_date), "name": initiative.name}
    if not total:
        return (
            _(
                "Från %(start)s till %(end)s har %(name)s inte redovisat några deltagare i "
                "månadsräkningen."
            )
            % dates
        )
    return _(
        "Från %(start)s till %(end)s hade %(name)s sammanlagt %(total)s deltagare enligt "
        "månadsräkningen (summan av antalet per månad), varav %(genders)s."
    ) % {**dates, "total": sv_number(total), "genders": _join_sv(_genders(women, men, other))}


def summary_sentence(
    *, initiative, period_start: datetime.date, on_date: datetime.date, language: str | None = None
) -> str:
    """The paragraph report writers type by hand (seed 003), from the registrations: every
    counted enrolment of the initiative that started on or before `on_date`. A volume initiative
    gets a sentence from its head counts of the period instead. In the active language, or in
    `language` (a report's text is Swedish whatever the language of the page)."""
    if language is not None:
        with translation.override(language):
            return summary_sentence(
                initiative=initiative, period_start=period_start, on_date=on_date
            )
    if initiative.is_volume:
        return _volume_summary(initiative=initiative, period_start=period_start, on_date=on_date)
    qs = _scoped(
        Scope.of_initiative(initiative), StatsFilter(period_start=on_date, period_end=on_date)
    ).started_in(None, on_date)
    # Enrolments exited after on_date were still active on that date.
    ended = ended_in_q(None, on_date)
    aggregates = {
        "total": Count("id"),
        "women": Count("id", filter=Q(gender=Gender.WOMAN)),
        "men": Count("id", filter=Q(gender=Gender.MAN)),
        "exited": Count("id", filter=ended),
    }
    for key, low, high in _AGE_GROUPS:
        aggregates[f"age_{key}"] = Count(
            "id", filter=Q(age_at_start__gte=low, age_at_start__lte=high)
        )
    figures = qs.aggregate(**aggregates)
    total = figures["total"]
    on = {"date": _date(on_date), "name": initiative.name}
    if not total:
        return _("Den %(date)s hade %(name)s inga registrerade deltagare.") % on
    women, men = figures["women"], figures["men"]
    other = total - women - men
    sentences = [
        _("Den %(date)s hade %(name)s %(total)s deltagare totalt, varav %(genders)s.")
        % {**on, "total": sv_number(total), "genders": _join_sv(_genders(women, men, other))}
    ]

    age = _age_span({key: figures[f"age_{key}"] for key, _l, _h in _AGE_GROUPS}, total)
    if age:
        sentences.append(age)

    income = (
        qs.filter(income_sources_before__isnull=False)
        .exclude(income_sources_before__code="uppgift-saknas")
        .values("income_sources_before")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    income_counts = {item["income_sources_before"]: item["n"] for item in income}
    exit_counts = {}
    exited = figures["exited"]
    if exited:
        exit_counts = {
            item["exit_reason"]: item["n"]
            for item in qs.filter(ended).values("exit_reason").annotate(n=Count("id")).order_by()
        }
    codes = {c.pk: c for c in Code.objects.filter(pk__in=[*income_counts, *exit_counts])}
    if income_counts:
        top = sorted(income_counts.items(), key=lambda kv: (-kv[1], codes[kv[0]].sort_order))[:3]
        parts = [f"{sv_percent(n, total)} {_short_label(codes[pk])}" for pk, n in top]
        first_pk, first_n = top[0]
        parts[0] = _("%(pct)s har %(label)s") % {
            "pct": sv_percent(first_n, total),
            "label": _short_label(codes[first_pk]),
        }
        sentences.append(_join_sv(parts) + ".")

    active = total - exited
    if exited:
        sentences.append(
            _("Av dem är %(active)s fortfarande aktiva och %(exited)s har avslutat insatsen.")
            % {"active": sv_number(active), "exited": sv_number(exited)}
            if active
            else _("Alla %(exited)s har avslutat insatsen.") % {"exited": sv_number(exited)}
        )
        top_exits = sorted(exit_counts.items(), key=lambda kv: (-kv[1], codes[kv[0]].sort_order))[
            :3
        ]
        parts = [f"{_short_label(codes[pk])} ({sv_number(n)})" for pk, n in top_exits]
        sentences.append(
            ngettext(
                "Vanligaste avslutsanledning är %(reasons)s.",
                "Vanligaste avslutsanledningar är %(reasons)s.",
                len(parts),
            )
            % {"reasons": _join_sv(parts)}
        )
    else:
        sentences.append(
            _("Ingen har avslutat insatsen ännu.")
            if total > 1
            else _("Deltagaren är fortfarande aktiv.")
        )
    return " ".join(sentences)
