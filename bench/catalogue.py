"""Benchmark of the public catalogue's search (issue 11): p95 of search as you type.

    DATABASE_URL=postgres://…/finsam_bench python bench/catalogue.py [--initiatives 3000]
                                                                     [--rounds 20] [--reset]

Builds (once) an association `bench-katalog` with N initiatives (default 3 000), each with a
published catalogue entry whose texts are sentences of the demo catalogue (seeds 000 and 001)
mixed at random, municipalities and owners among a handful, periods 2008–2026. Then requests
the association's catalogue page through Django's test client, the whole middleware stack,
as the search box does (an HTMX request, `HX-Request: true`, answered with the results
partial) and as a page load without JavaScript (the whole page), for a set of queries: Swedish
inflections, half-typed words, two words, a word that matches most entries, and filters.
Reported: median and p95 per kind of request and over all, and the search function alone
(`catalogue_search`, first page). Target: p95 < 50 ms on PostgreSQL. Same database rules as
run.py (bench/common.py); written to bench/out/catalogue.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

SLUG = "bench-katalog"
QUERIES = [
    "sjukskriven",
    "sjukskrivna",
    "ungdomar",
    "ungdom",
    "nyanlända",
    "arbetsträning",
    "socialt företag",
    "psykisk funktionsnedsättning",
    "försörjningsstöd",
    "supported employment",
    "sjuk",  # half-typed
    "un",  # two letters typed
    "ungdomar halmstad",
    "arbetsmarknaden",  # in most entries
]
FILTERS = [
    {"status": "running"},
    {"status": "finished", "year": "2014"},
    {"q": "ungdomar", "status": "finished"},
]


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def build(n: int, seed: int) -> None:
    from django.db import transaction

    from finsam.associations.models import Association
    from finsam.catalogue import search
    from finsam.catalogue.models import CatalogueEntry
    from finsam.demo.catalogue import read_data
    from finsam.initiatives.models import Initiative, Status
    from finsam.reference.loading import sync_reference_data
    from finsam.reference.models import Municipality

    rng = random.Random(seed)
    sync_reference_data()
    data = read_data()
    sentences = [
        s.strip() + "."
        for a in data["associations"]
        for i in a["initiatives"]
        for s in (i["summary"] + " " + i.get("who_for", "")).split(".")
        if len(s.strip()) > 20
    ]
    words = sorted({w for s in sentences for w in s.split() if w.isalpha() and len(w) > 5})
    owners = sorted(
        {i["owner_organisation"] for a in data["associations"] for i in a["initiatives"]}
    )
    places = list(
        Municipality.objects.filter(
            name__in=["Halmstad", "Laholm", "Varberg", "Falkenberg", "Hylte", "Kungsbacka"]
        )
    )
    with transaction.atomic():
        association, _ = Association.objects.get_or_create(
            slug=SLUG,
            defaults={
                "name": "Bench katalog",
                "org_number": "229999-9990",
                "start_date": datetime.date(2004, 1, 1),
            },
        )
        association.municipalities.set(places)
        initiatives = []
        for k in range(n):
            start = datetime.date(rng.randint(2008, 2025), rng.randint(1, 12), 1)
            ended = rng.random() < 0.7
            end = start + datetime.timedelta(days=rng.randint(180, 1100)) if ended else None
            name = " ".join(rng.sample(words, 2)).capitalize() + f" {k}"
            initiatives.append(
                Initiative(
                    association=association,
                    name=name,
                    owner_organisation=rng.choice(owners),
                    start_date=start,
                    end_date=end,
                    status=Status.ENDED if ended else Status.ACTIVE,
                )
            )
        Initiative.objects.bulk_create(initiatives, batch_size=500)
        through = Initiative.municipalities.through
        through.objects.bulk_create(
            [
                through(initiative_id=i.pk, municipality_id=m.pk)
                for i in initiatives
                for m in rng.sample(places, rng.randint(1, 3))
            ],
            batch_size=1000,
        )
        CatalogueEntry.objects.bulk_create(
            [
                CatalogueEntry(
                    initiative=i,
                    published=True,
                    published_at=datetime.datetime.now(datetime.UTC),
                    summary=" ".join(rng.sample(sentences, rng.randint(3, 8))),
                    who_for=rng.choice(sentences),
                    how_to_refer="Handläggaren anmäler deltagaren till insatsen.",
                    results=" ".join(rng.sample(sentences, 2)) if i.end_date else "",
                    contact="Samordningsförbundets kansli",
                )
                for i in initiatives
            ],
            batch_size=500,
        )
    started = time.monotonic()
    with transaction.atomic():
        search.rebuild()
    print(f"Indexed {n} entries in {time.monotonic() - started:.1f} s")


def run(args) -> dict:
    from django.db import connection
    from django.test import Client

    from finsam.associations.models import Association
    from finsam.catalogue import selectors
    from finsam.catalogue.models import CatalogueEntry

    association = Association.objects.filter(slug=SLUG).first()
    if args.reset and association is not None:
        CatalogueEntry.objects.filter(initiative__association=association).delete()
        association.initiatives.all().delete()
    have = CatalogueEntry.objects.filter(initiative__association__slug=SLUG).count()
    if have != args.initiatives:
        if have:
            sys.exit(f"{SLUG} has {have} entries, not {args.initiatives}: run with --reset")
        build(args.initiatives, args.seed)
    association = Association.objects.get(slug=SLUG)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalogue_catalogueentry")
    client = Client()
    url = f"/katalog/{SLUG}/"
    kinds = {
        "htmx search": [({"q": q}, {"HX-Request": "true"}) for q in QUERIES],
        "page load (no JS)": [({"q": q}, {}) for q in QUERIES[:6]],
        "filters (htmx)": [(f, {"HX-Request": "true"}) for f in FILTERS],
    }
    for params, headers in kinds["htmx search"][:3]:  # warm up
        client.get(url, params, headers=headers)
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    hits = {}
    for _round in range(args.rounds):
        for kind, requests in kinds.items():
            for params, headers in requests:
                started = time.perf_counter()
                response = client.get(url, params, headers=headers)
                times[kind].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (params, response.status_code)
    for q in QUERIES:
        hits[q] = selectors.catalogue_search(association, query=q).count()
    function = []
    for _round in range(args.rounds):
        for q in QUERIES:
            started = time.perf_counter()
            list(selectors.catalogue_search(association, query=q)[:20])
            function.append((time.perf_counter() - started) * 1000)
    every = [t for values in times.values() for t in values]
    summary = {
        kind: {"n": len(v), "median_ms": statistics.median(v), "p95_ms": percentile(v, 95)}
        for kind, v in {**times, "all requests": every, "search function": function}.items()
    }
    return {
        "database": connection.vendor,
        "entries": args.initiatives,
        "rounds": args.rounds,
        "hits": hits,
        "timings": summary,
    }


def report(result) -> str:
    lines = [
        f"Catalogue search, {result['entries']} published entries on {result['database']}, "
        f"{result['rounds']} rounds",
        f"{'':24} {'n':>5} {'median ms':>10} {'p95 ms':>8}",
    ]
    for kind, t in result["timings"].items():
        lines.append(f"{kind:24} {t['n']:>5} {t['median_ms']:>10.1f} {t['p95_ms']:>8.1f}")
    if "load_average" in result:
        before, after = (
            "/".join(f"{x:.1f}" for x in result["load_average"][k]) for k in ("before", "after")
        )
        lines.append(f"load average (1/5/15 min) before {before}, after {after}")
    lines.append("hits: " + ", ".join(f"{q}: {n}" for q, n in result["hits"].items()))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--reset", action="store_true", help="build the entries again")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--any-database", action="store_true")
    args = parser.parse_args(argv)
    common.setup(any_database=args.any_database)
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    load_before = os.getloadavg()
    result = run(args)
    result["load_average"] = {"before": load_before, "after": os.getloadavg()}
    print(report(result))
    (common.OUT / "catalogue.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
