"""Indicator results: n, share positive, met / not met, by gender and respondent group, this year
against last year, the association against its region and the whole installation.

One GROUP BY query per scope (`count_rows`): the answers of the scope's responses in the years
asked for, grouped by measurement year, respondent group and gender, with two conditional counts
per indicator (counted answers, positive answers). Everything after it (`tabulate`, `suppress`)
is pure Python over those few grouped rows, never over answers, and is tested without models.

Small numbers (`suppress`): a figure with 1 to `minimum - 1` counted answers is hidden ("small");
where a hidden figure could be worked out from a total (the genders add up to the total, so do
the respondent groups), the smallest other figure of that line is hidden too ("secondary"), until
no line has exactly one hidden figure. A pool (region, installation) is hidden when what it holds
beyond the viewer's own scope has 1 to `minimum - 1` answers ("pool"), so that subtracting the own
figures never reveals another association's few answers. Figures are always suppressed, inside
the association too: the answers are anonymous and a few could point at a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import Substr

GENDERS = ("woman", "man", "other")
SMALL, SECONDARY, POOL = "small", "secondary", "pool"


# --- What an indicator counts -----------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """An indicator as the computation needs it (built from an `Indicator` by `rule_of`)."""

    code: str
    questionnaire_codes: tuple[str, ...]
    item_codes: tuple[str, ...]
    positive_codes: tuple[str, ...] = ()
    min_value: Decimal | None = None
    uncounted_codes: tuple[str, ...] = ()  # choice codes of points never counted ("vet ej")
    core_only: bool = True  # a national indicator reads only the national core's questionnaires
    minimum: int = 5
    target_share: Decimal | None = None
    at_least: bool = True

    @property
    def key(self) -> str:
        return self.code.lower().replace("-", "_")


def rule_of(indicator, *, uncounted_codes=(), positive_codes=None) -> Rule:
    """The `Rule` of an `Indicator`; `positive_codes` given when the indicator names none (the
    scale points marked positive)."""
    return Rule(
        code=indicator.code,
        questionnaire_codes=tuple(indicator.questionnaire_codes),
        item_codes=tuple(indicator.item_codes),
        positive_codes=tuple(indicator.positive_codes or positive_codes or ()),
        min_value=indicator.min_value if not indicator.positive_codes else None,
        uncounted_codes=tuple(uncounted_codes),
        core_only=indicator.association_id is None,
        minimum=indicator.minimum,
        target_share=indicator.target_share,
        at_least=indicator.target_comparison == "at_least",
    )


def counted_q(rule: Rule, prefix: str = "") -> Q:
    """Answers an indicator counts: to one of its items in one of its questionnaires, with a
    numeric value and not on a point that is never counted."""
    q = Q(
        **{
            f"{prefix}item_code__in": rule.item_codes,
            f"{prefix}response__version__questionnaire__code__in": rule.questionnaire_codes,
            f"{prefix}value__isnull": False,
        }
    )
    if rule.core_only:
        q &= Q(**{f"{prefix}response__version__questionnaire__association__isnull": True})
    if rule.uncounted_codes:
        q &= ~Q(**{f"{prefix}choice_code__in": rule.uncounted_codes})
    return q


def positive_q(rule: Rule, prefix: str = "") -> Q:
    if rule.positive_codes:
        return Q(**{f"{prefix}choice_code__in": rule.positive_codes})
    if rule.min_value is not None:
        return Q(**{f"{prefix}value__gte": rule.min_value})
    return Q(pk__in=[])  # nothing is positive


# --- The query --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """Which responses: of these associations (None: all) and initiatives (None: any)."""

    association_ids: frozenset | None = None
    initiative_ids: frozenset | None = None


def count_rows(where: Where, rules: list[Rule], years: list[int]) -> list[dict]:
    """One GROUP BY query: {"year", "group", "gender", "n_<key>", "p_<key>"} per measurement
    year, respondent group and gender of the responses in `where`."""
    from finsam.questionnaires.models import Answer

    if not rules or not years:
        return []
    qs = Answer.objects.all()
    if where.association_ids is not None:
        qs = qs.filter(response__association_id__in=where.association_ids)
    if where.initiative_ids is not None:
        qs = qs.filter(response__initiative_id__in=where.initiative_ids)
    in_years = Q()
    for year in years:
        in_years |= Q(response__period__startswith=str(year))
    items = sorted({code for rule in rules for code in rule.item_codes})
    qs = qs.filter(in_years, item_code__in=items)
    aggregates = {}
    for rule in rules:
        counted = counted_q(rule)
        aggregates[f"n_{rule.key}"] = Count("pk", filter=counted)
        aggregates[f"p_{rule.key}"] = Count("pk", filter=counted & positive_q(rule))
    rows = (
        qs.annotate(
            year=Substr("response__period", 1, 4),
            group=F("response__respondent_group"),
            gender=F("response__gender"),
        )
        .values("year", "group", "gender")
        .annotate(**aggregates)
        .order_by()
    )
    return [{**row, "year": int(row["year"])} for row in rows]


# --- Figures ----------------------------------------------------------------------------------


@dataclass
class Figure:
    """Counted answers (`n`) and positive ones; `hidden` says why they are not shown."""

    n: int = 0
    positive: int = 0
    hidden: str = ""

    @property
    def shown(self) -> bool:
        return not self.hidden

    @property
    def share(self) -> float | None:
        """Positive ÷ counted, in [0, 1]; None when hidden or without answers."""
        if self.hidden or not self.n:
            return None
        return self.positive / self.n

    def add(self, n: int, positive: int) -> None:
        self.n += n
        self.positive += positive


def meets(figure: Figure, rule: Rule) -> bool | None:
    """Whether the figure meets the target (exactly, without rounding); None without a target
    or a shown figure."""
    if rule.target_share is None or figure.share is None:
        return None
    scaled = Decimal(figure.positive) * 100
    target = rule.target_share * figure.n
    return scaled >= target if rule.at_least else scaled <= target


@dataclass
class Result:
    """One indicator's figures in a scope and year."""

    rule: Rule
    total: Figure
    by_gender: dict[str, Figure]
    by_group: dict[str, Figure]
    previous: Figure  # the year before, all groups and genders
    region: Figure | None = None
    installation: Figure | None = None

    @property
    def met(self) -> bool | None:
        return meets(self.total, self.rule)

    @property
    def previous_met(self) -> bool | None:
        return meets(self.previous, self.rule)

    @property
    def change(self) -> float | None:
        """Change of the share since the year before, in percentage points."""
        if self.total.share is None or self.previous.share is None:
            return None
        return (self.total.share - self.previous.share) * 100

    def lines(self) -> list[list[Figure]]:
        """The lines whose figures add up to their last figure."""
        lines = [[*self.by_gender.values(), self.total]]
        if len(self.by_group) > 1:
            lines.append([*self.by_group.values(), self.total])
        return lines


def gender_key(value: str) -> str:
    return value if value in ("woman", "man") else "other"


def tabulate(rows: list[dict], rules: list[Rule], year: int, groups=None) -> list[Result]:
    """The results of `year` (and the year before) from `count_rows`' rows, suppressed.
    `groups`: the respondent groups to show (default: those with answers)."""
    results = []
    for rule in rules:
        n_key, p_key = f"n_{rule.key}", f"p_{rule.key}"
        total, previous = Figure(), Figure()
        by_gender = {g: Figure() for g in GENDERS}
        by_group: dict[str, Figure] = {g: Figure() for g in groups or ()}
        for row in rows:
            n, positive = row.get(n_key, 0), row.get(p_key, 0)
            if row["year"] == year - 1:
                previous.add(n, positive)
            if row["year"] != year or not n:
                continue
            total.add(n, positive)
            by_gender[gender_key(row["gender"])].add(n, positive)
            if groups is None or row["group"] in by_group:
                by_group.setdefault(row["group"], Figure()).add(n, positive)
        result = Result(rule, total, by_gender, by_group, previous)
        suppress(result.lines() + [[previous]], rule.minimum)
        results.append(result)
    return results


def is_small(figure: Figure, minimum: int) -> bool:
    return 1 <= figure.n < minimum


def suppress(lines: list[list[Figure]], minimum: int) -> None:
    """Hide the small figures, then a second figure in every line with exactly one hidden (the
    smallest other non-empty figure, else the total), until stable."""
    for line in lines:
        for figure in line:
            if not figure.hidden and is_small(figure, minimum):
                figure.hidden = SMALL
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [f for f in line if f.hidden]
            if len(hidden) != 1:
                continue
            candidates = [f for f in line[:-1] if not f.hidden and f.n] or (
                [line[-1]] if not line[-1].hidden and line[-1].n else []
            )
            if not candidates:
                continue
            pick = min(candidates, key=lambda f: f.n)
            pick.hidden = SECONDARY
            changed = True


def pool_figure(rows: list[dict], rule: Rule, year: int, inner: list[Figure]) -> Figure:
    """A pool's figure of `year` (region, installation), hidden when small or when what it holds
    beyond any of `inner` (the smaller scopes shown beside it, unsuppressed) is small."""
    figure = Figure()
    for row in rows:
        if row["year"] == year:
            figure.add(row.get(f"n_{rule.key}", 0), row.get(f"p_{rule.key}", 0))
    if is_small(figure, rule.minimum):
        figure.hidden = SMALL
    elif any(is_small(Figure(figure.n - other.n), rule.minimum) for other in inner):
        figure.hidden = POOL
    return figure
