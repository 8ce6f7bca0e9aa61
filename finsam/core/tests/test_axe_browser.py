"""axe-core on every page of the permission walk, as every role, in a real browser: no critical
or serious violation of the WCAG 2.0/2.1 A and AA rules, at desktop width and at 390 px, and at
390 px no page wider than the screen. Also the error state of the main forms (a submit the
services reject), whose error summary must link to fields that exist.

The pages are the permission walk's (`walk.NAMES` with `walk.build_objects`' own objects) that
answer the role 200 with a whole HTML page; the check itself is `axe.check_loaded`, shared with
`make a11y`. Runs Debian's Chromium (/usr/bin/chromium) through Playwright against a real server
(`finsam.core.tests.server`), one browser and one page a role; skipped when either is missing.
It runs on SQLite only: the pages are the same on PostgreSQL, and the suite stays within its time.
"""

import re
import time

import pytest
from django.conf import settings

from finsam.core.tests import axe
from finsam.core.tests.server import running_server, session_cookie
from finsam.core.tests.walk import A_USERS, NAMES, url_of

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (the dev extra)"
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not axe.CHROMIUM.exists(), reason=f"no Chromium at {axe.CHROMIUM}"),
    pytest.mark.skipif(
        "sqlite" not in settings.DATABASES["default"]["ENGINE"],
        reason="run on SQLite only (the same pages; the suite's time on PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True),
]
# Forms shown in their error state: URL name → the POST (beside the CSRF token) the services
# reject. Each is submitted by the first role (in A_USERS' order) the page answers.
ERROR_STATES = {
    "participants:enrol": {},
    "participants:exit": {},
    "accounts:invite": {},
    "reports:detail": {"project_name": "x" * 201},
    "associations:edit": {},
    "initiatives:create": {},
}
# Submit a form of the given fields with the page's CSRF token (from htmx's headers on <body>).
_SUBMIT = """data => {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = location.pathname;
  const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
  for (const [name, value] of Object.entries({csrfmiddlewaretoken: token, ...data})) {
    const input = document.createElement('input');
    input.type = 'hidden'; input.name = name; input.value = value;
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
}"""
# The error summary's links to ids that do not exist, or null when there is no summary.
_BROKEN_SUMMARY_LINKS = """() => {
  const summary = document.querySelector('[data-error-summary]');
  if (!summary) return null;
  return [...summary.querySelectorAll('a[href^="#"]')]
    .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id));
}"""


def _pages(client, client_for, user, objects):
    """The walk's URLs that answer `user` 200 with a whole HTML page."""
    client_for(user)
    pages = []
    for name in NAMES:
        url = url_of(name, objects["own"])
        response = client.get(url)
        if (
            response.status_code == 200
            and "text/html" in response.get("Content-Type", "")
            and not getattr(response, "streaming", False)
            and re.search(rb"<html[\s>]", response.content[:500])
        ):
            pages.append((name, url))
    return pages


def test_every_page_as_every_role_passes_axe_at_desktop_and_phone_width(
    world, objects, client, client_for, tmp_path
):
    started = time.monotonic()
    findings, checked, error_states, summaries = [], 0, set(), []
    pages = {who: _pages(client, client_for, world.user(who), objects) for who in A_USERS}
    # Sessions made before the server starts (on SQLite it serves a copy of the test database).
    sessions = {who: session_cookie(world.user(who)) for who in A_USERS}
    prepared = time.monotonic() - started
    with running_server(tmp_path) as base, sync_api.sync_playwright() as playwright:
        browser = axe.launch(playwright)
        for who in A_USERS:
            context = axe.new_context(browser)
            cookie = {"name": settings.SESSION_COOKIE_NAME, "value": sessions[who], "url": base}
            context.add_cookies([cookie])
            page = context.new_page()
            for name, url in pages[who]:
                response = page.goto(base + url)
                assert response.status == 200, f"{who} GET {url}: {response.status}"
                findings += axe.check_loaded(page, f"{who} {url}")
                checked += 1
                if name in ERROR_STATES and name not in error_states:
                    error_states.add(name)
                    with page.expect_navigation():
                        page.evaluate(_SUBMIT, ERROR_STATES[name])
                    broken = page.evaluate(_BROKEN_SUMMARY_LINKS)
                    summaries.append((who, url, broken))
                    findings += axe.check_loaded(page, f"{who} POST {url}")
            context.close()
        browser.close()
    elapsed = time.monotonic() - started

    print(  # noqa: T201
        f"\naxe-core: {checked} pages (roles × pages) at 2 widths and {len(summaries)} error "
        f"states in {elapsed:.0f} s, {prepared:.0f} s of which finding the pages"
    )
    serious = axe.failing(findings)
    assert serious == [], "\n".join(map(str, serious))
    assert set(ERROR_STATES) == error_states, "an error state was not reached"
    assert [s for s in summaries if s[2] is None] == [], "no error summary after a failed submit"
    assert [s for s in summaries if s[2]] == [], "the error summary links to missing ids"
    # Every role's start page at least; the walk's pages are many more for most roles.
    assert all(pages[who] for who in A_USERS)
