"""Point 5: the documented production settings pass `check --deploy`, send HSTS and redirect to
HTTPS; the site refuses to start outside DEBUG with the development or the example keys."""

import json
import secrets

import pytest

from finsam.core.tests.conftest import REPO

KEYS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "LOOKUP_HASH_KEY")


def example_env():
    """The variables of .env.example, as documented for production."""
    lines = (REPO / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


@pytest.fixture
def production(tmp_path):
    """.env.example with keys of its own and a database that exists here."""
    env = example_env()
    assert "DEBUG" not in env or env["DEBUG"] == "0"
    env.update({key: secrets.token_urlsafe(50) for key in KEYS})
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return env


def test_the_documented_production_settings_pass_check_deploy(manage, production):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


HEADERS = """
import json
from django.test import Client
c = Client(HTTP_HOST="finsam.example.se")
plain, secure, probe = c.get("/initiatives/"), c.get("/health/", secure=True), c.get("/health/")
print(json.dumps([plain.status_code, plain["Location"], secure.get("Strict-Transport-Security"),
                  probe.status_code]))
"""


def headers(manage, env):
    result = manage("shell", "-c", HEADERS, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_production_redirects_to_https_and_sends_hsts(manage, production):
    assert headers(manage, production) == [
        301,
        "https://finsam.example.se/initiatives/",
        "max-age=31536000; includeSubDomains",
        200,  # the proxy's plain-HTTP health probe is not redirected
    ]
    # Behind a proxy that redirects and sets HSTS itself:
    opted_out = {**production, "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0"}
    assert headers(manage, opted_out) == [302, "/accounts/login/?next=/initiatives/", None, 200]


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param({key: example_env()[key] for key in KEYS}, id="example keys"),
        pytest.param(
            {
                "SECRET_KEY": "dev-only-insecure-key",
                "FIELD_ENCRYPTION_KEY": "dev-only-field-key",
                "LOOKUP_HASH_KEY": "dev-only-field-key",
            },
            id="development keys",
        ),
        pytest.param(
            {"FIELD_ENCRYPTION_KEY": f"{'k' * 40},change-me"}, id="one example key in the list"
        ),
        pytest.param({"LOOKUP_HASH_KEY": " "}, id="an empty key"),
    ],
)
def test_outside_debug_public_keys_are_refused(manage, production, keys):
    for command in (["check"], ["migrate", "--noinput"]):
        result = manage(*command, env={**production, **keys})
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert next(iter(keys)) in result.stderr.splitlines()[-1]
    wsgi = manage(env={**production, **keys}, code="import config.wsgi")
    assert wsgi.returncode != 0 and "ImproperlyConfigured" in wsgi.stderr


def test_outside_debug_a_missing_key_is_refused(manage, production):
    del production["LOOKUP_HASH_KEY"]
    result = manage("check", env=production)
    assert result.returncode != 0
    assert "Set the LOOKUP_HASH_KEY environment variable" in result.stderr
