"""Answering in a real browser on a phone (390 px), in Swedish and in Arabic (right to left):
axe-core finds no serious or critical violation on any page, the page fits the screen, and the
submitted answers arrive as one response in the respondent's language."""

import pytest
from django.conf import settings

from finsam.core.tests import axe
from finsam.core.tests.server import running_server
from finsam.questionnaires.models import Response
from finsam.questionnaires.tests.factories import invitation

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not axe.CHROMIUM.exists(), reason=f"no Chromium at {axe.CHROMIUM}"),
    pytest.mark.skipif(
        "sqlite" not in settings.DATABASES["default"]["ENGINE"], reason="run on SQLite only"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("language", ["sv", "ar"])
def test_answering_on_a_phone(world, tmp_path, language):
    token, _inv = invitation(world.a, initiative=world.a_initiative)
    findings = []
    with running_server(tmp_path) as base, sync_api.sync_playwright() as playwright:
        browser = axe.launch(playwright)
        context = axe.new_context(browser)
        page = context.new_page()
        page.set_viewport_size(axe.MOBILE)
        page.goto(f"{base}/q/{token}/?lang={language}")
        assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
        page.screenshot(path=str(tmp_path / f"answer-{language}.png"), full_page=True)
        # The error state: a tampered choice is refused, summarised and linked to its question.
        page.evaluate("document.querySelector('input[name=i-D01]').value = '99'")
        page.locator("input[name=i-D01]").first.check()
        page.locator("button[value=next]").click()
        assert page.locator("[data-error-summary] a[href='#i-D01-0']").count() == 1
        findings += axe.check_loaded(page, f"{language} error")
        page.set_viewport_size(axe.MOBILE)
        pages = 0
        while True:
            pages += 1
            findings += axe.check_loaded(page, f"{language} page {pages}")
            page.set_viewport_size(axe.MOBILE)
            # Pick the fifth option of every question (or the first when there are fewer).
            for fieldset in page.locator("fieldset").all():
                options = fieldset.locator("input[type=radio]")
                options.nth(min(4, options.count() - 1)).check()
            submit = page.locator("button[value=submit]")
            if submit.count():
                submit.click()
                break
            page.locator("button[value=next]").click()
        findings += axe.check_loaded(page, f"{language} thanks")
        assert "tack" in page.url
        browser.close()
    assert pages == 3
    assert not axe.failing(findings), "\n".join(str(f) for f in axe.failing(findings))
    response = Response.objects.get()
    assert response.language == language
    assert response.answers.get(item_code="D01").choice_code == "5"


def test_the_staff_pages_pass_axe(world, tmp_path):
    from django.urls import reverse

    from finsam.core.tests.server import session_cookie
    from finsam.questionnaires.models import Response, ReviewStatus, Source
    from finsam.questionnaires.tests.factories import core_version

    version = core_version()
    Response.objects.create(
        version=version,
        association=world.a,
        initiative=world.a_initiative,
        respondent_group="participant_during",
        period="2026-H2",
        source=Source.PAPER,
        review_status=ReviewStatus.ENTERED,
    )
    cookie_value = session_cookie(world.secretariat)
    findings = []
    with running_server(tmp_path) as base, sync_api.sync_playwright() as playwright:
        browser = axe.launch(playwright)
        context = axe.new_context(browser)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie_value, "url": base}]
        )
        page = context.new_page()
        for name in ("index", "paper_list"):
            page.goto(base + reverse(f"questionnaires:{name}"))
            findings += axe.check_loaded(page, name)
        for name in ("links", "group_link", "email", "paper"):
            url = base + reverse(f"questionnaires:{name}", kwargs={"pk": version.pk})
            page.goto(url)
            findings += axe.check_loaded(page, name)
            # The error state: a bad period.
            page.fill("#id_period", "hösten")
            if name == "paper":
                page.locator("fieldset").first.locator("input").first.check()
            page.locator("main form button[type=submit]").last.click()
            assert page.locator("[data-error-summary]").count() == 1, name
            findings += axe.check_loaded(page, f"{name} error")
        page.goto(base + reverse("questionnaires:links", kwargs={"pk": version.pk}))
        page.fill("#id_period", "2026-H2")
        page.fill("#id_count", "4")
        page.locator("main form button[type=submit]").last.click()
        assert page.locator(".q-sheet-cell svg").count() == 4
        findings += axe.check_loaded(page, "sheet")
        browser.close()
    assert not axe.failing(findings), "\n".join(str(f) for f in axe.failing(findings))
