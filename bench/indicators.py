"""Issue 13: the national indicators over 200 000 answers, against hand-written SQL.

    DATABASE_URL=postgres://…/finsam_bench python bench/indicators.py [--answers 200000]

Generates (once) answers to the national core's participant questionnaires (`nns-deltagare`,
`nns-deltagare-avslut`; items D01–D11 on the six-point scale with "vet ej", D11 yes/no) for 12
associations in three regions, two measurement years (2025, 2026), both respondent groups and
all genders, then, alternating the order, `--repeats` times each:

- **app**: `finsam.indicators.compute` for the whole installation — the 16 national indicators'
  rules (`selectors.rules_for`, the scales' "vet ej" and positive points), the one GROUP BY query
  (`count_rows`, two conditional counts per indicator) and `tabulate` (totals, genders, groups,
  the year before, suppression);
- **sql**: one hand-written query: the answers joined to their responses and questionnaires and
  to a VALUES list of (indicator, item, questionnaires, positive codes, uncounted codes),
  grouped by year, respondent group, gender and indicator, with `FILTER` counts.

Before timing, the counts are checked equal cell by cell (every year × group × gender ×
indicator, n and positive). Also timed: the association page's figures
(`selectors.results`: the association, its region and the installation, three queries).
Medians printed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

SQL = """
WITH ind(code, item, questionnaires, positive, uncounted) AS (
    SELECT * FROM unnest(%(codes)s::text[], %(items)s::text[], %(questionnaires)s::text[],
                         %(positive)s::text[], %(uncounted)s::text[])
)
SELECT substr(r.period, 1, 4)::int AS year, r.respondent_group, r.gender, ind.code,
       count(*) FILTER (WHERE a.value IS NOT NULL
                        AND NOT (a.choice_code = ANY(string_to_array(ind.uncounted, ',')))) AS n,
       count(*) FILTER (WHERE a.value IS NOT NULL
                        AND NOT (a.choice_code = ANY(string_to_array(ind.uncounted, ',')))
                        AND a.choice_code = ANY(string_to_array(ind.positive, ','))) AS p
FROM questionnaires_answer a
JOIN questionnaires_response r ON r.id = a.response_id
JOIN questionnaires_questionnaireversion v ON v.id = r.version_id
JOIN questionnaires_questionnaire q ON q.id = v.questionnaire_id
JOIN ind ON ind.item = a.item_code AND q.code = ANY(string_to_array(ind.questionnaires, ','))
WHERE q.association_id IS NULL AND (r.period LIKE '2025%%' OR r.period LIKE '2026%%')
GROUP BY 1, 2, 3, 4
"""

ITEMS = [f"D{i:02}" for i in range(1, 11)]
CHOICES = ["1", "2", "3", "4", "5", "6", "vet_ej"]
WEIGHTS = [4, 5, 8, 14, 30, 32, 7]


def generate(total: int) -> None:
    from django.db import transaction

    from finsam.associations.models import Association
    from finsam.indicators.tests.answers import questionnaire
    from finsam.questionnaires.models import Answer, Response
    from finsam.reference.models import Municipality

    have = Answer.objects.filter(response__association__slug__startswith="ind-bench").count()
    if have >= total:
        return
    print(f"Generating {total} answers …", flush=True)
    rng = random.Random(13)
    municipalities = list(Municipality.objects.filter(region__code__in=["12", "14", "01"]))
    associations = []
    for i in range(12):
        a, _ = Association.objects.get_or_create(
            slug=f"ind-bench-{i:02}",
            defaults={
                "name": f"Indikatorbänk {i:02}",
                "org_number": f"2220{i:02}-0000",
                "start_date": "2010-01-01",
            },
        )
        a.municipalities.add(
            *[m for m in municipalities if hash(m.code) % 12 == i][:3] or [municipalities[i]]
        )
        associations.append(a)
    during = questionnaire("nns-deltagare", "participant_during")
    exit_ = questionnaire("nns-deltagare-avslut", "participant_exit", items=ITEMS + ["D11"])
    per_response = len(ITEMS)
    responses = total // per_response
    with transaction.atomic():
        batch_r, batch_a = [], []
        for n in range(responses):
            version = exit_ if n % 3 == 0 else during
            r = Response(
                version=version,
                association=associations[n % 12],
                respondent_group=version.questionnaire.respondent_group,
                period=rng.choice(["2025-H2", "2026-H1", "2026-H2"]),
                gender=rng.choice(["woman", "woman", "man", "man", "other", ""]),
            )
            batch_r.append(r)
            for item in ITEMS:
                choice = rng.choices(CHOICES, WEIGHTS)[0]
                value = None if choice == "vet_ej" else Decimal(choice)
                batch_a.append(Answer(response=r, item_code=item, choice_code=choice, value=value))
            if len(batch_r) >= 2000:
                Response.objects.bulk_create(batch_r)
                Answer.objects.bulk_create(batch_a, batch_size=5000)
                batch_r, batch_a = [], []
        Response.objects.bulk_create(batch_r)
        Answer.objects.bulk_create(batch_a, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE questionnaires_answer; ANALYZE questionnaires_response;")


def app(rules, years):
    from finsam.indicators import compute

    rows = compute.count_rows(compute.Where(), rules, years)
    compute.tabulate(rows, rules, years[-1])
    return rows


def sql(rules):
    from django.db import connection

    params = {"codes": [], "items": [], "questionnaires": [], "positive": [], "uncounted": []}
    for rule in rules:
        for item in rule.item_codes:
            params["codes"].append(rule.code)
            params["items"].append(item)
            params["questionnaires"].append(",".join(rule.questionnaire_codes))
            params["positive"].append(",".join(rule.positive_codes))
            params["uncounted"].append(",".join(rule.uncounted_codes))
    with connection.cursor() as cursor:
        cursor.execute(SQL, params)
        return cursor.fetchall()


def cells_of_app(rows, rules) -> dict:
    out = {}
    for row in rows:
        for rule in rules:
            n, p = row[f"n_{rule.key}"], row[f"p_{rule.key}"]
            if n or p:
                out[(row["year"], row["group"], row["gender"], rule.code)] = (n, p)
    return out


def cells_of_sql(rows) -> dict:
    return {(y, g, s, c): (n, p) for y, g, s, c, n, p in rows if n or p}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--any-database", action="store_true")
    args = parser.parse_args(argv)
    common.setup(any_database=args.any_database)
    if not common.is_postgres():
        sys.exit("The indicator benchmark needs PostgreSQL (DATABASE_URL).")
    generate(args.answers)

    from finsam.associations.models import Association
    from finsam.indicators import selectors
    from finsam.questionnaires.models import Answer

    indicators = selectors.indicators_for(None)
    rules = selectors.rules_for(indicators)
    years = [2025, 2026]
    count = Answer.objects.count()
    a_cells = cells_of_app(app(rules, years), rules)
    s_cells = cells_of_sql(sql(rules))
    assert a_cells == s_cells, "the app and the SQL differ"
    print(f"{count} answers; {len(a_cells)} cells (year × group × gender × indicator) equal")

    times = {"app": [], "sql": [], "page": []}
    association = Association.objects.get(slug="ind-bench-00")

    def time_app():
        selectors.rules_for(selectors.indicators_for(None))
        app(rules, years)

    for run in range(args.repeats):
        order = [("app", time_app), ("sql", lambda: sql(rules))]
        if run % 2:
            order.reverse()
        for name, fn in order:
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
        start = time.perf_counter()
        selectors.results(association=association, year=2026)
        times["page"].append(time.perf_counter() - start)
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print(f"app (rules + query + tabulate): {med['app']:.0f} ms")
    print(f"hand-written SQL:               {med['sql']:.0f} ms")
    print(f"ratio app / SQL:                {med['app'] / med['sql']:.2f} (target ≤ 3)")
    print(f"association page figures (own, region, installation): {med['page']:.0f} ms")


if __name__ == "__main__":
    main()
