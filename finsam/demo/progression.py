"""Demo progression: the example dimensions for Skaraborg and generated ratings.

- **Elings ark** reproduces the self-ratings of seed 003's interim report 2021 (as of 31 August
  2021): "7 personer … En deltagare slutade tidigare på grund av sjukdom och har ej deltagit i
  självskattning. 83 % har höjt sin aktivitetsnivå. 67 % har höjt sin fysiska hälsa. 67 % har
  höjt sin psykiska hälsa. 67 % har ökat sin känsla av balans i tillvaron. 33 % har ökat sin syn
  på framtiden." The six enrolments of 2021 that did not end for ill health get a self-rating at
  their start and at their end; on each dimension the first k of them (5, 4, 4, 4 and 2 of 6,
  taken in a rotating order) rate 1–3 steps higher at the end, the others the same or one lower.
  The values are invented; only the shares are the seed's.
- **Cresco Create** (the BIP progression project of seed 003) and the running **Stärka
  individen**: every enrolment gets a self-rating and a coach's rating at its start, every three
  months and at its end (running ones: from at most a year back, up to today), a random walk with
  an upward drift on the 1–10 scale. Random with a fixed seed: the same ratings on every load.

Written in bulk, as the demo's enrolments are (no access log: nobody read them). An initiative
that already has ratings is left as it is."""

from __future__ import annotations

import datetime
import random

from finsam.participants.models import Enrolment
from finsam.progression import services
from finsam.progression.models import Dimension, Rater, Rating, RatingOccasion

ASSOCIATION = "skaraborg"
ELINGS_ARK = "Elings ark"
# Seed 003: of 6 self-rated participants, how many raised each dimension.
ELINGS_ARK_IMPROVED = {
    "Aktivitetsnivå": 5,  # 83 %
    "Fysisk hälsa": 4,  # 67 %
    "Psykisk hälsa": 4,  # 67 %
    "Känsla av balans i tillvaron": 4,  # 67 %
    "Syn på framtiden": 2,  # 33 %
}
ELINGS_ARK_RATED = 6
LEFT_ILL = "avbruten-ohalsa"
GENERATED = ("Cresco Create", "Stärka individen")
EVERY = datetime.timedelta(days=91)


def load_progression(associations: dict, initiatives: dict, *, access_of, today, result) -> None:
    """`associations` by slug, `initiatives` by (slug, name), `access_of(association)` the
    secretariat's access that adds the example dimensions."""
    association = associations.get(ASSOCIATION)
    if association is None:
        return
    services.dimensions_add_examples(access=access_of(association), association=association)
    dimensions = {d.name: d for d in Dimension.objects.filter(association=association)}
    elings = initiatives.get((ASSOCIATION, ELINGS_ARK))
    if elings is not None:
        _load_elings_ark(elings, dimensions, today=today, result=result)
    for name in GENERATED:
        initiative = initiatives.get((ASSOCIATION, name))
        if initiative is not None:
            _load_generated(initiative, dimensions, today=today, result=result)


def _has_ratings(initiative) -> bool:
    return RatingOccasion.objects.filter(enrolment__initiative=initiative).exists()


def _save(occasions: list[tuple[RatingOccasion, dict]], result) -> None:
    """Insert occasions and their {dimension: value} in two statements."""
    RatingOccasion.objects.bulk_create([o for o, _v in occasions])
    Rating.objects.bulk_create(
        Rating(occasion=o, dimension=d, value=v)
        for o, values in occasions
        for d, v in values.items()
    )
    result.add("rating occasion", len(occasions))


def elings_ark_enrolments(initiative) -> list[Enrolment]:
    """The six of 2021 who self-rated: all but the one who left for ill health."""
    enrolments = (
        Enrolment.objects.filter(initiative=initiative, start_date__year=2021)
        .exclude(exit_reason__code=LEFT_ILL)
        .order_by("start_date", "pk")
    )
    return list(enrolments[:ELINGS_ARK_RATED])


def _load_elings_ark(initiative, dimensions, *, today, result) -> None:
    if _has_ratings(initiative):
        return
    people = elings_ark_enrolments(initiative)
    if len(people) < 2:
        return
    rng = random.Random("Elings ark 2021")  # noqa: S311 (demo data, not security)
    firsts = [RatingOccasion(enrolment=e, rated_on=e.start_date, rater=Rater.SELF) for e in people]
    lasts = [
        RatingOccasion(
            enrolment=e,
            rated_on=min(e.end_date or today, today, datetime.date(2021, 8, 31)),
            rater=Rater.SELF,
        )
        for e in people
    ]
    first_values: list[dict] = [{} for _p in people]
    last_values: list[dict] = [{} for _p in people]
    for shift, (name, improved) in enumerate(ELINGS_ARK_IMPROVED.items()):
        dimension = dimensions.get(name)
        if dimension is None:
            continue
        for i in range(len(people)):
            rank = (i + shift) % len(people)  # a different few stay behind on each dimension
            first = rng.randint(2, 5)
            if rank < improved * len(people) // ELINGS_ARK_RATED:
                last = min(first + rng.randint(1, 3), dimension.scale_max)
            else:
                last = max(first - rng.randint(0, 1), dimension.scale_min)
            first_values[i][dimension] = first
            last_values[i][dimension] = last
    _save(
        [
            *zip(firsts, first_values, strict=True),
            *[
                (o, v)
                for o, v in zip(lasts, last_values, strict=True)
                if o.rated_on > o.enrolment.start_date
            ],
        ],
        result,
    )


def _days(enrolment, today) -> list[datetime.date]:
    end = min(enrolment.end_date or today, today)
    start = enrolment.start_date
    if enrolment.end_date is None:
        start = max(start, today - datetime.timedelta(days=365))
    days, day = [], start
    while day < end:
        days.append(day)
        day += EVERY
    if end > start and (not days or (end - days[-1]).days > 20):
        days.append(end)
    return days


def _load_generated(initiative, dimensions, *, today, result) -> None:
    if _has_ratings(initiative):
        return
    rng = random.Random(f"{initiative.name} progression")  # noqa: S311 (demo data)
    used = [d for d in dimensions.values() if d.is_active]
    occasions = []
    enrolments = Enrolment.objects.filter(initiative=initiative).order_by("start_date", "pk")
    if initiative.end_date is None:
        enrolments = enrolments.filter(end_date__isnull=True)
    for enrolment in enrolments:
        days = _days(enrolment, today)
        if len(days) < 2:
            continue
        for rater in Rater:
            rated = [d for d in used if d.rated_by_rater(rater)]
            level = {d: rng.randint(2, 6) for d in rated}
            for day in days:
                occasions.append(
                    (
                        RatingOccasion(enrolment=enrolment, rated_on=day, rater=rater),
                        dict(level),
                    )
                )
                for d in rated:
                    step = rng.choices((-1, 0, 1, 2), weights=(2, 4, 4, 1))[0]
                    level[d] = min(max(level[d] + step, d.scale_min), d.scale_max)
    _save(occasions, result)
