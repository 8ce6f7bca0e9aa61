"""Undefined template variables fail the tests (finsam/core/undefined.py)."""

from pathlib import Path

import pytest
from django.template import Context, Engine, Template
from django.template.base import Origin

from finsam.core.undefined import UndefinedVariable, UndefinedVariableError

PROJECT = Path(__file__).resolve().parents[2] / "templates" / "example.html"
LIBRARY = Path(pytest.__file__).resolve().parent / "templates" / "example.html"


def render(source: str, origin: Path, **context) -> str:
    template = Template(source, origin=Origin(str(origin)), engine=Engine.get_default())
    return template.render(Context(context))


def test_the_tests_run_with_the_raising_placeholder():
    assert isinstance(Engine.get_default().string_if_invalid, UndefinedVariable)


@pytest.mark.parametrize("source", ["{{ missing }}", "{{ known.missing }}", "{{ missing|upper }}"])
def test_an_undefined_variable_in_a_project_template_raises(source):
    with pytest.raises(UndefinedVariableError, match="example.html"):
        render(source, PROJECT, known={"there": 1})


def test_defined_variables_conditions_and_defaults_still_render():
    source = (
        "{{ known }}{% if missing %}x{% endif %}{{ missing|default:'-' }}"
        "{% for i in nothing %}{% endfor %}"
    )
    assert render(source, PROJECT, known="a") == "a-"


def test_library_templates_keep_the_empty_string():
    assert render("[{{ missing }}]", LIBRARY) == "[]"


def test_it_survives_copying_the_settings():
    import copy

    assert isinstance(copy.deepcopy(UndefinedVariable()), UndefinedVariable)
