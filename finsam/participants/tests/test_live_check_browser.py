"""The enrol form in a real browser: what the registrar types is what is saved, however the live
checks interleave, and no field shows an error before the registrar has reached it.

Runs Debian's Chromium (/usr/bin/chromium) through Playwright against a real server
(`finsam.core.tests.server`); skipped when either is missing.
"""

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from finsam.core.tests.server import running_server, session_cookie
from finsam.participants.models import Consent, Enrolment
from finsam.participants.tests.conftest import PN_MAN

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (the dev extra)"
)
expect = sync_api.expect

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.django_db(transaction=True),
]
KEY_DELAY_MS = 30
# Each live check answers this much later, so that its answer lands while the next field is typed.
CHECK_DELAY_S = 0.15
NAME = "Annika Lindqvist"
FORM_VERSION = "FK 9443 v3"


def _slow_check(route):
    response = route.fetch()
    time.sleep(CHECK_DELAY_S)
    route.fulfill(response=response)


def test_typing_while_live_checks_return_loses_nothing(world, codes, tmp_path):
    initiative = world.a_initiative
    enrol_url = reverse("participants:enrol", args=[initiative.pk])
    session = session_cookie(world.registrar)
    checks = []

    with running_server(tmp_path) as base, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        context = browser.new_context()
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
        page = context.new_page()
        page.on(
            "request",
            lambda request: (
                checks.append(request.headers.get("hx-trigger-name"))
                if request.url.endswith("/validate/")
                else None
            ),
        )
        page.route("**/validate/", _slow_check)
        expect.set_options(timeout=20_000)  # a busy CI machine
        page.goto(base + enrol_url)

        # The personal number, then on to the name, typed while the number's check returns.
        page.click("#id_personal_number")
        page.keyboard.type(PN_MAN, delay=KEY_DELAY_MS)
        page.keyboard.press("Tab")
        page.keyboard.type(NAME, delay=KEY_DELAY_MS)
        # The whole form goes with the check: the start date gives the age.
        expect(page.locator("#derived")).to_contain_text("år vid start")
        assert page.input_value("#id_name") == NAME
        # Only the number was left: no field shows an error, the consent block says nothing.
        assert page.locator(".invalid-feedback, #consent-messages .alert").count() == 0
        assert page.locator(".is-invalid").count() == 0

        # A wrong number is said on the number alone when it is left.
        page.fill("#id_personal_number", PN_MAN[:-1] + "7")
        page.keyboard.press("Tab")
        number = page.locator("#id_personal_number")
        expect(number).to_have_attribute("aria-invalid", "true")
        expect(page.locator(".invalid-feedback")).to_have_count(1)
        assert "Kontrollsiffran" in page.inner_text("#messages-personal_number")
        page.fill("#id_personal_number", PN_MAN)
        page.keyboard.press("Tab")
        expect(number).not_to_have_attribute("aria-invalid", "true")
        expect(page.locator(".invalid-feedback")).to_have_count(0)

        # The consent: the method chosen, the version typed while the method's check returns.
        page.select_option("#id_consent_method", "paper")
        page.click("#id_consent_form_version")
        page.keyboard.type(FORM_VERSION, delay=KEY_DELAY_MS)
        assert page.locator("#consent-messages .alert").count() == 0
        page.select_option("#id_home_municipality", str(codes.skovde.pk))
        page.check(f"input[name=income_sources_before][value='{codes.social_assistance.pk}']")
        page.select_option("#id_occupation_before", str(codes.nothing.pk))
        page.fill("#id_occupation_extent_before", "0")
        page.select_option("#id_education", str(codes.upper_secondary.pk))
        page.select_option("#id_time_outside_work", str(codes.one_to_two.pk))
        page.select_option("#id_referrer", str(codes.af.pk))
        assert page.input_value("#id_consent_form_version") == FORM_VERSION
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert "/participants/enrolment/" in page.url
        browser.close()

    # Every field left was checked, each on its own.
    assert {"personal_number", "consent_method", "home_municipality"} <= set(checks)
    enrolment = Enrolment.objects.get(initiative=initiative)
    assert enrolment.participant.name == NAME
    assert Consent.objects.get(enrolment=enrolment).form_version == FORM_VERSION
