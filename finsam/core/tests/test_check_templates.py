"""`manage.py check_templates` (make quality) compiles every project template."""

import copy

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from finsam.core.management.commands import check_templates


def test_every_project_template_compiles(capsys):
    call_command("check_templates")
    out = capsys.readouterr().out
    count = int(out.split()[0])
    assert count > 100  # the project's templates, not none
    assert "base.html" in check_templates.project_templates()
    assert not any(name.startswith("admin/") for name in check_templates.project_templates())


def test_a_template_that_does_not_compile_is_named(tmp_path, monkeypatch):
    (tmp_path / "fine.html").write_text("{% load i18n %}{% translate 'Hej' %}")
    (tmp_path / "broken.html").write_text("{% if x %}never closed")
    (tmp_path / "unknown.html").write_text("{{ x|no_such_filter }}")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path]
    templates[0]["APP_DIRS"] = False
    monkeypatch.setattr(check_templates, "PROJECT", tmp_path)
    with override_settings(TEMPLATES=templates):
        assert check_templates.project_templates() == ["broken.html", "fine.html", "unknown.html"]
        with pytest.raises(CommandError) as error:
            call_command("check_templates")
    assert "broken.html" in str(error.value) and "unknown.html" in str(error.value)
    assert "fine.html" not in str(error.value)
