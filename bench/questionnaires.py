"""Benchmark of the answering page (issue 13): questionnaires submitted per second.

    DATABASE_URL=postgres://…/finsam_bench python bench/questionnaires.py [--respondents 400]
                                                                          [--threads 4]

One-time links of the national participant questionnaire (3 pages, 14 questions) are made in
the association `bench-enkat`; each respondent then goes through the answering page as a phone
would, in-process with Django's test client through the whole middleware stack (CSRF off as in
tests): GET the first page, POST each page's answers (the draft), POST the last page with
"Skicka in svaren" (the row-locked submit that stores the response and its answers). Timed
sequentially and by `--threads` concurrent clients (each thread its own database connection).
Reported: responses (submitted questionnaires) per second and answers (stored answer rows) per
second, sustained over the whole run. Target: 100 answers per second on PostgreSQL. Same
database rules as run.py (bench/common.py); written to bench/out/questionnaires.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

SLUG = "bench-enkat"


def make_links(n: int) -> list[str]:
    from datetime import date, timedelta

    from django.utils import timezone

    from finsam.associations.models import Association
    from finsam.questionnaires.definitions import load_core
    from finsam.questionnaires.models import Invitation, Questionnaire, hash_token
    from finsam.questionnaires.services import new_token

    if not Questionnaire.objects.filter(association__isnull=True).exists():
        load_core()
    association = Association.objects.filter(slug=SLUG).first()
    if association is None:
        association = Association.objects.create(
            slug=SLUG, name="Bench enkät", org_number="222000-0000", start_date=date(2020, 1, 1)
        )
    version = Questionnaire.objects.get(
        association__isnull=True, code="nns-deltagare"
    ).current_version()
    tokens = [new_token() for _i in range(n)]
    Invitation.objects.bulk_create(
        Invitation(
            token_hash=hash_token(t),
            version=version,
            association=association,
            period="2026-H2",
            expires_at=timezone.now() + timedelta(days=1),
        )
        for t in tokens
    )
    return tokens


def posts_for(version):
    from finsam.questionnaires.services import pages

    out = []
    all_pages = pages(version)
    for page in all_pages:
        data = {"p": page.number, "lang": "sv"}
        data["action"] = "submit" if page.number == len(all_pages) else "next"
        for item in page.items:
            data[f"i-{item.code}"] = (
                item.points[min(4, len(item.points) - 1)].code if item.points else "Bra."
            )
        out.append(data)
    return out


def respond(client, token, posts) -> None:
    url = f"/q/{token}/"
    assert client.get(url).status_code == 200
    for data in posts:
        response = client.post(url, data)
        assert response.status_code == 302, response.status_code


def run(args) -> dict:
    from django.db import connection, connections
    from django.test import Client

    from finsam.questionnaires.models import Answer, Questionnaire, Response

    version = Questionnaire.objects.get(
        association__isnull=True, code="nns-deltagare"
    ).current_version()
    posts = posts_for(version)
    results = {}
    for label, threads in (("sequential", 1), (f"{args.threads} threads", args.threads)):
        tokens = make_links(args.respondents)
        before_r, before_a = Response.objects.count(), Answer.objects.count()
        chunks = [tokens[i::threads] for i in range(threads)]

        def work(chunk):
            client = Client()
            try:
                for token in chunk:
                    respond(client, token, posts)
            finally:
                connections.close_all()

        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(work, chunks))
        seconds = time.perf_counter() - started
        responses = Response.objects.count() - before_r
        answers = Answer.objects.count() - before_a
        assert responses == args.respondents, (responses, args.respondents)
        results[label] = {
            "respondents": args.respondents,
            "seconds": seconds,
            "responses_per_second": responses / seconds,
            "answers_per_second": answers / seconds,
            "requests_per_second": responses * (len(posts) + 1) / seconds,
        }
    return {"database": connection.vendor, "pages": len(posts), "results": results}


def report(result) -> str:
    lines = [
        f"Answering page on {result['database']}: {result['pages']} pages a questionnaire "
        f"(1 GET + {result['pages']} POSTs, the last one submits)",
        f"{'':14} {'n':>5} {'s':>7} {'responses/s':>12} {'answers/s':>10} {'requests/s':>11}",
    ]
    for label, r in result["results"].items():
        lines.append(
            f"{label:14} {r['respondents']:>5} {r['seconds']:>7.1f} "
            f"{r['responses_per_second']:>12.1f} {r['answers_per_second']:>10.1f} "
            f"{r['requests_per_second']:>11.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=400)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--any-database", action="store_true")
    args = parser.parse_args()
    common.setup(any_database=args.any_database)
    result = run(args)
    text = report(result)
    print(text)
    (common.OUT / "questionnaires.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
