"""Reading indicator results: the indicators of a scope, their rules, and the computed results
with year-on-year and pool comparisons (`finsam.indicators.compute`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from finsam.indicators import compute
from finsam.indicators.models import Indicator
from finsam.questionnaires.models import RespondentGroup

GROUPS = tuple(RespondentGroup.values)


def indicators_for(association_id) -> list[Indicator]:
    """The active national indicators and the association's own, in order."""
    qs = Indicator.objects.active()
    qs = qs.for_association(association_id) if association_id else qs.national()
    return list(qs.order_by("association_id", "order", "code"))


def rules_for(indicators: list[Indicator]) -> list[compute.Rule]:
    """The rules, with the scales' uncounted points ("vet ej") and, for an indicator naming no
    positive answers, the scale points marked positive (one query over the items' scales)."""
    from finsam.questionnaires.models import ScalePoint

    items = {code for i in indicators for code in i.item_codes}
    points = ScalePoint.objects.filter(
        scale__items__code__in=items,
        scale__items__version__questionnaire__code__in={
            code for i in indicators for code in i.questionnaire_codes
        },
    ).values_list("scale__items__code", "code", "counted", "positive")
    uncounted: dict[str, set] = {}
    positive: dict[str, set] = {}
    for item, code, counted, is_positive in points.distinct():
        if not counted:
            uncounted.setdefault(item, set()).add(code)
        if is_positive:
            positive.setdefault(item, set()).add(code)
    rules = []
    for indicator in indicators:
        never = sorted({c for item in indicator.item_codes for c in uncounted.get(item, ())})
        default_positive = sorted(
            {c for item in indicator.item_codes for c in positive.get(item, ())}
        )
        rules.append(
            compute.rule_of(indicator, uncounted_codes=never, positive_codes=default_positive)
        )
    return rules


def region_association_ids(association) -> frozenset:
    """The associations sharing a region (county) with `association`, itself included."""
    from finsam.associations.models import Association

    return frozenset(
        Association.objects.filter(
            municipalities__region__in=association.municipalities.values("region")
        )
        .values_list("pk", flat=True)
        .distinct()
    ) | {association.pk}


def region_label(association) -> str:
    from finsam.reference.models import Region

    names = list(
        Region.objects.filter(municipalities__associations=association)
        .distinct()
        .order_by("code")
        .values_list("name", flat=True)
    )
    return ", ".join(names) or _("Regionen")


def latest_year(association_id, initiative_id=None) -> int | None:
    """The latest measurement year with answers in the scope."""
    from finsam.questionnaires.models import Response

    qs = Response.objects.filter(association_id=association_id)
    if initiative_id is not None:
        qs = qs.filter(initiative_id=initiative_id)
    period = qs.order_by("-period").values_list("period", flat=True).first()
    return int(period[:4]) if period else None


def years_with_answers(association_id, initiative_id=None) -> list[int]:
    from finsam.questionnaires.models import Response

    qs = Response.objects.filter(association_id=association_id)
    if initiative_id is not None:
        qs = qs.filter(initiative_id=initiative_id)
    periods = qs.values_list("period", flat=True).distinct()
    return sorted({int(p[:4]) for p in periods}, reverse=True)


class Results:
    """The results of one scope and year, with the pools when comparing."""

    def __init__(
        self, *, indicators, results, year, region_label=None, compared=False, scope_label=""
    ):
        self.scope_label = scope_label
        self.indicators = indicators
        self.results = results
        self.year = year
        self.region_label = region_label
        self.compared = compared

    def pairs(self):
        return list(zip(self.indicators, self.results, strict=True))

    @property
    def groups(self) -> list[str]:
        seen: dict[str, None] = {}
        for result in self.results:
            for group, figure in result.by_group.items():
                if figure.n:
                    seen[group] = None
        return list(seen)


def results(*, association, year: int, initiative=None, compare: bool = True) -> Results:
    """The indicators of `association` (or of one of its initiatives) in measurement year
    `year`, against the year before; with `compare` (association scope), against the region and
    the whole installation (national indicators only)."""
    indicators = indicators_for(association.pk)
    rules = rules_for(indicators)
    where = compute.Where(
        association_ids=frozenset({association.pk}),
        initiative_ids=frozenset({initiative.pk}) if initiative is not None else None,
    )
    rows = compute.count_rows(where, rules, [year - 1, year])
    out = compute.tabulate(rows, rules, year, groups=GROUPS)
    label = None
    if compare and initiative is None:
        national = [(r, res) for r, res in zip(rules, out, strict=True) if r.core_only]
        national_rules = [r for r, _res in national]
        region_ids = region_association_ids(association)
        region_rows = compute.count_rows(
            compute.Where(association_ids=region_ids), national_rules, [year]
        )
        all_rows = compute.count_rows(compute.Where(), national_rules, [year])
        for rule, result in national:
            result.region = compute.pool_figure(region_rows, rule, year, [result.total])
            result.installation = compute.pool_figure(
                all_rows, rule, year, [result.total, _true(region_rows, rule, year)]
            )
        label = region_label(association)
    return Results(
        indicators=indicators,
        results=out,
        year=year,
        region_label=label,
        compared=compare and initiative is None,
        scope_label=initiative.name if initiative is not None else association.name,
    )


def _true(rows, rule, year) -> compute.Figure:
    figure = compute.Figure()
    for row in rows:
        if row["year"] == year:
            figure.add(row.get(f"n_{rule.key}", 0), row.get(f"p_{rule.key}", 0))
    return figure
