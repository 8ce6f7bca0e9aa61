"""One registration variable, declared once in `participants.variables`, shows up everywhere.

`added_variable.py` runs in a fresh process (the registry is read when the forms, import, API and
statistics modules are imported, as in production): it declares two new variables, one registered
at enrolment and one at exit, with their model fields, and reports what it sees.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def seen():
    env = {**os.environ, "FINSAM_TESTING": "1", "DATABASE_URL": "sqlite://:memory:"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "finsam.participants.tests.added_variable"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_registry_is_read_only_after_the_variables_are_added(seen):
    assert seen["imported_early"] == []


def test_a_new_variable_is_a_field_of_the_enrol_or_exit_form(seen):
    enrol, exit_ = seen["enrol_form"], seen["exit_form"]
    assert enrol["fields"].index("co_referrer") == enrol["fields"].index("referrer") + 1
    assert 'name="co_referrer"' in enrol["html"]
    assert "Medremittent" in enrol["html"]
    assert "occupation_six_months" not in enrol["fields"]
    assert exit_["fields"][-1] == "occupation_six_months"
    assert 'name="occupation_six_months"' in exit_["html"]
    assert "co_referrer" not in exit_["fields"]


def test_a_new_variable_is_a_column_of_the_import_and_its_templates(seen):
    imported = seen["import"]
    headers = imported["headers"]
    assert headers.index("medremittent") == headers.index("remittent") + 1
    assert headers[-1] == "sysselsättning efter sex månader"
    assert imported["code_lists"]["co_referrer"] == "referrer"
    assert imported["xlsx_headers"] == headers == imported["csv_headers"]
    assert "medremittent" in imported["xlsx_instructions"]


def test_a_new_variable_is_a_field_of_the_api_and_its_schema(seen):
    api = seen["api"]
    for name in ("EnrolmentIn", "schema_in"):
        assert api[name].index("co_referrer") == api[name].index("referrer") + 1
    for name in ("ExitIn", "schema_exit"):
        assert api[name][-1] == "occupation_six_months"
    for name in ("EnrolmentOut", "schema_out"):
        assert {"co_referrer", "occupation_six_months"} <= set(api[name])


def test_a_new_variable_is_a_statistics_table_at_its_place(seen):
    stats = seen["statistics"]
    dimensions = stats["dimensions"]
    assert dimensions.index("co_referrer") == dimensions.index("referrer") + 1
    assert dimensions[-1] == "occupation_six_months"
    assert stats["tables"]["co_referrer"] == {
        "title": "Medremittent",
        "rows": ["AF", "Uppgift saknas"],
    }
    assert stats["tables"]["occupation_six_months"]["rows"] == ["Arbete", "Uppgift saknas"]


def test_a_new_variable_is_checked_by_the_services(seen):
    services = seen["services"]
    assert services["code_fields"]["co_referrer"] == "referrer"
    assert "co_referrer" in services["in_fields"]
    assert services["exit_fields"][-1] == "occupation_six_months"


def test_a_new_variable_reaches_the_services_input_from_form_import_and_api(seen):
    assert seen["sent"] == {
        "enrol_form": "af",
        "exit_form": "arbete",
        "import_example": "af",
        "api_in": "af",
    }
