"""`make a11y`: axe-core in headless Chromium on the main pages of every demo role.

Starts a development server (DEBUG=1) on a free port of 127.0.0.1 with a throwaway SQLite
database (migrate, createcachetable, load_demo), logs in as each demo login (TOTP for the
two-factor roles), visits the menu's pages and the pages they link to (same origin, GET only,
no downloads, at most --pages a role), runs axe-core on each, at desktop width and at 390 px, and
prints, per role, the violations by impact, rule and page count. Exits non-zero on any critical or
serious violation or a page wider than a 390 px screen. The check is the test suite's
(`finsam/core/tests/axe.py`, with the vendored axe-core; `test_axe_browser.py` runs it on every
page of the permission walk in `make test`); this script runs it on the demo data.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import urldefrag, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from finsam.core.tests import axe  # noqa: E402 (the repository on the path first)

PASSWORD = "finsam-demo-2026"
# Role → demo login and, for the two-factor logins, the TOTP secret (finsam/demo/loading.py).
ROLES = {
    "operator": ("operator@demo.finsam.se", "FINSAMDEMOOPERATORSYSTEMFORVALT2"),
    "secretariat": ("kansli@skaraborg.demo.finsam.se", None),
    "initiative_manager": ("insatsansvarig@skaraborg.demo.finsam.se", None),
    "registrar": ("registrator@skaraborg.demo.finsam.se", "FINSAMDEMOREGISTRATORSKARABORG22"),
    "board": ("styrelse@skaraborg.demo.finsam.se", None),
    "applicant": ("sokande@skaraborg.demo.finsam.se", None),
    "analyst": ("analytiker@skaraborg.demo.finsam.se", None),
}
# Paths that download files, end the session or are outside the pages a person reads.
SKIP = ("/accounts/logout", "/admin/", "/api/", "/static/", "/media/")
SKIP_SUFFIXES = (".csv", ".xlsx", ".pdf", ".json", ".zip", ".ods", ".txt")


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 30 s, 6 digits)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env: dict[str, str]) -> None:
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["createcachetable"], ["load_demo"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return process
        except OSError:
            if process.poll() is not None:
                sys.exit(f"The server did not start, see {log}")
            time.sleep(0.5)
    process.terminate()
    sys.exit(f"The server did not answer, see {log}")


def log_in(page, base: str, email: str, secret: str | None) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action$='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()
    # A code is accepted once: if this window's code was used already, wait for the next one.
    for attempt in range(2 if secret else 0):
        if attempt:
            time.sleep(30 - time.time() % 30 + 1)
        page.fill("input[name=code]", totp(secret))
        page.click("form[action*='/2fa/authenticate'] button[type=submit]")
        page.wait_for_load_state()
        if "/2fa/" not in urlparse(page.url).path:
            break
    if "/accounts/" in urlparse(page.url).path:
        sys.exit(f"Login as {email} failed (still on {page.url})")


def links(page, base: str, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        selector, "els => els.filter(a => !a.hasAttribute('download')).map(a => a.href)"
    )
    found = []
    for href in hrefs:
        url = urldefrag(href)[0]
        path = urlparse(url).path
        if (
            url.startswith(base + "/")
            and not path.startswith(SKIP)
            and not path.lower().endswith(SKIP_SUFFIXES)
        ):
            found.append(url)
    return list(dict.fromkeys(found))


def check_page(page, url: str) -> list[axe.Finding] | None:
    response = page.goto(url)
    if not axe.is_html(response):
        return None
    return axe.check_loaded(page, urlparse(url).path)


def walk_role(browser, base: str, role: str, limit: int, verbose: bool) -> dict:
    email, secret = ROLES[role]
    context = axe.new_context(browser)
    page = context.new_page()
    log_in(page, base, email, secret)
    start = page.url
    queue = [start] + links(page, base, "nav a[href], header a[href]")
    seen: set[str] = set()
    pages = 0
    by_rule: dict[tuple[str, str], list[str]] = defaultdict(list)
    first_level = set(queue)
    while queue and pages < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        violations = check_page(page, url)
        if violations is None:
            continue
        pages += 1
        for finding in violations:
            by_rule[(finding.impact, finding.rule)].append(f"{finding.path} @{finding.width}px")
            if verbose:
                print(f"  {finding}")
        if url in first_level:
            queue += [u for u in links(page, base, "main a[href]") if u not in seen]
    context.close()
    return {"pages": pages, "by_rule": by_rule}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40, help="most pages a role (40)")
    parser.add_argument("--role", action="append", choices=sorted(ROLES), help="only these roles")
    parser.add_argument("--verbose", action="store_true", help="print each page's violations")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="finsam-a11y-") as workdir:
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{workdir}/a11y.sqlite3",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("FINSAM_TESTING", None)
        print("Preparing the demo database …", flush=True)
        prepare(env)
        port = free_port()
        server = start_server(env, port, Path(workdir) / "server.log")
        base = f"http://127.0.0.1:{port}"
        failed = False
        try:
            with sync_playwright() as playwright:
                browser = axe.launch(playwright)
                for role in args.role or list(ROLES):
                    result = walk_role(browser, base, role, args.pages, args.verbose)
                    print(f"\n{role}: {result['pages']} pages")
                    for impact in axe.IMPACTS:
                        rules = sorted(
                            (rule, paths)
                            for (imp, rule), paths in result["by_rule"].items()
                            if imp == impact
                        )
                        for rule, paths in rules:
                            example = paths[0]
                            print(f"  {impact:<9} {rule:<32} {len(paths):>3} pages  e.g. {example}")
                    if any(impact in axe.FAILING for impact, _ in result["by_rule"]):
                        failed = True
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print("\nFAIL: critical or serious violations" if failed else "\nOK: no critical or serious")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
