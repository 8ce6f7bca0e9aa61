"""A bounded load run (issue 9): 50 users for 3 minutes against gunicorn on 127.0.0.1.

    python bench/load.py [--users 50] [--minutes 3] [--spawn-rate 10] [--workers 2]
                         [--threads 4]
    make bench BENCH_ARGS="--load"           # the same, after nothing else
    make bench BENCH_ARGS="--load --load-minutes 0.5"   # a quick run

Starts gunicorn (config/gunicorn.conf.py, gthread) on a free loopback port over the benchmark
database, prepares a fresh initiative, a registrar and a secretariat session and an API token,
and runs locust headless (`bench/locustfile.py`) with three kinds of user: the registrar's
participant list of the 2 000-enrolment initiative, the association's statistics page of a year,
and API registrations (one new person each). Only loopback addresses are used; the run stops by
itself after `--minutes`.

At the end it prints, per group, requests, failures, p50 and p95, and checks: no failures, p95 ≤
1 s per group, and the enrolments in the fresh initiative equal the API's 201 answers (no lost or
duplicated writes). The exit status is 1 if a check fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

GROUPS = ("list page", "statistics page", "API write")
P95_LIMIT_MS = 1000


def _session(user) -> str:
    from django.test import Client

    from finsam.conftest import pass_second_factor

    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)
    return client.cookies["sessionid"].value


def prepare(args, fx) -> dict:
    from django.urls import reverse

    from bench.generate import TARGET_NAME
    from bench.run import _api_payload, _token
    from bench.stats_bench import SECRETARIAT_EMAIL, _user
    from finsam.core.roles import Role
    from finsam.initiatives.models import Initiative

    target = Initiative.objects.get(association=fx.association, name=TARGET_NAME)
    initiative = fx.initiative("load")
    secretariat = _user(SECRETARIAT_EMAIL, Role.SECRETARIAT, fx.association)
    # More bodies than the writers can send: about one request a second per user at most.
    bodies = int(args.users * args.minutes * 60 * 0.6) + 100
    return {
        "initiative_id": initiative.pk,
        "registrar_session": _session(fx.user),
        "secretariat_session": _session(secretariat),
        "token": _token(fx),
        "list_url": reverse(
            "participants:initiative_participants", kwargs={"initiative_id": target.pk}
        ),
        "list_params": [{}, {"status": "all"}, {"status": "all", "page": "2"}],
        "statistics_url": reverse(
            "statistics:scope", kwargs={"kind": "association", "obj_id": fx.association.pk}
        ),
        "statistics_params": {"period_start": "2025-01-01", "period_end": "2025-12-31"},
        "api_url": reverse(
            "api:initiative_enrolments", kwargs={"version": "v1", "pk": initiative.pk}
        )
        + f"?association={fx.association.pk}",
        "bodies": [_api_payload(fx) for _ in range(bodies)],
    }


def read_stats(prefix: Path) -> dict:
    out = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            out[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "per_second": float(row["Requests/s"] or 0),
            }
    return out


def run_load(args) -> dict:
    from bench.run import Fixture, start_gunicorn, stop_gunicorn
    from finsam.participants.models import Enrolment

    fx = Fixture(args.seed)
    plan = prepare(args, fx)
    plan_file = common.OUT / "load-plan.json"
    counts_file = common.OUT / "load-counts.json"
    plan_file.write_text(json.dumps(plan, default=str))
    counts_file.unlink(missing_ok=True)
    prefix = common.OUT / f"load-{fx.stamp}"
    load_before = os.getloadavg()
    process, base = start_gunicorn(workers=args.workers, threads=args.threads)
    try:
        seconds = max(10, round(args.minutes * 60))
        command = [
            str(Path(sys.executable).with_name("locust")),
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "--host",
            base,
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "-t",
            f"{seconds}s",
            "--stop-timeout",
            "30",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        env = {
            **os.environ,
            "FINSAM_LOAD_PLAN": str(plan_file),
            "FINSAM_LOAD_COUNTS": str(counts_file),
        }
        print(f"== load: {args.users} users for {seconds} s against {base}")
        started = time.perf_counter()
        subprocess.run(command, env=env, cwd=common.ROOT, check=False, timeout=seconds + 180)
        wall = time.perf_counter() - started
    finally:
        stop_gunicorn(process)
    load_after = os.getloadavg()
    counts = json.loads(counts_file.read_text())
    rows = Enrolment.objects.filter(initiative_id=plan["initiative_id"]).count()
    stats = read_stats(prefix)
    return {
        "users": args.users,
        "seconds": round(wall, 1),
        "gunicorn": f"{args.workers} gthread workers × {args.threads} threads",
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in load_after],
        "groups": stats,
        "created_201": counts["created"],
        "api_other_answers": counts["other"],
        "bodies_ran_out": counts["no_body_left"],
        "enrolment_rows": rows,
    }


def check(result: dict) -> list[str]:
    problems = []
    for group in GROUPS:
        r = result["groups"].get(group)
        if r is None or not r["requests"]:
            problems.append(f"{group}: no requests")
            continue
        if r["failures"]:
            problems.append(f"{group}: {r['failures']} failures")
        if r["p95_ms"] > P95_LIMIT_MS:
            problems.append(f"{group}: p95 {r['p95_ms']:.0f} ms > {P95_LIMIT_MS} ms")
    if result["enrolment_rows"] != result["created_201"]:
        problems.append(
            f"{result['enrolment_rows']} enrolment rows but {result['created_201']} answers 201"
        )
    return problems


def report(result: dict) -> str:
    lines = [
        f"Load: {result['users']} users, {result['seconds']} s, gunicorn {result['gunicorn']}; "
        f"load average before {result['load_average_before']}, after "
        f"{result['load_average_after']}",
        "",
        "| group | requests | failures | req/s | p50 (ms) | p95 (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in result["groups"].items():
        lines.append(
            f"| {name} | {r['requests']} | {r['failures']} | {r['per_second']:.1f} | "
            f"{r['p50_ms']:.0f} | {r['p95_ms']:.0f} |"
        )
    lines += [
        "",
        f"API: {result['created_201']} answers 201, {result['api_other_answers']} other; "
        f"{result['enrolment_rows']} enrolment rows written.",
    ]
    problems = check(result)
    lines.append("Checks: " + ("all passed" if not problems else "; ".join(problems)))
    return "\n".join(lines)


def add_arguments(parser) -> None:
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--load-minutes", dest="minutes", type=float, default=3.0)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--seed", type=int, default=41)
    parser.add_argument("--any-database", action="store_true")
    parser.add_argument("--scale", type=float, default=None, help="if data must be generated")
    args = parser.parse_args(argv)
    common.setup(any_database=args.any_database)
    from bench.generate import generate

    generate(common.default_scale() if args.scale is None else args.scale, reset=False)
    result = run_load(args)
    text = report(result)
    (common.OUT / "load-latest.md").write_text(text + "\n")
    (common.OUT / "load-latest.json").write_text(json.dumps(result, indent=1))
    print(text)
    return 1 if check(result) else 0


if __name__ == "__main__":
    sys.exit(main())
