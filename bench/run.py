"""`make bench`: generate national-scale data if missing, then measure.

    python bench/run.py [--scale S] [--service-calls 2000] [--http-calls 500]
                        [--list-requests 30] [--gunicorn] [--reset]

(a) enrolments per second through the service layer (`enrolment_register`, identified
    participants with consent: validation, encryption, look-up hash, history, audit row);
(b) enrolments per second through HTTP, in-process with Django's test client through the whole
    middleware stack: the JSON API (POST /api/v1/initiatives/<id>/enrolments/, token) and the
    registrar's enrol form (POST /participants/initiative/<id>/enrol/, session); with
    `--gunicorn` also the API through a real gunicorn on 127.0.0.1 (config/gunicorn.conf.py:
    2 gthread workers × 4 threads), by one client and by four, on kept-alive connections;
(c) the registrar's list page of an initiative with 2 000 enrolments (100 rows a page):
    median and p95 over N requests, and the number of SQL queries per request;
(d)–(f) issue 3 (bench/stats_bench.py): national statistics by the engine beside hand-written
    SQL (ratio, numbers checked equal), the statistics pages, and the compiled report (PDF and
    DOCX) of an association with 30 initiatives. `--skip-enrolments` runs only these,
    `--skip-statistics` only (a)–(c).

`--import-bombs` also runs bench/import_bombs.py (crafted import files, peak memory and time).
`--load` runs only the bounded locust run of bench/load.py (50 users, 3 minutes, loopback).
`--catalogue` runs only bench/catalogue.py (the public catalogue's search, issue 11).

Figures are printed (with ratios, no pass/fail) and written to bench/out/. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


class QueryCount:
    """Count the SQL queries of a block (the count is read at exit: the next request made
    through the test client resets Django's query log)."""

    def __enter__(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self._context = CaptureQueriesContext(connection)
        self._context.__enter__()
        return self

    def __exit__(self, *exc):
        self._context.__exit__(*exc)
        self.count = len(self._context)


class Fixture:
    """The registrar, a fresh initiative per benchmark, inputs with unique identities."""

    def __init__(self, seed: int):
        from bench.generate import REGISTRAR_EMAIL
        from finsam.accounts.models import User
        from finsam.associations.models import Association
        from finsam.reference.models import Code, CodeListKey

        self.rng = random.Random(seed)
        self.user = User.objects.get(email=REGISTRAR_EMAIL)
        self.association = Association.objects.get(slug="bench-01")
        self.municipalities = list(self.association.municipalities.all())
        self.codes = {cl: list(Code.objects.of(cl)) for cl in CodeListKey.values}
        self.used: set[str] = set()
        self.stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")

    def initiative(self, label: str):
        from finsam.accounts.models import InitiativeAssignment
        from finsam.core.roles import Role
        from finsam.initiatives.models import Initiative

        initiative = Initiative.objects.create(
            association=self.association,
            name=f"Bench {label} {self.stamp}",
            owner_organisation="Benchmark",
            start_date=datetime.date(2020, 1, 1),
        )
        InitiativeAssignment.objects.create(
            user=self.user, initiative=initiative, role=Role.REGISTRAR
        )
        return initiative

    def person(self):
        from finsam.demo.identities import personal_number

        while True:
            gender = self.rng.choice(("woman", "man"))
            birth = datetime.date(1960, 1, 1) + datetime.timedelta(
                days=self.rng.randrange(45 * 365)
            )
            number = personal_number(birth, gender, self.rng)
            if number not in self.used:
                self.used.add(number)
                return number, gender

    def pick(self, code_list):
        return self.rng.choice(self.codes[code_list])

    def start_date(self):
        return datetime.date(2024, 1, 1) + datetime.timedelta(days=self.rng.randrange(600))


def bench_service(fx: Fixture, n: int) -> dict:
    from finsam.participants.services import ConsentInput, EnrolmentInput, enrolment_register
    from finsam.staff.access import build_access

    initiative = fx.initiative("service")
    access = build_access(fx.user, fx.association.pk)
    inputs = []
    for _ in range(n):
        number, _gender = fx.person()
        start = fx.start_date()
        inputs.append(
            EnrolmentInput(
                start_date=start,
                personal_number=number,
                name="Bench Deltagare",
                home_municipality=fx.rng.choice(fx.municipalities),
                income_sources_before=[fx.pick("income_source")],
                occupation_before=fx.pick("occupation"),
                education=fx.pick("education"),
                time_outside_work=fx.pick("time_outside_work"),
                referrer=fx.pick("referrer"),
                consent=ConsentInput(given_on=start, method="paper", form_version="FK 9443"),
            )
        )
    started = time.perf_counter()
    for data in inputs[1:]:
        enrolment_register(access=access, initiative=initiative, data=data)
    seconds = time.perf_counter() - started
    with QueryCount() as queries:
        enrolment_register(access=access, initiative=initiative, data=inputs[0])
    n -= 1
    return {
        "calls": n,
        "seconds": round(seconds, 2),
        "per_second": round(n / seconds, 1),
        "queries_per_call": queries.count,
    }


def _api_payload(fx: Fixture) -> dict:
    number, _gender = fx.person()
    start = fx.start_date().isoformat()
    return {
        "start_date": start,
        "personal_number": number,
        "name": "Bench Deltagare",
        "home_municipality": fx.rng.choice(fx.municipalities).code,
        "income_sources_before": [fx.pick("income_source").code],
        "occupation_before": fx.pick("occupation").code,
        "education": fx.pick("education").code,
        "time_outside_work": fx.pick("time_outside_work").code,
        "referrer": fx.pick("referrer").code,
        "consent": {"given_on": start, "method": "paper", "form_version": "FK 9443"},
    }


def _token(fx: Fixture) -> str:
    from finsam.accounts.models import ApiToken

    return ApiToken.objects.create(user=fx.user, name="bench")[1]


def _registrar_client(fx: Fixture):
    """A client logged in as the registrar in a session that passed two factors."""
    from django.test import Client

    from finsam.conftest import pass_second_factor

    client = Client()
    client.force_login(fx.user)
    pass_second_factor(client, fx.user)
    return client


def bench_http_api(fx: Fixture, n: int) -> dict:
    from django.test import Client
    from django.urls import reverse

    initiative = fx.initiative("api")
    url = reverse("api:initiative_enrolments", kwargs={"version": "v1", "pk": initiative.pk})
    url += f"?association={fx.association.pk}"
    client = Client(HTTP_AUTHORIZATION=f"Token {_token(fx)}")
    payloads = [_api_payload(fx) for _ in range(n)]
    failures = 0
    started = time.perf_counter()
    for payload in payloads[1:]:
        response = client.post(url, data=payload, content_type="application/json")
        failures += response.status_code != 201
    seconds = time.perf_counter() - started
    with QueryCount() as queries:
        client.post(url, data=payloads[0], content_type="application/json")
    n -= 1
    return {
        "calls": n,
        "failures": failures,
        "queries_per_call": queries.count,
        "seconds": round(seconds, 2),
        "per_second": round((n - failures) / seconds, 1),
        "how": "Django test client (in-process, full middleware), POST JSON to the API, token",
    }


def bench_http_form(fx: Fixture, n: int) -> dict:
    from django.urls import reverse

    initiative = fx.initiative("form")
    url = reverse("participants:enrol", kwargs={"initiative_id": initiative.pk})
    client = _registrar_client(fx)
    forms = []
    for _ in range(n):
        number, _gender = fx.person()
        start = fx.start_date().isoformat()
        forms.append(
            {
                "anonymous_reason": "",
                "personal_number": number,
                "name": "Bench Deltagare",
                "gender": "",
                "start_date": start,
                "home_municipality": fx.rng.choice(fx.municipalities).pk,
                "income_sources_before": [fx.pick("income_source").pk],
                "occupation_before": fx.pick("occupation").pk,
                "education": fx.pick("education").pk,
                "time_outside_work": fx.pick("time_outside_work").pk,
                "referrer": fx.pick("referrer").pk,
                "consent_given_on": start,
                "consent_method": "paper",
                "consent_form_version": "FK 9443",
                "consent_language": "svenska",
            }
        )
    failures = 0
    started = time.perf_counter()
    for data in forms[1:]:
        response = client.post(url, data=data)
        failures += response.status_code != 302
    seconds = time.perf_counter() - started
    with QueryCount() as queries:
        client.post(url, data=forms[0])
    n -= 1
    return {
        "calls": n,
        "failures": failures,
        "queries_per_call": queries.count,
        "seconds": round(seconds, 2),
        "per_second": round((n - failures) / seconds, 1),
        "how": "Django test client (in-process, full middleware), POST the enrol form, session",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(*, workers: int = 2, threads: int = 4):
    """gunicorn with the project's config (config/gunicorn.conf.py: gthread) on a free loopback
    port; returns (process, base URL) once it answers."""
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
    }
    process = subprocess.Popen(
        [str(gunicorn), "-c", "config/gunicorn.conf.py", "config.wsgi", "--log-level", "warning"],
        cwd=common.ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/health/", timeout=2).close()
            break
        except OSError:
            time.sleep(0.2)
    return process, base


def stop_gunicorn(process) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def _post_all(port: int, path: str, token: str, bodies: list[bytes]) -> int:
    """POST each body on one kept-alive connection; the number of answers other than 201."""
    import http.client

    failures = 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    for body in bodies:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        failures += response.status != 201
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.close()
    return failures


def bench_http_gunicorn(fx: Fixture, n: int, *, clients: int = 1, workers=2, threads=4) -> dict:
    """n registrations through gunicorn by `clients` concurrent clients, each on one kept-alive
    connection."""
    from concurrent.futures import ThreadPoolExecutor

    initiative = fx.initiative(f"gunicorn {clients}")
    token = _token(fx)
    process, base = start_gunicorn(workers=workers, threads=threads)
    try:
        port = int(base.rsplit(":", 1)[1])
        path = f"/api/v1/initiatives/{initiative.pk}/enrolments/?association={fx.association.pk}"
        # A warm-up request per worker thread (imports, first connection).
        warm = [json.dumps(_api_payload(fx)).encode() for _ in range(workers * threads)]
        _post_all(port, path, token, warm)
        payloads = [json.dumps(_api_payload(fx)).encode() for _ in range(n)]
        shares = [payloads[i::clients] for i in range(clients)]
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            failures = sum(pool.map(lambda share: _post_all(port, path, token, share), shares))
        seconds = time.perf_counter() - started
    finally:
        stop_gunicorn(process)
    return {
        "calls": n,
        "clients": clients,
        "failures": failures,
        "seconds": round(seconds, 2),
        "per_second": round((n - failures) / seconds, 1),
        "how": f"gunicorn gthread ({workers} workers × {threads} threads) on 127.0.0.1, "
        f"{clients} client(s) on kept-alive connections, API",
    }


def bench_list(fx: Fixture, requests: int) -> dict:
    from django.urls import reverse

    from bench.generate import TARGET_NAME
    from finsam.initiatives.models import Initiative

    target = Initiative.objects.get(association=fx.association, name=TARGET_NAME)
    client = _registrar_client(fx)
    url = reverse("participants:initiative_participants", kwargs={"initiative_id": target.pk})
    out = {"initiative_enrolments": target.enrolments.count(), "requests": requests}
    last = -(-out["initiative_enrolments"] // 100)
    variants = {
        "active, page 1": {},
        "all, page 1": {"status": "all"},
        f"all, last page ({last})": {"status": "all", "page": str(last)},
    }
    for label, params in variants.items():
        response = client.get(url, params)  # warm-up
        if response.status_code != 200:
            out[label] = {"status": response.status_code}
            continue
        with QueryCount() as queries:
            client.get(url, params)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url, params)
            times.append((time.perf_counter() - started) * 1000)
        out[label] = {
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "queries": queries.count,
            "bytes": len(response.content),
        }
    return out


def environment() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version()"
            if connection.vendor == "postgresql"
            else "SELECT 'SQLite ' || sqlite_version()"
        )
        version = cursor.fetchone()[0].split(" on ")[0]
    return {
        "database": version,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
    }


def report(results: dict) -> str:
    from bench import stats_bench

    gen = results["generate"]
    svc = results.get("service")
    lines = [
        f"# finsam benchmark, {results['when']}",
        "",
        f"- Database: {results['environment']['database']}; Python "
        f"{results['environment']['python']}; {results['environment']['cpus']} CPUs",
        f"- Data: {gen['sizes']['associations']} associations, {gen['sizes']['initiatives']} "
        f"initiatives, {gen['enrolments']} enrolments"
        + (f" (generated in {gen['seconds']} s)" if not gen.get("skipped") else " (existing)"),
        "",
    ]
    if svc:
        lines += _enrolment_report(results)
    if results.get("issue3"):
        lines += ["", stats_bench.report(results["issue3"])]
    return "\n".join(lines) + "\n"


def _enrolment_report(results: dict) -> list[str]:
    svc = results["service"]
    lines = [
        "| benchmark | calls | time (s) | enrolments/s | vs service layer | SQL queries/call |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| (a) service layer `enrolment_register` | {svc['calls']} | {svc['seconds']} | "
        f"{svc['per_second']} | 1.00 | {svc['queries_per_call']} |",
    ]
    for key, label in (
        ("http_api", "(b) HTTP: API, test client"),
        ("http_form", "(b) HTTP: enrol form, test client"),
        ("http_gunicorn", "(b) HTTP: API, gunicorn, 1 client"),
        ("http_gunicorn_4", "(b) HTTP: API, gunicorn, 4 clients"),
    ):
        r = results.get(key)
        if r:
            ratio = r["per_second"] / svc["per_second"] if svc["per_second"] else 0
            lines.append(
                f"| {label} | {r['calls']} (failed {r['failures']}) | {r['seconds']} | "
                f"{r['per_second']} | {ratio:.2f} | {r.get('queries_per_call', '–')} |"
            )
    lst = results["list"]
    lines += [
        "",
        f"(c) Registrar list page, initiative with {lst['initiative_enrolments']} enrolments, "
        f"100 rows a page, {lst['requests']} requests each:",
        "",
        "| page | median (ms) | p95 (ms) | SQL queries | bytes |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, r in lst.items():
        if isinstance(r, dict) and "median_ms" in r:
            lines.append(
                f"| {label} | {r['median_ms']} | {r['p95_ms']} | {r['queries']} | {r['bytes']} |"
            )
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--reset", action="store_true", help="regenerate the data")
    parser.add_argument("--service-calls", type=int, default=2000)
    parser.add_argument("--http-calls", type=int, default=500)
    parser.add_argument("--list-requests", type=int, default=30)
    parser.add_argument("--gunicorn", action="store_true", help="also the API through gunicorn")
    parser.add_argument("--any-database", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-enrolments", action="store_true", help="only (d)–(f)")
    parser.add_argument("--skip-statistics", action="store_true", help="only (a)–(c)")
    parser.add_argument("--import-bombs", action="store_true", help="also bench/import_bombs.py")
    parser.add_argument(
        "--load", action="store_true", help="only the bounded locust run (bench/load.py)"
    )
    parser.add_argument(
        "--catalogue",
        action="store_true",
        help="only the catalogue search, 3 000 entries (bench/catalogue.py)",
    )
    from bench import load, stats_bench

    stats_bench.add_arguments(parser)
    load.add_arguments(parser)
    args = parser.parse_args(argv)
    if args.catalogue:
        from bench import catalogue

        catalogue.main(["--any-database"] if args.any_database else [])
        return
    common.setup(any_database=args.any_database)
    # WhiteNoise warns that STATIC_ROOT does not exist; the benchmark serves no static files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    from bench.generate import generate

    scale = args.scale if args.scale is not None else common.default_scale()
    results = {"when": datetime.datetime.now().isoformat(timespec="seconds"), "scale": scale}
    results["environment"] = environment()
    print(f"== generate (scale {scale})")
    results["generate"] = generate(scale, reset=args.reset)
    if args.load:
        outcome = load.run_load(args)
        text = load.report(outcome)
        (common.OUT / "load-latest.md").write_text(text + "\n")
        (common.OUT / "load-latest.json").write_text(json.dumps(outcome, indent=1))
        print(text)
        sys.exit(1 if load.check(outcome) else 0)
    fx = Fixture(args.seed)
    if not args.skip_enrolments:
        print(f"== (a) service layer: {args.service_calls} × enrolment_register")
        results["service"] = bench_service(fx, args.service_calls)
        print(f"   {results['service']}")
        print(f"== (b) HTTP: {args.http_calls} × POST API, {args.http_calls} × POST enrol form")
        results["http_api"] = bench_http_api(fx, args.http_calls)
        print(f"   {results['http_api']}")
        results["http_form"] = bench_http_form(fx, args.http_calls)
        print(f"   {results['http_form']}")
        if args.gunicorn:
            for clients in (1, 4):
                key = "http_gunicorn" if clients == 1 else f"http_gunicorn_{clients}"
                results[key] = bench_http_gunicorn(fx, args.http_calls, clients=clients)
                print(f"   {results[key]}")
        print(f"== (c) registrar list page × {args.list_requests}")
        results["list"] = bench_list(fx, args.list_requests)
    if not args.skip_statistics:
        results["issue3"] = stats_bench.run(args)
    if args.import_bombs:
        from bench import import_bombs

        print("== import bombs (each file in its own process)")
        import_bombs.main(["--full-import"])
    text = report(results)
    stem = f"results-{results['environment']['database'].split()[0].lower()}-{fx.stamp}"
    (common.OUT / f"{stem}.json").write_text(json.dumps(results, indent=1, default=str))
    (common.OUT / f"{stem}.md").write_text(text)
    (common.OUT / "latest.md").write_text(text)
    print()
    print(text)
    print(f"Written to bench/out/{stem}.md and .json")


if __name__ == "__main__":
    main()
