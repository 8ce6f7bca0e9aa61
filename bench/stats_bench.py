"""Benchmarks of issue 3: statistics against hand-written SQL, the statistics page, the compiled
report.

    python bench/stats_bench.py [--repeats 3] [--page-requests 10] [--year 2025]
                                [--skip-compile] [--compile-runs 3]

(d) Statistics for the whole data set (national scope, one calendar year): the headline and every
    dimension table computed by `finsam.statistics.engine` (with the small-cell suppression of
    the national scope, as the page does), timed beside ONE hand-written SQL query per table
    computing the same counts on the same data in the same run. The numbers are checked equal
    (an unsuppressed engine run against the SQL, cell by cell; the suppressed run's visible
    cells too). Reported: median time per table and in total, and the ratio engine / SQL.
(e) The statistics page (`/statistics/association/<id>/`, a year) as the association's
    secretariat, and the national page as the operator: median and p95, SQL queries.
(f) The compiled report of an association with 30 initiatives with approved reports (one with
    sub-reports per municipality), texts of seed-003 length and frozen statistics: time to
    build the PDF (`compile_pdf`) by each engine (Typst and WeasyPrint, settings.PDF_ENGINE)
    and the DOCX (`compile_docx`), side by side; and the demo association's report cold.

Run by `make bench` (after the enrolment benchmarks of run.py) or on its own. Same database
rules as run.py (bench/common.py). See bench/README.md.
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

GENDERS = ("woman", "man")
WRONG = "felregistrering"
UNKNOWN_CODES = ("uppgift-saknas", "okand")
AGE_GROUPS = (
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
TIME_BUCKETS = (("lt3", 91), ("3-6", 183), ("6-12", 365), ("12-24", 730))
OUTCOMES = ("work", "studies", "job_seeking", "other")
SECRETARIAT_EMAIL = "kansli@bench.finsam.se"
OPERATOR_EMAIL = "operator@bench.finsam.se"
REPORT_PERIOD = "Bench delårsrapport januari–augusti 2025"
REPORT_INITIATIVES = 30


def median(values):
    return statistics.median(values)


def p95(values):
    ordered = sorted(values)
    k = (len(ordered) - 1) * 0.95
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


# --- The hand-written SQL -------------------------------------------------------------------
#
# One statement per table, written as one would by hand: GROUP BY the table's key, NULL where
# the value is missing. The total of a table is the sum of its rows (added up in Python, as the
# engine does), except for the multi-valued tables (a person counts once per value), whose
# statement also returns the persons as the row with key -1 (UNION ALL; code ids are positive).
# The headline returns one row per gender with its four counts, and the summed head counts of
# volume initiatives as the row 'volume'. Portable between PostgreSQL and SQLite (>= 3.30).


def _tables():
    from finsam.initiatives.models import HeadCount, Initiative
    from finsam.participants.models import Enrolment
    from finsam.reference.models import Code

    return {
        "enrolment": Enrolment._meta.db_table,
        "before": Enrolment.income_sources_before.through._meta.db_table,
        "after": Enrolment.income_sources_after.through._meta.db_table,
        "target_groups": Initiative.target_groups.through._meta.db_table,
        "code": Code._meta.db_table,
        "headcount": HeadCount._meta.db_table,
    }


PIVOT = (
    "COUNT(*) FILTER (WHERE e.gender = 'woman'), "
    "COUNT(*) FILTER (WHERE e.gender = 'man'), "
    "COUNT(*) FILTER (WHERE e.gender NOT IN ('woman', 'man'))"
)
MULTI_VALUED = ("income_before", "income_after", "target_group")


SHAPES = ("pivot", "long")


def sql_queries(vendor: str, shape: str = "pivot") -> dict[str, str]:
    """{table: SQL}. Named parameters: ps, pe (the period), wrong (the id of the exit reason
    "felregistrering", which never counts). Two shapes, both timed: "pivot" (GROUP BY the key,
    the genders as FILTER columns) and "long" (GROUP BY the key and the gender, one row each,
    as the engine's ORM query does)."""
    t = _tables()
    counted = "(e.exit_reason_id IS NULL OR e.exit_reason_id <> %(wrong)s)"
    active = (
        f"WHERE {counted} AND e.start_date <= %(pe)s "
        "AND (e.end_date IS NULL OR e.end_date >= %(ps)s)"
    )
    exited = f"WHERE {counted} AND e.end_date >= %(ps)s AND e.end_date <= %(pe)s"
    enrolments = f"{t['enrolment']} e"

    def grouped(key: str, where: str, join: str = "") -> str:
        if shape == "long":
            return (
                f"SELECT {key}, e.gender, COUNT(*) FROM {enrolments} {join} {where} GROUP BY 1, 2"
            )
        return f"SELECT {key}, {PIVOT} FROM {enrolments} {join} {where} GROUP BY 1"

    def many(through: str, on: str, where: str) -> str:
        if shape == "long":
            return (
                f"SELECT x.code_id, e.gender, COUNT(*) FROM {enrolments} "
                f"LEFT JOIN {through} x ON {on} {where} GROUP BY 1, 2 "
                f"UNION ALL SELECT -1, e.gender, COUNT(*) FROM {enrolments} {where} GROUP BY 2"
            )
        return (
            f"SELECT x.code_id, {PIVOT} FROM {enrolments} LEFT JOIN {through} x ON {on} "
            f"{where} GROUP BY 1 "
            f"UNION ALL SELECT -1, {PIVOT} FROM {enrolments} {where}"
        )

    ages = " ".join(
        f"WHEN e.age_at_start BETWEEN {low} AND {high} THEN '{key}'"
        for key, low, high in AGE_GROUPS
    )
    measured = "CASE WHEN e.end_date <= %(pe)s THEN e.end_date ELSE %(pe)s END"
    if vendor == "postgresql":
        days = f"(({measured}) - e.start_date)"
    else:
        days = f"CAST(julianday({measured}) - julianday(e.start_date) AS INTEGER)"
    buckets = " ".join(f"WHEN {days} < {limit} THEN '{key}'" for key, limit in TIME_BUCKETS)
    unknown = ", ".join(f"'{c}'" for c in UNKNOWN_CODES)
    return {
        "headline": (
            "SELECT e.gender, COUNT(*), "
            "COUNT(*) FILTER (WHERE e.start_date >= %(ps)s), "
            "COUNT(*) FILTER (WHERE e.end_date <= %(pe)s), "
            "COUNT(*) FILTER (WHERE e.end_date IS NULL OR e.end_date > %(pe)s) "
            f"FROM {enrolments} {active} GROUP BY e.gender "
            "UNION ALL SELECT 'volume', SUM(h.women), SUM(h.men), SUM(h.other), COUNT(*) "
            f"FROM {t['headcount']} h WHERE h.month >= %(ps)s AND h.month <= %(pe)s"
        ),
        "gender": grouped("e.gender", active),
        "age_group": grouped(f"CASE {ages} ELSE 'missing' END", active),
        "income_before": many(t["before"], "x.enrolment_id = e.id", active),
        "income_after": many(t["after"], "x.enrolment_id = e.id", exited),
        "exit_reason": grouped("e.exit_reason_id", exited),
        "outcome": grouped(
            f"CASE WHEN c.id IS NULL OR c.code IN ({unknown}) THEN 'missing' ELSE c.category END",
            exited,
            join=f"LEFT JOIN {t['code']} c ON c.id = e.occupation_after_id",
        ),
        "time_in_initiative": grouped(f"CASE {buckets} ELSE 'gt24' END", active),
        "home_municipality": grouped("e.home_municipality_id", active),
        "referrer": grouped("e.referrer_id", active),
        "target_group": many(t["target_groups"], "x.initiative_id = e.initiative_id", active),
        "education": grouped("e.education_id", active),
        "time_outside_work": grouped("e.time_outside_work_id", active),
        "occupation_before": grouped("e.occupation_before_id", active),
        "occupation_after": grouped("e.occupation_after_id", exited),
    }


def run_sql(sql: str, params: dict) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def sql_rows(rows: list[tuple], *, dimension: str, shape: str) -> dict:
    """{key: (women, men, other)} from either shape (the headline: {gender: four counts})."""
    if dimension == "headline" or shape == "pivot":
        return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in rows}
    out: dict = {}
    for key, gender, n in rows:
        counts = out.setdefault(key, [0, 0, 0])
        counts[GENDERS.index(gender) if gender in GENDERS else 2] += n
    return {key: tuple(v) for key, v in out.items()}


# --- Comparing -------------------------------------------------------------------------------

CODE_LISTS = {
    "income_before": "income_source",
    "income_after": "income_source",
    "exit_reason": "exit_reason",
    "referrer": "referrer",
    "target_group": "target_group",
    "education": "education",
    "time_outside_work": "time_outside_work",
    "occupation_before": "occupation",
    "occupation_after": "occupation",
}


def normalise_sql(dimension: str, rows: dict) -> dict:
    """SQL rows keyed like the engine's rows: code ids → codes, NULL → the list's unknown code
    (or "missing"), outcome categories outside the four groups → "other", municipality ids as
    strings; the total as '__total__' (the sum of the rows unless the statement gave it)."""
    from finsam.reference.models import Code

    if dimension == "headline":
        out = {key: [0, 0, 0] for key in ("active", "new", "exited", "active_at_end")}
        for gender, counts in rows.items():
            if gender == "volume":
                continue
            column = GENDERS.index(gender) if gender in GENDERS else 2
            for key, n in zip(out, counts, strict=True):
                out[key][column] += n
        out = {key: tuple(v) for key, v in out.items()}
        volume = rows.get("volume")
        if volume and volume[3]:
            out["volume"] = volume[:3]
        out["__total__"] = out["active"]
        return out

    out: dict = {}

    def add(key, counts):
        previous = out.get(key, (0, 0, 0))
        out[key] = tuple(a + b for a, b in zip(previous, counts, strict=True))

    code_list = CODE_LISTS.get(dimension)
    codes = {}
    unknown = "missing"
    if code_list:
        listed = list(Code.objects.filter(code_list=code_list))
        codes = {c.pk: c.code for c in listed}
        unknown = next((c.code for c in listed if c.code in UNKNOWN_CODES), "missing")
    total = None
    for key, counts in rows.items():
        if key == -1:  # the persons of a multi-valued table
            total = counts
        elif code_list:
            add(codes[int(key)] if key is not None else unknown, counts)
        elif dimension == "home_municipality":
            add(str(key) if key is not None else "missing", counts)
        elif dimension == "outcome" and key not in (*OUTCOMES, "missing"):
            add("other", counts)
        else:
            add(key, counts)
    if total is None:
        total = tuple(sum(c[i] for c in out.values()) for i in range(3))
    out["__total__"] = total
    return out


def compare(table, expected: dict, *, exact: bool) -> list[str]:
    """Differences between an engine table and the normalised SQL rows (empty = equal). With
    `exact=False` suppressed cells (None) are skipped; a primary suppression must hide a small
    count (1–4 with the default SMALL_CELL_LIMIT)."""
    from finsam.statistics import engine

    problems = []

    def check(label, row, counts):
        women, men, other = counts
        for name, cell, want in (
            ("women", row.women, women),
            ("men", row.men, men),
            ("other", row.other, other),
            ("total", row.total, women + men + other),
        ):
            if cell.value is None and not exact:
                if not cell.secondary and not 1 <= want < engine.small_cell_limit():
                    problems.append(f"{label}/{name}: suppressed but {want}")
                continue
            if cell.value != want:
                problems.append(f"{label}/{name}: engine {cell.value}, SQL {want}")

    keys = {row.key for row in table.rows}
    for row in table.rows:
        check(row.key, row, expected.get(row.key, (0, 0, 0)))
    for key, counts in expected.items():
        if key not in keys and key != "__total__" and any(counts):
            if table.dimension == "exit_reason" and key == WRONG:
                continue
            problems.append(f"{key}: SQL {counts}, no engine row")
    if "__total__" in expected:
        check("total", table.total, expected["__total__"])
    return problems


# --- (d) statistics against SQL ----------------------------------------------------------------


def _national(suppress=True):
    from finsam.statistics.engine import Scope

    return Scope.national(suppress=suppress)


def _engine_table(name, scope, flt):
    from finsam.statistics import engine

    if name == "headline":
        return engine.headline(scope, flt)
    return engine.stats_table(scope, flt, name)


def ensure_target_groups() -> int:
    """Give the generated initiatives one to three target groups if none has any (older bench
    data), so that the target-group table has content. Returns the rows added."""
    import random

    from finsam.initiatives.models import Initiative
    from finsam.reference.models import Code

    through = Initiative.target_groups.through
    bench = Initiative.objects.filter(association__slug__startswith="bench-")
    if through.objects.filter(initiative__in=bench).exists():
        return 0
    groups = list(
        Code.objects.filter(code_list="target_group", active=True).values_list("pk", flat=True)
    )
    rng = random.Random(3)
    rows = [
        through(initiative_id=pk, code_id=code)
        for pk in bench.values_list("pk", flat=True)
        for code in rng.sample(groups, rng.randint(1, 3))
    ]
    through.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def bench_statistics(year: int, repeats: int) -> dict:
    from django.db import connection

    from finsam.participants.models import Enrolment
    from finsam.reference.models import Code
    from finsam.statistics import engine

    flt = engine.StatsFilter(
        period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31)
    )
    params = {
        "ps": flt.period_start,
        "pe": flt.period_end,
        "wrong": Code.objects.get(code_list="exit_reason", code=WRONG).pk,
    }
    queries = {shape: sql_queries(connection.vendor, shape) for shape in SHAPES}
    names = list(queries["pivot"])
    scope, raw_scope = _national(True), _national(False)

    def run(shape, name):
        rows = run_sql(queries[shape][name], params)
        return normalise_sql(name, sql_rows(rows, dimension=name, shape=shape))

    # Correctness first (also warms the caches of both sides): both SQL shapes agree, and the
    # engine (unsuppressed, and suppressed as the page shows it) agrees with them.
    expected = {name: run("pivot", name) for name in names}
    problems = {}
    for name in names:
        found = []
        if run("long", name) != expected[name]:
            found.append("the two SQL shapes differ")
        found += compare(_engine_table(name, raw_scope, flt), expected[name], exact=True)
        found += compare(_engine_table(name, scope, flt), expected[name], exact=False)
        if found:
            problems[name] = found[:5]

    engine_times = {name: [] for name in names}
    sql_times = {(shape, name): [] for shape in SHAPES for name in names}
    all_tables_times = []
    for i in range(repeats):
        sides = ["engine", *SHAPES]
        sides = sides[i % 3 :] + sides[: i % 3]  # rotate the order between runs
        for side in sides:
            if side == "engine":
                started = time.perf_counter()
                engine.all_tables(scope, flt)
                all_tables_times.append(time.perf_counter() - started)
                for name in names:
                    started = time.perf_counter()
                    _engine_table(name, scope, flt)
                    engine_times[name].append(time.perf_counter() - started)
            else:
                for name in names:
                    started = time.perf_counter()
                    run(side, name)
                    sql_times[(side, name)].append(time.perf_counter() - started)
    per_table = {}
    for name in names:
        e = median(engine_times[name])
        pivot, long = median(sql_times[("pivot", name)]), median(sql_times[("long", name)])
        best = min(pivot, long)
        per_table[name] = {
            "engine_ms": round(e * 1000, 1),
            "sql_pivot_ms": round(pivot * 1000, 1),
            "sql_long_ms": round(long * 1000, 1),
            "ratio": round(e / best, 2) if best else None,
        }
    engine_sum = sum(median(engine_times[n]) for n in names)
    sql_best = sum(
        min(median(sql_times[("pivot", n)]), median(sql_times[("long", n)])) for n in names
    )
    sql_shape = {shape: sum(median(sql_times[(shape, n)]) for n in names) for shape in SHAPES}
    all_tables = median(all_tables_times)
    active = expected["headline"]["active"]
    return {
        "period": f"{flt.period_start} – {flt.period_end}",
        "enrolments_in_database": Enrolment.objects.count(),
        "active_in_period": sum(active),
        "repeats": repeats,
        "tables": len(names),
        "equal": not problems,
        "problems": problems,
        "per_table": per_table,
        "engine_all_tables_s": round(all_tables, 3),
        "engine_sum_of_tables_s": round(engine_sum, 3),
        "sql_pivot_s": round(sql_shape["pivot"], 3),
        "sql_long_s": round(sql_shape["long"], 3),
        "sql_best_s": round(sql_best, 3),
        "ratio_all_tables": round(all_tables / sql_best, 2),
        "ratio_sum_of_tables": round(engine_sum / sql_best, 2),
    }


# --- (e) the statistics pages --------------------------------------------------------------------


def _user(email: str, role: str, association=None):
    from finsam.accounts.models import RoleAssignment, User

    user, _ = User.objects.get_or_create(email=email, defaults={"first_name": "Bench"})
    RoleAssignment.objects.get_or_create(user=user, association=association, role=role)
    return user


def bench_pages(year: int, requests: int) -> dict:
    from django.core.cache import caches
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from bench.run import QueryCount
    from finsam.associations.models import Association
    from finsam.core.roles import Role
    from finsam.statistics import selectors

    association = Association.objects.get(slug="bench-01")
    params = {"period_start": f"{year}-01-01", "period_end": f"{year}-12-31"}
    out = {}
    pages = (
        (
            "association (bench-01, secretariat)",
            _user(SECRETARIAT_EMAIL, Role.SECRETARIAT, association),
            reverse("statistics:scope", kwargs={"kind": "association", "obj_id": association.pk}),
            requests,
        ),
        (
            "national (operator)",
            _user(OPERATOR_EMAIL, Role.OPERATOR),
            reverse("statistics:national"),
            max(3, requests // 3),
        ),
    )
    tables_cache = caches[selectors.CACHE]
    for label, user, url, n in pages:
        client = Client()
        client.force_login(user)
        response = client.get(url, params)  # warm-up
        if response.status_code != 200:
            out[label] = {"status": response.status_code}
            continue
        # Issue 9: the tables are kept per data version; "computed" empties that cache before
        # each request (a view after a write), "cached" does not (a view of unchanged data).
        for mode in ("computed", "cached"):
            if mode == "computed":
                tables_cache.clear()
            with QueryCount() as queries:
                client.get(url, params)
            times = []
            for _ in range(n):
                if mode == "computed":
                    tables_cache.clear()
                started = time.perf_counter()
                response = client.get(url, params)
                times.append((time.perf_counter() - started) * 1000)
            out[f"{label}, {mode}"] = {
                "requests": n,
                "median_ms": round(median(times), 1),
                "p95_ms": round(p95(times), 1),
                "queries": queries.count,
                "bytes": len(response.content),
            }
    out["association_enrolments"] = association.initiatives.aggregate(n=Count("enrolments"))["n"]
    return out


# --- (f) the compiled report -------------------------------------------------------------------


def _seed_texts() -> list[dict]:
    from finsam.demo.loading import read_data

    out = []
    for ini in read_data()["associations"][0]["initiatives"]:
        report = ini.get("interim_report_2021") or {}
        out.append({**ini.get("sections", {}), **report, "period": ini.get("period_as_written")})
    return out


def build_report_period(association):
    """A period of `association` with approved reports for 30 initiatives (texts of the seed-003
    reports, statistics frozen at submission), one initiative with three sub-reports. Built once;
    later runs reuse it."""
    from django.utils import timezone

    from finsam.reports import selectors
    from finsam.reports.models import InitiativeReport, ReportingPeriod, ReportStatus

    period, created = ReportingPeriod.objects.get_or_create(
        association=association,
        name=REPORT_PERIOD,
        defaults={
            "start_date": datetime.date(2025, 1, 1),
            "end_date": datetime.date(2025, 8, 31),
            "deadline": datetime.date(2025, 9, 20),
        },
    )
    if period.reports.exists():
        return period, 0.0
    started = time.perf_counter()
    texts = _seed_texts()
    initiatives = list(
        association.initiatives.filter(name__startswith="Insats ").order_by("name")[
            :REPORT_INITIATIVES
        ]
    )
    municipalities = list(association.municipalities.order_by("name")[:3])
    now = timezone.now()
    for index, initiative in enumerate(initiatives):
        text = texts[index % len(texts)]
        analysis = (text.get("analysis") or "").split("\n\n")
        third = max(1, len(analysis) // 3)
        report = InitiativeReport.objects.create(
            period=period,
            initiative=initiative,
            project_name=initiative.name,
            owner_organisation=initiative.owner_organisation,
            project_period=text.get("period") or "",
            background=text.get("background", ""),
            purpose=text.get("purpose", ""),
            goals=text.get("goals", ""),
            method=text.get("method", ""),
            results=text.get("results", ""),
            analysis_success_factors="\n\n".join(analysis[:third]),
            analysis_cooperation="\n\n".join(analysis[third : 2 * third]),
            analysis_goal_attainment="\n\n".join(analysis[2 * third :]),
            status=ReportStatus.APPROVED,
            submitted_at=now,
            approved_at=now,
        )
        reports = [report]
        if index == 0:
            for municipality in municipalities:
                reports.append(
                    InitiativeReport.objects.create(
                        period=period,
                        initiative=initiative,
                        parent=report,
                        municipality=municipality,
                        project_name=f"{initiative.name} – {municipality.name}",
                        owner_organisation=initiative.owner_organisation,
                        results=text.get("results", ""),
                        analysis_success_factors=text.get("analysis", ""),
                        status=ReportStatus.APPROVED,
                        submitted_at=now,
                        approved_at=now,
                    )
                )
        for r in reports:
            r.statistics_snapshot = selectors.statistics_snapshot(report=r)
            r.save(update_fields=["statistics_snapshot"])
    return period, time.perf_counter() - started


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the chart workers)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _pdf_pages(data: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(data)).pages)


# The documents of (f): each PDF engine (settings.PDF_ENGINE) and the DOCX.
COMPILE_FORMATS = (("pdf", "typst"), ("pdf", "weasyprint"), ("docx", None))


def _compile_function(extension: str, engine: str | None):
    from django.test import override_settings

    from finsam.reports.compile import FORMATS

    function = FORMATS[extension][0]

    def compile_document(**kwargs) -> bytes:
        if engine is None:
            return function(**kwargs)
        with override_settings(PDF_ENGINE=engine):
            return function(**kwargs)

    return compile_document


def _timed(function, **kwargs) -> tuple[bytes, float, float]:
    cpu_started = _cpu_seconds()
    started = time.perf_counter()
    data = function(**kwargs)
    return data, time.perf_counter() - started, _cpu_seconds() - cpu_started


def _demo_period():
    """The demo association's interim report 2021 (seed 003, 23 initiatives), loaded into the
    benchmark database the first time."""
    from finsam.associations.models import Association
    from finsam.reports.models import ReportingPeriod

    if not Association.objects.filter(slug="skaraborg").exists():
        from finsam.demo.loading import load_demo

        load_demo()
    association = Association.objects.get(slug="skaraborg")
    period = ReportingPeriod.objects.get(
        association=association, name="Delårsrapport januari–augusti 2021"
    )
    return association, period


def bench_compile(runs: int) -> dict:
    from django.core.cache import caches
    from django.db.models import Count

    from finsam.associations.models import Association
    from finsam.reports.compile import typeset_chapter
    from finsam.reports.models import InitiativeReport

    association = Association.objects.get(slug="bench-01")
    period, build_seconds = build_report_period(association)
    out = {
        "association": association.name,
        "reports": period.reports.filter(parent=None).count(),
        "sub_reports": period.reports.exclude(parent=None).count(),
        "enrolments_of_association": association.initiatives.aggregate(n=Count("enrolments"))["n"],
        "period_built_s": round(build_seconds, 1),
        "formats": {},
        "demo": {},
    }
    changing = InitiativeReport.objects.filter(period=period, parent=None).order_by("pk").first()

    def change_one_report(run: int) -> None:
        # As when a report of the period comes in or is corrected: one chapter's text differs.
        InitiativeReport.objects.filter(pk=changing.pk).update(
            purpose=f"{changing.purpose}\n\nKompletterat (körning {run}, {time.time():.0f})."
        )

    for extension, engine in COMPILE_FORMATS:
        label = f"{extension.upper()}, {engine.capitalize()}" if engine else extension.upper()
        function = _compile_function(extension, engine)
        # Cold: the documents cache emptied first (every chart drawn, as the first compilation
        # of a period if nothing was drawn ahead); ahead: the charts of each chapter drawn at
        # approval, as in use (PDF); one changed: compiled again after one report's text
        # changed; warm: compiled again with nothing changed (charts from the cache).
        times = {"cold": [], "ahead": [], "one_changed": [], "warm": []}
        if extension == "docx":
            del times["ahead"]
        cpu = {key: [] for key in times}  # CPU seconds: this process + its chart workers
        try:
            for run in range(runs):
                caches["documents"].clear()
                for which in times:
                    if which == "ahead":
                        # As in use: each chapter's charts drawn when its report was approved
                        # (not timed: it happened then).
                        caches["documents"].clear()
                        for report in period.reports.filter(parent=None):
                            typeset_chapter(report)
                    if which == "one_changed":
                        change_one_report(run)
                    data, wall, cpu_s = _timed(function, association=association, period=period)
                    times[which].append(wall)
                    cpu[which].append(cpu_s)
        except Exception as exc:  # noqa: BLE001 - report it, measure the rest
            out["formats"][label] = {"error": f"{type(exc).__name__}: {exc}"}
            print(f"   {label}: {out['formats'][label]['error']}")
            continue
        result = {"runs": runs, "bytes": len(data), "cold_max_s": round(max(times["cold"]), 2)}
        for which, values in times.items():
            result[f"{which}_median_s"] = round(median(values), 2)
            result[f"{which}_cpu_s"] = round(median(cpu[which]), 2)
        if extension == "pdf":
            result["pages"] = _pdf_pages(data)
            (common.OUT / f"compiled-bench-{engine}.pdf").write_bytes(data)
        out["formats"][label] = result
        print(f"   {label}: {result}")

    demo_association, demo_period = _demo_period()
    for extension, engine in COMPILE_FORMATS:
        if extension != "pdf":
            continue
        function = _compile_function(extension, engine)
        caches["documents"].clear()
        data, wall, cpu_s = _timed(function, association=demo_association, period=demo_period)
        out["demo"][engine] = {
            "cold_s": round(wall, 2),
            "cold_cpu_s": round(cpu_s, 2),
            "pages": _pdf_pages(data),
            "bytes": len(data),
        }
        (common.OUT / f"compiled-demo-{engine}.pdf").write_bytes(data)
        print(f"   demo, {engine}: {out['demo'][engine]}")
    return out


# --- Report -------------------------------------------------------------------------------------


def report(results: dict) -> str:
    lines = []
    st = results.get("statistics")
    if st:
        lines += [
            f"(d) Statistics, national scope, {st['period']}: {st['active_in_period']} enrolments "
            f"active in the period of {st['enrolments_in_database']} in the database; "
            f"{st['tables']} tables, median of {st['repeats']} runs; numbers equal: "
            f"{'yes' if st['equal'] else 'NO'}",
            "",
            "| table | engine (ms) | SQL, pivot (ms) | SQL, key × gender (ms) | "
            "engine / faster SQL |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for name, r in st["per_table"].items():
            lines.append(
                f"| {name} | {r['engine_ms']} | {r['sql_pivot_ms']} | {r['sql_long_ms']} | "
                f"{r['ratio']} |"
            )
        lines += [
            f"| **all tables** (`all_tables`; SQL: the faster shape per table) | "
            f"{st['engine_all_tables_s'] * 1000:.0f} | {st['sql_pivot_s'] * 1000:.0f} | "
            f"{st['sql_long_s'] * 1000:.0f} | **{st['ratio_all_tables']}** "
            f"(vs {st['sql_best_s'] * 1000:.0f}) |",
            "",
        ]
        if st["problems"]:
            lines += ["Differences:", "", *(f"- {k}: {v}" for k, v in st["problems"].items()), ""]
    pages = results.get("pages")
    if pages:
        lines += [
            "(e) Statistics pages (all tables of a year, rendered; charts load separately):",
            "",
            "| page | median (ms) | p95 (ms) | SQL queries | bytes |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for label, r in pages.items():
            if isinstance(r, dict) and "median_ms" in r:
                cells = (r["median_ms"], r["p95_ms"], r["queries"], r["bytes"])
                lines.append(f"| {label} | " + " | ".join(map(str, cells)) + " |")
        lines.append("")
    comp = results.get("compile")
    if comp:
        lines += [
            f"(f) Compiled report, {comp['association']}: {comp['reports']} initiatives with "
            f"reports ({comp['sub_reports']} sub-reports), "
            f"{comp['enrolments_of_association']} enrolments in the association:",
            "",
            "| format | cold (s) | cold, max (s) | charts drawn at approval (s) | "
            "one report changed (s) | nothing changed (s) | CPU s cold / ahead / changed / "
            "unchanged | size | pages |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for label, r in comp["formats"].items():
            if "error" in r:
                lines.append(f"| {label} | failed: {r['error']} | | | | | | | |")
                continue
            lines.append(
                f"| {label} | {r['cold_median_s']} | {r['cold_max_s']} | "
                f"{r.get('ahead_median_s', '–')} | "
                f"{r['one_changed_median_s']} | {r['warm_median_s']} | "
                f"{r['cold_cpu_s']} / {r.get('ahead_cpu_s', '–')} / {r['one_changed_cpu_s']} / "
                f"{r['warm_cpu_s']} | "
                f"{r['bytes'] // 1024} kB | {r.get('pages', '–')} |"
            )
        typst, weasyprint = (comp["formats"].get(f"PDF, {e}", {}) for e in ("Typst", "Weasyprint"))
        if "cold_cpu_s" in typst and "cold_cpu_s" in weasyprint:
            ratios = [
                f"{which.replace('_', ' ')} "
                f"{weasyprint[f'{which}_cpu_s'] / typst[f'{which}_cpu_s']:.1f}×"
                for which in ("cold", "ahead", "one_changed", "warm")
                if typst[f"{which}_cpu_s"]
            ]
            lines += ["", "WeasyPrint / Typst, CPU seconds: " + ", ".join(ratios) + "."]
        lines += [
            "",
            "The demo association (seed 003, 23 initiatives), cold:",
            "",
            "| engine | wall (s) | CPU (s) | pages | size |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for engine, r in comp["demo"].items():
            lines.append(
                f"| {engine} | {r['cold_s']} | {r['cold_cpu_s']} | {r['pages']} | "
                f"{r['bytes'] // 1024} kB |"
            )
        lines.append("")
    return "\n".join(lines)


def run(args) -> dict:
    results = {}
    added = ensure_target_groups()
    if added:
        print(f"   gave the generated initiatives {added} target-group rows")
    if args.only_compile:
        print(f"== (f) compiled report × {args.compile_runs}")
        return {"compile": bench_compile(args.compile_runs)}
    print(f"== (d) statistics vs hand-written SQL, national, {args.year}, {args.repeats} runs")
    results["statistics"] = bench_statistics(args.year, args.repeats)
    st = results["statistics"]
    print(
        f"   engine {st['engine_all_tables_s']} s, SQL {st['sql_best_s']} s, "
        f"ratio {st['ratio_all_tables']}, equal {st['equal']}"
    )
    print(f"== (e) statistics pages × {args.page_requests}")
    results["pages"] = bench_pages(args.year, args.page_requests)
    if not args.skip_compile:
        print(f"== (f) compiled report × {args.compile_runs}")
        results["compile"] = bench_compile(args.compile_runs)
    return results


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, default=2025, help="the statistics period (a year)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each side")
    parser.add_argument("--page-requests", type=int, default=10)
    parser.add_argument("--compile-runs", type=int, default=3)
    parser.add_argument("--skip-compile", action="store_true")
    parser.add_argument("--only-compile", action="store_true", help="only (f)")


def main(argv=None) -> None:
    import json
    import warnings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--any-database", action="store_true")
    parser.add_argument("--scale", type=float, default=None)
    args = parser.parse_args(argv)
    common.setup(any_database=args.any_database)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    from bench.generate import generate

    scale = args.scale if args.scale is not None else common.default_scale()
    generate(scale)
    results = run(args)
    text = report(results)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (common.OUT / f"stats-{stamp}.json").write_text(json.dumps(results, indent=1, default=str))
    (common.OUT / f"stats-{stamp}.md").write_text(text)
    print()
    print(text)


if __name__ == "__main__":
    main()
