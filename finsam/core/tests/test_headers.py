"""Point 5 of the security issue: CSP without inline script, Permissions-Policy, and no copy of
any page or API answer kept by a browser or proxy."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from finsam.statistics.charts import table_chart_svg
from finsam.statistics.tests.test_charts import TABLE

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def assert_private_and_protected(response):
    assert "no-store" in response["Cache-Control"]
    csp = directives(response)
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no nonce
    assert csp["default-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_pages_carry_the_policies_and_are_never_stored(client_for, world):
    client = client_for(world.secretariat)
    for url in ("/initiatives/", f"/initiatives/{world.a_initiative.pk}/", "/users/invite/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_private_and_protected(response)


def test_api_answers_and_the_login_page_are_never_stored(client_for, client, world):
    assert_private_and_protected(client.get("/accounts/login/"))
    response = client_for(world.secretariat).get("/api/v1/initiatives/")
    assert response.status_code == 200
    assert_private_and_protected(response)


def _templates():
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    dirs += [Path(app.path) / "templates" for app in apps.get_app_configs()]
    for root in dirs:
        if root.is_dir() and root.resolve().is_relative_to(Path(settings.BASE_DIR) / "finsam"):
            for path in root.rglob("*.html"):
                yield path.relative_to(root).as_posix(), path.read_text()


INLINE_CODE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "htmx code (hx-on, js: values)": re.compile(r"hx-on|hx-vars|hx-vals=['\"]\s*js:", re.I),
    "style element": re.compile(r"<style", re.I),
}


def test_no_template_holds_code_or_style_elements_the_policy_would_block():
    found = [
        f"{name}: {kind}"
        for name, text in _templates()
        for kind, pattern in INLINE_CODE.items()
        if pattern.search(text)
    ]
    assert found == []
    assert dict(_templates())["base.html"].count("htmx-config") == 1


def style_elements_allowed(svg: str) -> bool:
    """Whether every <style> element of an inline SVG is allowed by its hash in the policy."""
    return all(
        f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'"
        in settings.SECURE_CSP["style-src-elem"]
        for style in re.findall(r"<style[^>]*>(.*?)</style>", svg, re.S)
    )


def test_the_statistics_charts_carry_no_style_element():
    """The statistics charts' SVG is written without a <style> element (only attributes, which
    the policy allows); matplotlib's SUS comparison chart is checked in statistics' tests."""
    svg = table_chart_svg(TABLE)
    assert "<style" not in svg
    assert style_elements_allowed(svg)
