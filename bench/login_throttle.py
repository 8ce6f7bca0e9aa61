"""Login throttling across processes, and the time a login takes for right, wrong and unknown.

Runs gunicorn with two sync workers on 127.0.0.1 over a database of its own (SQLite by default;
DATABASE_URL to use another), the throttle counting in the shared database cache, and sends:

1. 20 wrong passwords for one account (a new session each, so the two workers share the work);
2. then the right password for another account from the same address;
3. behind a trusted proxy (TRUSTED_PROXY_COUNT=1, every request from 127.0.0.1 with the client
   in X-Forwarded-For): one client guessing across 26 accounts, 4 tries each, then the same
   client with a right password, and a colleague behind the same proxy with hers;
4. right, wrong and unknown e-mail logins, 10 of each, timed (production password hasher).

    .venv/bin/python bench/login_throttle.py [--keep]
"""

from __future__ import annotations

import argparse
import collections
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Bench-lösenord-2026"
THROTTLED = "För många misslyckade inloggningsförsök"
ACCOUNTS = 40


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def setup(env) -> None:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    code = (
        "from django.contrib.auth.hashers import make_password\n"
        "from finsam.accounts.models import User\n"
        f"h = make_password({PASSWORD!r})\n"
        f"for n in range({ACCOUNTS}):\n"
        "    User.objects.get_or_create(email=f'user{n}@bench.se', defaults={'password': h})\n"
    )
    manage(env, "shell", "--no-imports", "-c", code)


def login(base: str, email: str, password: str, forwarded_for: str | None = None):
    """One login in a new session: (outcome, seconds of the POST)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    page = opener.open(urllib.request.Request(f"{base}/accounts/login/", headers=headers))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())[1]
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": email, "password": password}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=body, headers={**headers, "Referer": base + "/"}
    )
    started = time.perf_counter()
    try:
        response = opener.open(request)
        text = response.read().decode()
        seconds = time.perf_counter() - started
        return ("throttled" if THROTTLED in text else "refused"), seconds
    except urllib.error.HTTPError as exc:
        seconds = time.perf_counter() - started
        if exc.code == 302:
            return "logged in", seconds
        if exc.code == 429:
            return "429", seconds
        raise


def serve(env, log_path: Path):
    port = free_port()
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--access-logfile",
            "-",
            "--access-logformat",
            "%(p)s %(m)s %(U)s %(s)s",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/health/", timeout=2).close()
            break
        except OSError:
            time.sleep(0.2)
    return process, base


def post_pids(log_path: Path) -> collections.Counter:
    pids = collections.Counter()
    for line in log_path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[1] == "POST" and parts[2] == "/accounts/login/":
            pids[parts[0]] += 1
    return pids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="finsam-throttle-"))
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp / 'db.sqlite3'}"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("FINSAM_TESTING", None)
    env.pop("TRUSTED_PROXY_COUNT", None)
    print(f"database: {env['DATABASE_URL']}")
    setup(env)

    # 1 and 2: two workers, one address.
    log1 = tmp / "access-1.log"
    process, base = serve(env, log1)
    try:
        outcomes = collections.Counter(
            login(base, "user0@bench.se", "fel-lösenord")[0] for _ in range(20)
        )
        other = login(base, "user1@bench.se", PASSWORD)[0]
    finally:
        process.terminate()
        process.wait()
    pids = post_pids(log1)
    print("1. 20 wrong passwords for one account, two gunicorn workers:")
    print(f"   checked (refused): {outcomes['refused']}, throttled: {outcomes['throttled']}")
    print(f"   login POSTs per worker pid: {dict(pids)}")
    print(f"2. another account, right password, same address: {other}")

    # 3: behind a trusted proxy.
    log2 = tmp / "access-2.log"
    process, base = serve({**env, "TRUSTED_PROXY_COUNT": "1"}, log2)
    try:
        spray = collections.Counter(
            login(base, f"user{n}@bench.se", "fel-lösenord", "198.51.100.7")[0]
            for n in range(2, 28)
            for _ in range(4)
        )
        attacker = login(base, "user28@bench.se", PASSWORD, "198.51.100.7")[0]
        colleague = login(base, "user29@bench.se", PASSWORD, "198.51.100.8")[0]

        # 4: timing, from fresh addresses and (wrong) fresh accounts: nothing is throttled.
        times: dict[str, list[float]] = {"right": [], "wrong": [], "unknown": []}
        for n in range(10):
            ip = f"192.0.2.{n}"
            times["right"].append(login(base, "user29@bench.se", PASSWORD, ip)[1])
            times["wrong"].append(login(base, f"user{30 + n}@bench.se", "fel", ip)[1])
            times["unknown"].append(login(base, f"okand{n}@bench.se", "fel", ip)[1])
    finally:
        process.terminate()
        process.wait()
    print("3. behind one proxy: a client guessing 4 times each at 26 accounts:")
    print(f"   {dict(spray)}")
    print(f"   then that client with a right password: {attacker}")
    print(f"   a colleague behind the same proxy, right password: {colleague}")
    print("4. login POST, median / min / max seconds over 10 (PBKDF2, two workers):")
    for name, values in times.items():
        print(
            f"   {name:8s} {statistics.median(values):.3f} / {min(values):.3f} / {max(values):.3f}"
        )
    if not args.keep and "DATABASE_URL" not in os.environ:
        for path in tmp.iterdir():
            path.unlink()
        tmp.rmdir()


if __name__ == "__main__":
    main()
