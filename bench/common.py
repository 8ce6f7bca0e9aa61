"""Shared set-up of the benchmark scripts: which database, Django settings, migrations.

Database: `DATABASE_URL` if set (PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/finsam_bench;
the database is created if missing), otherwise a separate SQLite file `bench/out/bench.sqlite3`
(never the development database `db.sqlite3`). As a guard against benchmarking into real data,
the database name must contain "bench" unless `--any-database` is given, and the database `test`
(used by CI) is always refused.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SQLITE_FILE = OUT / "bench.sqlite3"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_FILE}"


def is_postgres(url: str | None = None) -> bool:
    return (url or database_url()).startswith(("postgres://", "postgresql://", "pgsql://"))


def default_scale() -> float:
    """Full national scale on PostgreSQL, a small one on SQLite."""
    return 1.0 if is_postgres() else 0.01


def check_database(url: str, *, any_database: bool = False) -> None:
    name = urlparse(url).path.lstrip("/") if is_postgres(url) else Path(urlparse(url).path).name
    if name == "test":
        sys.exit("Refusing to benchmark into the database 'test' (CI uses it).")
    if not any_database and "bench" not in name:
        sys.exit(
            f"Refusing to benchmark into '{name}': use a database whose name contains 'bench' "
            "(e.g. finsam_bench) or pass --any-database."
        )


def create_postgres_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres", scheme="postgresql", query="").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}")


def setup(*, any_database: bool = False, migrate: bool = True) -> None:
    """Configure and start Django for a benchmark run."""
    url = database_url()
    check_database(url, any_database=any_database)
    OUT.mkdir(parents=True, exist_ok=True)
    if is_postgres(url):
        create_postgres_database(url)
    os.environ["DATABASE_URL"] = url
    # FINSAM_TESTING gives the development defaults for the keys and plain static files, with
    # DEBUG off (no query log); nothing else in the request path depends on it, except the
    # statistics cache, which tests keep per process: the benchmark's servers share one on disk
    # (emptied here, as the database may have been generated again).
    os.environ.setdefault("FINSAM_TESTING", "1")
    stats_cache = OUT / "statistics-cache"
    shutil.rmtree(stats_cache, ignore_errors=True)
    os.environ.setdefault("STATISTICS_CACHE_DIR", str(stats_cache))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
