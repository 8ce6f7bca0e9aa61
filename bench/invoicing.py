"""Issue 12: the invoice basis of every initiative for one quarter, against one hand-written SQL
query computing the same participant-weeks.

    DATABASE_URL=postgres://…/finsam_bench python bench/invoicing.py [--year 2025] [--quarter 3]

Uses the data of `bench/generate.py` (run it first). Every initiative without a compensation
model for the year gets one (per participant-week, 1 500 kr; every fifth counts full weeks only,
every seventh does not count anonymous enrolments; a cap of 150 000 kr per member municipality,
so that many cells are capped). Then, alternating the order, `--repeats` times each:

- **app**: `finsam.finance.invoicing.week_bases_for_all` — the models and caps, the weeks of
  quarters 1..Q of every initiative and home municipality (one set-based ORM query), what was
  invoiced, and the capped basis and available amount per cell;
- **sql**: one hand-written query: for every counted enrolment and quarter 1..Q the Mondays of
  the quarter's weeks (Thursday in the quarter) that the enrolment touches (or covers, for full
  weeks), by day-number arithmetic, grouped by initiative, home municipality and quarter.
  `--series` also checks and times once the obvious shape (generate_series of the Mondays joined
  to the enrolments).

Before timing, the weeks are checked equal cell by cell (every quarter 1..Q). Medians printed.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

# The hand-written reference: the same Monday-counting arithmetic in plain SQL, one row per
# enrolment and quarter (CROSS JOIN of the quarters), grouped by initiative, home municipality
# and quarter. Day numbers are days since Monday 3 January 2000; `/ 7` on non-negative integers
# is floor.
SQL = """
WITH quarters(quarter, first_monday, last_monday) AS (
    SELECT * FROM unnest(%(numbers)s::int[], %(firsts)s::int[], %(lasts)s::int[])
),
models AS (
    SELECT initiative_id, counting_rule, count_anonymous
    FROM finance_compensationmodel
    WHERE year = %(year)s AND kind IN ('per_participant_week', 'mixed')
),
days AS (
    SELECT e.initiative_id, e.home_municipality_id, cm.counting_rule,
           e.start_date - DATE '2000-01-03' AS s,
           LEAST(COALESCE(e.end_date, %(as_of)s::date), %(as_of)s::date) - DATE '2000-01-03' AS t
    FROM participants_enrolment e
    JOIN models cm ON cm.initiative_id = e.initiative_id
    WHERE (e.exit_reason_id IS NULL OR e.exit_reason_id NOT IN (
            SELECT id FROM reference_code
            WHERE code_list = 'exit_reason' AND code = 'felregistrering'))
      AND (e.participant_id IS NOT NULL OR cm.count_anonymous)
      AND e.start_date <= %(last_day)s::date
      AND (e.end_date IS NULL OR e.end_date >= %(first_day)s::date)
)
SELECT d.initiative_id, d.home_municipality_id, q.quarter,
       SUM(GREATEST(0, CASE WHEN d.counting_rule = 'full_weeks'
           THEN LEAST(q.last_monday, d.t - 6) / 7 - (GREATEST(q.first_monday, d.s) - 1) / 7
           ELSE LEAST(q.last_monday, d.t) / 7 - (GREATEST(q.first_monday, d.s - 6) - 1) / 7
       END)) AS weeks
FROM days d CROSS JOIN quarters q
GROUP BY d.initiative_id, d.home_municipality_id, q.quarter
HAVING SUM(GREATEST(0, CASE WHEN d.counting_rule = 'full_weeks'
           THEN LEAST(q.last_monday, d.t - 6) / 7 - (GREATEST(q.first_monday, d.s) - 1) / 7
           ELSE LEAST(q.last_monday, d.t) / 7 - (GREATEST(q.first_monday, d.s - 6) - 1) / 7
       END)) > 0
"""

# A second shape, the obvious one: the Mondays joined to the enrolments (generate_series). Far
# slower; checked and timed once.
SQL_SERIES = """
WITH weeks AS (
    SELECT m::date AS monday,
           (EXTRACT(MONTH FROM m + INTERVAL '3 days')::int - 1) / 3 + 1 AS quarter
    FROM generate_series(%(first)s::date, %(last)s::date, INTERVAL '7 days') AS m
),
models AS (
    SELECT initiative_id, counting_rule, count_anonymous
    FROM finance_compensationmodel
    WHERE year = %(year)s AND kind IN ('per_participant_week', 'mixed')
)
SELECT e.initiative_id, e.home_municipality_id, w.quarter, COUNT(*) AS weeks
FROM participants_enrolment e
JOIN models cm ON cm.initiative_id = e.initiative_id
JOIN weeks w ON CASE
    WHEN cm.counting_rule = 'full_weeks' THEN
        w.monday >= e.start_date
        AND w.monday + 6 <= LEAST(COALESCE(e.end_date, %(as_of)s::date), %(as_of)s::date)
    ELSE
        w.monday <= LEAST(COALESCE(e.end_date, %(as_of)s::date), %(as_of)s::date)
        AND w.monday + 6 >= e.start_date
    END
WHERE (e.exit_reason_id IS NULL OR e.exit_reason_id NOT IN (
        SELECT id FROM reference_code WHERE code_list = 'exit_reason' AND code = 'felregistrering'))
  AND (e.participant_id IS NOT NULL OR cm.count_anonymous)
GROUP BY e.initiative_id, e.home_municipality_id, w.quarter
"""


def ensure_models(year: int) -> int:
    from django.db import transaction

    from finsam.associations.models import Member
    from finsam.finance.models import CompensationCap, CompensationModel
    from finsam.initiatives.models import Initiative

    have = set(CompensationModel.objects.filter(year=year).values_list("initiative_id", flat=True))
    todo = list(
        Initiative.objects.exclude(pk__in=have).order_by("pk").values_list("pk", "association_id")
    )
    if not todo:
        return 0
    members: dict[int, list[int]] = {}
    for association_id, municipality_id in Member.objects.filter(
        municipality__isnull=False
    ).values_list("association_id", "municipality_id"):
        members.setdefault(association_id, []).append(municipality_id)
    with transaction.atomic():
        created = CompensationModel.objects.bulk_create(
            CompensationModel(
                initiative_id=pk,
                year=year,
                kind="per_participant_week",
                rate_per_week=1500,
                counting_rule="full_weeks" if n % 5 == 0 else "enrolled_weeks",
                count_anonymous=n % 7 != 0,
            )
            for n, (pk, _a) in enumerate(todo)
        )
        association_of = dict(todo)
        CompensationCap.objects.bulk_create(
            CompensationCap(model=model, municipality_id=muni, amount=150_000)
            for model in created
            for muni in members.get(association_of[model.initiative_id], [])
        )
    return len(created)


def quarter_mondays(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    from finsam.finance import invoicing

    first, _ = invoicing.monday_range(year, "quarter", 1)
    _, last = invoicing.monday_range(year, "quarter", quarter)
    epoch = invoicing.EPOCH
    return epoch + datetime.timedelta(days=first), epoch + datetime.timedelta(days=last)


def run_sql(year, quarter, as_of):
    from django.db import connection

    from finsam.finance import invoicing

    ranges = [invoicing.monday_range(year, "quarter", n) for n in range(1, quarter + 1)]
    epoch = invoicing.EPOCH
    params = {
        "numbers": list(range(1, quarter + 1)),
        "firsts": [r[0] for r in ranges],
        "lasts": [r[1] for r in ranges],
        "year": year,
        "as_of": as_of,
        "first_day": epoch + datetime.timedelta(days=ranges[0][0]),
        "last_day": epoch + datetime.timedelta(days=ranges[-1][1] + 6),
    }
    with connection.cursor() as cursor:
        cursor.execute(SQL, params)
        return cursor.fetchall()


def run_sql_series(year, quarter, as_of):
    from django.db import connection

    first, last = quarter_mondays(year, quarter)
    with connection.cursor() as cursor:
        cursor.execute(SQL_SERIES, {"first": first, "last": last, "year": year, "as_of": as_of})
        return cursor.fetchall()


def run_app(year, quarter, as_of):
    from finsam.finance import invoicing
    from finsam.initiatives.models import Initiative

    return invoicing.week_bases_for_all(
        Initiative.objects.all(), year, quarter, kind="quarter", as_of=as_of
    )


def check_equal(year, quarter, as_of, *, series=False) -> int:
    from finsam.finance import invoicing
    from finsam.finance.models import CompensationModel

    models = {
        m.initiative_id: m
        for m in CompensationModel.objects.filter(
            year=year, kind__in=["per_participant_week", "mixed"]
        )
    }
    app = invoicing.participant_weeks(
        list(models),
        year,
        "quarter",
        periods=range(1, quarter + 1),
        counting_rule={pk: m.counting_rule for pk, m in models.items()},
        anonymous_counted={pk for pk, m in models.items() if m.count_anonymous},
        as_of=as_of,
    )
    sql: dict = {}
    for initiative_id, municipality_id, q, weeks in run_sql(year, quarter, as_of):
        sql.setdefault((initiative_id, municipality_id), [0] * quarter)[q - 1] = weeks
    assert app == sql, "the app's participant-weeks differ from the SQL's"
    if series:
        other: dict = {}
        started = time.perf_counter()
        rows = run_sql_series(year, quarter, as_of)
        print(f"generate_series shape, once: {time.perf_counter() - started:.3f} s")
        for initiative_id, municipality_id, q, weeks in rows:
            other.setdefault((initiative_id, municipality_id), [0] * quarter)[q - 1] = weeks
        assert other == sql, "the two SQL shapes differ"
    bases = run_app(year, quarter, as_of)
    for (initiative_id, municipality_id), weeks in sql.items():
        if weeks[quarter - 1]:
            assert bases[initiative_id][municipality_id][0] == weeks[quarter - 1]
    return sum(len(v) for v in sql.values())


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--quarter", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--any-database", action="store_true")
    parser.add_argument("--series", action="store_true", help="also the generate_series shape")
    args = parser.parse_args(argv)
    common.setup(any_database=args.any_database)
    from finsam.participants.models import Enrolment

    as_of = datetime.date(args.year, 12, 31)
    print(f"enrolments: {Enrolment.objects.count():,}")
    print(f"models created: {ensure_models(args.year)}")
    cells = check_equal(args.year, args.quarter, as_of, series=args.series)
    print(f"cells (initiative × municipality × quarter 1..{args.quarter}) equal: {cells:,}")
    times = {"app": [], "sql": []}
    for n in range(args.repeats):
        order = ("app", "sql") if n % 2 == 0 else ("sql", "app")
        for name in order:
            started = time.perf_counter()
            (run_app if name == "app" else run_sql)(args.year, args.quarter, as_of)
            times[name].append(time.perf_counter() - started)
    app, sql = statistics.median(times["app"]), statistics.median(times["sql"])
    print(
        f"invoice basis, every initiative, Q{args.quarter} {args.year}: app {app:.3f} s, "
        f"hand-written SQL {sql:.3f} s, ratio {app / sql:.2f}"
    )


if __name__ == "__main__":
    main()
