"""`make fuzz`: schemathesis against a live server, once for every role.

Builds a throwaway database (a SQLite file in a temporary folder, or `DATABASE_URL` if it names a
PostgreSQL database whose name contains "fuzz", which is dropped and created anew), migrates it,
loads the demo (`load_demo`: one login per role), creates an API token for each role and starts
gunicorn on a free port of 127.0.0.1 in production mode (DEBUG off, random keys made for this
run). Then for each role it runs `schemathesis run` on `/api/openapi.json` with the checks below,
a bounded number of examples per operation and a time budget, prints one line per role and
exits non-zero if any role had a server error, a response outside the schema or a run error.

    make fuzz                                # 7 roles, about 35 s each
    make fuzz FUZZ_ARGS="--max-time 10 --roles registrar"

Not part of `make test` or CI: it runs for minutes and its cases vary with the seed.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# The checks of the brief: no server error, and every response (status, content type, headers,
# body) as the OpenAPI document says. Left out: `positive_data_acceptance` (a schema-valid body is
# still refused by business rules the schema cannot express, e.g. a personal identity number's
# check digit or a start date before the initiative's), `negative_data_rejection` (empty query
# parameters are ignored like on the pages' filter forms), and the checks that need write links
# between operations (`use_after_free`, `ensure_resource_availability`).
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "ignored_auth",
)
SERVER_ERROR = "ST101"

# Role → the demo login that has it (finsam/demo/loading.py LOGINS).
ROLES = {
    "operator": "operator@demo.finsam.se",
    "secretariat": "kansli@skaraborg.demo.finsam.se",
    "initiative_manager": "insatsansvarig@skaraborg.demo.finsam.se",
    "registrar": "registrator@skaraborg.demo.finsam.se",
    "board": "styrelse@skaraborg.demo.finsam.se",
    "applicant": "sokande@skaraborg.demo.finsam.se",
    "analyst": "analytiker@skaraborg.demo.finsam.se",
}


def create_token(user) -> str:
    """The API token of `user` (the one place where the fuzz run makes credentials)."""
    from finsam.accounts.services import api_token_create

    _token, key = api_token_create(user=user, name="make fuzz")
    return key


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def fresh_postgres_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if "fuzz" not in name:
        sys.exit(f"Refusing to fuzz into '{name}': use a database whose name contains 'fuzz'.")
    admin = parsed._replace(path="/postgres", scheme="postgresql", query="").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def server_env(workdir: Path) -> dict[str, str]:
    """Production settings with keys made for this run only."""
    url = os.environ.get("DATABASE_URL", "")
    if url and is_postgres(url):
        fresh_postgres_database(url)
    else:
        url = f"sqlite:///{workdir / 'fuzz.sqlite3'}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "FINSAM_TESTING": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": secrets.token_urlsafe(32),
        "LOOKUP_HASH_KEY": secrets.token_urlsafe(32),
        "DOCUMENT_CACHE_DIR": str(workdir / "documents"),
        "LOG_LEVEL": "ERROR",
    }


def prepare_data() -> dict[str, str]:
    """Migrate, load the demo and return an API token per role (Django set up from os.environ)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from finsam.accounts.models import User
    from finsam.demo.loading import load_demo

    call_command("migrate", interactive=False, verbosity=0)
    load_demo(reports_and_finance=False)
    tokens = {role: create_token(User.objects.get(email=email)) for role, email in ROLES.items()}
    connections.close_all()
    return tokens


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        # The application is under test, not gunicorn's request-line limit (answered with
        # gunicorn's own HTML 414 before Django sees the request; a front server has its own).
        "--limit-request-line",
        "0",
        "--error-logfile",
        str(log),
    ]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    schema_url = f"http://127.0.0.1:{port}/api/openapi.json"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {process.returncode}); see {log}")
        try:
            with urllib.request.urlopen(schema_url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    sys.exit(f"gunicorn did not answer within 30 s; see {log}")


def fuzz_role(role: str, token: str, port: int, args, report_dir: Path) -> dict:
    """Run schemathesis as `role`; return its JSON report."""
    report = report_dir / f"{role}.json"
    command = [
        str(BIN / "schemathesis"),
        "run",
        f"http://127.0.0.1:{port}/api/openapi.json",
        "--checks",
        ",".join(CHECKS),
        "--header",
        f"Authorization: Token {token}",
        "--max-examples",
        str(args.max_examples),
        "--max-time",
        str(args.max_time),
        "--seed",
        str(args.seed),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    log = report_dir / f"{role}.txt"
    with log.open("wb") as out:
        subprocess.run(command, cwd=report_dir, stdout=out, stderr=subprocess.STDOUT, check=False)
    if not report.exists():
        return {"failures": [], "errors": [{"message": f"no report, see {log}"}], "log": log}
    return {**json.loads(report.read_text()), "log": log}


def summary(role: str, result: dict) -> tuple[str, bool]:
    failures = result.get("failures", [])
    server_errors = sum(f["count"] for f in failures if f["code"] == SERVER_ERROR)
    violations = sum(f["count"] for f in failures if f["code"] != SERVER_ERROR)
    errors = len(result.get("errors", []))
    cases = result.get("test_cases", {}).get("generated", 0)
    ok = not (server_errors or violations or errors) and cases > 0
    line = (
        f"{role:<19} {cases:>6} cases  {server_errors} server errors  "
        f"{violations} schema violations  {errors} run errors  "
        f"{'ok' if ok else 'FAILED: see ' + str(result['log'])}"
    )
    return line, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--roles", nargs="+", choices=list(ROLES), default=list(ROLES))
    parser.add_argument("--max-examples", type=int, default=25, help="per operation and phase")
    parser.add_argument("--max-time", type=int, default=30, help="seconds per role")
    parser.add_argument("--seed", type=int, default=None, help="default: a random seed")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    args.seed = args.seed if args.seed is not None else secrets.randbelow(2**31)

    workdir = Path(tempfile.mkdtemp(prefix="finsam-fuzz-"))
    started = time.monotonic()
    server = None
    all_ok = False
    try:
        env = server_env(workdir)
        os.environ.update(env)
        tokens = prepare_data()
        port = free_port()
        server = start_server(env, port, workdir / "server.log")
        print(f"fuzz: seed {args.seed}, server 127.0.0.1:{port}, reports in {workdir}")
        all_ok = True
        for role in args.roles:
            line, ok = summary(role, fuzz_role(role, tokens[role], port, args, workdir))
            print(line, flush=True)
            all_ok = all_ok and ok
        print(f"fuzz: {'passed' if all_ok else 'FAILED'} in {time.monotonic() - started:.0f} s")
        return 0 if all_ok else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if all_ok and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"fuzz: reports and server log kept in {workdir}")


if __name__ == "__main__":
    sys.exit(main())
