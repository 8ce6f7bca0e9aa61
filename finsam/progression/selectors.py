"""Reads of progression.

- `enrolment_ratings`: one participant's ratings for the registrar, the read written to the
  access log;
- `progression_summary`: per initiative and period, for each dimension and rater the share who
  improved (the last rating against the first, by at least the dimension's step), with n and by
  gender, small counts suppressed. Aggregates only: no person, pseudonym or single rating leaves
  it, so the secretariat, the board and the compiled report may use it.

The small-cell rule is the statistics' (`finsam.statistics.engine.is_small_cell`: counts from 1
to below the setting SMALL_CELL_LIMIT are hidden; this app sits below `statistics` and applies
the same setting itself). A share is hidden when its n is such a count; where one gender's n is
hidden and could be worked out from the total, the next smallest gender is hidden too. Ratings
are health data about people, so the summary is always suppressed, also inside the association.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from finsam.audit.models import Action
from finsam.audit.services import log_access
from finsam.core.formats import sv_share
from finsam.participants.models import Gender
from finsam.progression.models import Dimension, Rater, Rating, RatingOccasion
from finsam.progression.services import RATING_FIELDS

GENDERS = (Gender.WOMAN.value, Gender.MAN.value, Gender.OTHER.value)


# --- One participant ----------------------------------------------------------------------------


@dataclass
class Series:
    rater: str
    label: str
    points: list[tuple[datetime.date, int]]


@dataclass
class DimensionRatings:
    dimension: Dimension
    series: list[Series]

    @property
    def has_ratings(self) -> bool:
        return any(s.points for s in self.series)


@dataclass
class EnrolmentRatings:
    occasions: list[RatingOccasion]
    dimensions: list[DimensionRatings]
    # {occasion id: {dimension id: value}}
    values: dict[int, dict[int, int]]

    def table(self) -> list[dict]:
        """One row per occasion: date, rater, the value of each dimension shown ("–" if none)."""
        return [
            {
                "occasion": o,
                "values": [
                    self.values.get(o.pk, {}).get(d.dimension.pk, "–") for d in self.dimensions
                ],
            }
            for o in self.occasions
        ]


def used_dimensions(association_id, extra_ids=()) -> list[Dimension]:
    """The association's active dimensions and those of `extra_ids` (rated before)."""
    return list(
        Dimension.objects.filter(association_id=association_id).filter(
            Q(is_active=True) | Q(pk__in=list(extra_ids))
        )
    )


def enrolment_ratings(access, enrolment, *, channel: str = "web") -> EnrolmentRatings:
    """The enrolment's ratings (the caller scoped it to the initiative's registrars); the read is
    logged (also when there are none yet: the registrar looked)."""
    access.require("progression.rate", initiative=enrolment.initiative)
    occasions = list(enrolment.rating_occasions.all())
    values: dict[int, dict[int, int]] = defaultdict(dict)
    for occasion_id, dimension_id, value in Rating.objects.filter(
        occasion__enrolment=enrolment
    ).values_list("occasion_id", "dimension_id", "value"):
        values[occasion_id][dimension_id] = value
    rated = {d for v in values.values() for d in v}
    out = []
    for dimension in used_dimensions(enrolment.initiative.association_id, rated):
        series = []
        for rater in Rater:
            points = [
                (o.rated_on, values[o.pk][dimension.pk])
                for o in occasions
                if o.rater == rater and dimension.pk in values.get(o.pk, {})
            ]
            if points or dimension.rated_by_rater(rater):
                series.append(Series(rater.value, str(rater.label), points))
        out.append(DimensionRatings(dimension, series))
    log_access(
        access=access,
        action=Action.VIEW,
        initiative=enrolment.initiative,
        pseudonyms=[enrolment.pseudonym],
        fields=RATING_FIELDS,
        channel=channel,
    )
    return EnrolmentRatings(occasions, out, dict(values))


# --- Per initiative -----------------------------------------------------------------------------


def small_cell_limit() -> int:
    return settings.SMALL_CELL_LIMIT


def is_small_cell(n) -> bool:
    """The statistics' rule (`finsam.statistics.engine.is_small_cell`)."""
    return n is not None and 1 <= n < small_cell_limit()


def small_cell_label() -> str:
    highest = small_cell_limit() - 1
    return "1" if highest <= 1 else f"1–{highest}"


@dataclass
class Share:
    """Of `n` participants rated at least twice, `improved` improved. Hidden (None display)
    when suppressed."""

    n: int
    improved: int
    suppressed: bool = False
    secondary: bool = False

    @property
    def share(self) -> float | None:
        if self.suppressed or not self.n:
            return None
        return self.improved / self.n

    @property
    def share_display(self) -> str:
        if self.suppressed:
            return ".." if self.secondary else "–"
        return sv_share(self.improved, self.n) if self.n else "–"

    @property
    def n_display(self) -> str:
        if self.suppressed:
            return ".." if self.secondary else small_cell_label()
        return str(self.n)


@dataclass
class SummaryRow:
    dimension: Dimension
    rater: str
    total: Share
    by_gender: dict[str, Share] = field(default_factory=dict)

    @property
    def rater_label(self) -> str:
        return str(Rater(self.rater).label)

    @property
    def cells(self) -> list[Share]:
        """The total first (on a phone the table scrolls), then by gender."""
        return [self.total] + [self.by_gender[g] for g in GENDERS]

    def sentence(self) -> str:
        """ "83 % har höjt sin aktivitetsnivå (5 av 6, självskattning).": as the reports say it."""
        if self.total.suppressed or not self.total.n:
            return ""
        return _("%(share)s har höjt sin skattning av %(dimension)s (%(improved)s av %(n)s).") % {
            "share": self.total.share_display,
            "dimension": self.dimension.name.lower(),
            "improved": self.total.improved,
            "n": self.total.n,
        }


@dataclass
class Summary:
    initiative: object
    period_start: datetime.date | None
    period_end: datetime.date | None
    rows: list[SummaryRow]
    # Participants with any rating in the period (suppressed like the shares).
    rated: Share

    @property
    def has_data(self) -> bool:
        return any(r.total.n for r in self.rows)


def improved(first: int, last: int, step: int) -> bool:
    """The rule: the last rating is higher than the first by at least `step`."""
    return last - first >= step


def compute_shares(series: dict, step: int) -> tuple[Share, dict[str, Share]]:
    """From {person: (gender, [values in date order])} the share who improved, in total and by
    gender. A person counts when rated at least twice (first and last differ in time)."""
    totals = {g: [0, 0] for g in GENDERS}
    for gender, values in series.values():
        if len(values) < 2:
            continue
        counts = totals[gender if gender in totals else Gender.OTHER.value]
        counts[0] += 1
        counts[1] += improved(values[0], values[-1], step)
    by_gender = {g: Share(n, k) for g, (n, k) in totals.items()}
    total = Share(sum(s.n for s in by_gender.values()), sum(s.improved for s in by_gender.values()))
    return total, by_gender


def suppress(total: Share, by_gender: dict[str, Share]) -> None:
    """Primary suppression of small n, then secondary within the gender split (in place)."""
    for share in [total, *by_gender.values()]:
        if is_small_cell(share.n):
            share.suppressed = True
    hidden = [s for s in by_gender.values() if s.suppressed]
    if total.suppressed:
        for s in by_gender.values():
            if s.n:
                s.suppressed = True
        return
    if len(hidden) == 1:
        candidates = [s for s in by_gender.values() if not s.suppressed and s.n]
        if candidates:
            pick = min(candidates, key=lambda s: s.n)
            pick.suppressed = True
            pick.secondary = True


def _period_bounds(period):
    if period is None:
        return None, None
    if isinstance(period, tuple | list):
        return period[0], period[1]
    return period.start_date, period.end_date


def progression_summary(initiative, period=None, *, suppressed: bool = True) -> Summary:
    """The share who improved per dimension and rater among the initiative's participants whose
    enrolment overlaps `period` (an object with `start_date`/`end_date`, a (start, end) pair, or
    None for all time), from their ratings up to the period's end. One query for the ratings."""
    start, end = _period_bounds(period)
    ratings = Rating.objects.filter(occasion__enrolment__initiative=initiative)
    if end is not None:
        ratings = ratings.filter(
            occasion__rated_on__lte=end, occasion__enrolment__start_date__lte=end
        )
    if start is not None:
        ratings = ratings.filter(
            Q(occasion__enrolment__end_date__isnull=True)
            | Q(occasion__enrolment__end_date__gte=start)
        )
    rows = ratings.order_by("occasion__rated_on", "occasion_id").values_list(
        "dimension_id",
        "occasion__rater",
        "occasion__enrolment_id",
        "occasion__enrolment__gender",
        "value",
    )
    series: dict = defaultdict(dict)  # (dimension, rater) -> {enrolment: (gender, [values])}
    people: dict = {}
    for dimension_id, rater, enrolment_id, gender, value in rows:
        people[enrolment_id] = gender
        person = series[(dimension_id, rater)].setdefault(enrolment_id, (gender, []))
        person[1].append(value)
    rated_ids = {d for d, _r in series}
    dimensions = used_dimensions(initiative.association_id, rated_ids)
    out = []
    for dimension in dimensions:
        for rater in Rater:
            if (dimension.pk, rater.value) not in series and not dimension.rated_by_rater(rater):
                continue
            total, by_gender = compute_shares(
                series.get((dimension.pk, rater.value), {}), dimension.improvement_step
            )
            if suppressed:
                suppress(total, by_gender)
            out.append(SummaryRow(dimension, rater.value, total, by_gender))
    rated = Share(len(people), 0)
    if suppressed and is_small_cell(rated.n):
        rated.suppressed = True
    return Summary(initiative, start, end, out, rated)
