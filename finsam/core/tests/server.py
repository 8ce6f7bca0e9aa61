"""A real server for tests that need concurrency: `manage.py runserver` (threaded, what
`make run` serves) in a subprocess, on a copy of the test database.

pytest-django's `live_server` cannot show locking: on SQLite its test database is in memory and
shared with the server thread through a single connection. Here, on SQLite, the test's
(committed) data is copied into a database file, so that each of the server's threads opens its
own connection as in production; on PostgreSQL the server uses the test database itself. Tests
using it need `transactional_db`, so that what they created is committed and visible.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client

from finsam.conftest import pass_second_factor

MANAGE = Path(settings.BASE_DIR) / "manage.py"
# The CSRF secret the test clients send as cookie and header (Django accepts the unmasked secret).
CSRF_TOKEN = "t" * 32


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(path: Path) -> str:
    """The server's database: on SQLite a file copy of the test database, else the same."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    settings_dict = connection.settings_dict
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


@contextmanager
def running_server(tmp_path: Path):
    """Serve the test database; yield the server's base URL. On SQLite what the server wrote is
    copied back into the test database when it stops, for the test to check."""
    port = _free_port()
    database = tmp_path / "server.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(database),
        "FINSAM_TESTING": "1",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    log = (tmp_path / "server.log").open("w")
    # --insecure: serve the static files (htmx, the page scripts) with DEBUG off.
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, str(MANAGE), "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=settings.BASE_DIR,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, tmp_path / "server.log")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(database)) as copy:
            copy.backup(connection.connection)


def _wait_until_up(base: str, process, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/health/", timeout=2):  # noqa: S310 - local
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"the server did not start:\n{log_path.read_text()}")


def session_cookie(user) -> str:
    """A session of `user` signed in with password and TOTP, as allauth records it."""
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)
    return client.session.session_key


def cookies(user) -> dict[str, str]:
    """The cookies of a signed-in browser of `user` (session and CSRF)."""
    return {settings.SESSION_COOKIE_NAME: session_cookie(user), "csrftoken": CSRF_TOKEN}
