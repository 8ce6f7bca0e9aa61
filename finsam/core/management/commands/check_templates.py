"""Compile every template of the project (`make quality`).

Loading a template parses it: a syntax error, an unknown tag or filter, a `{% load %}` of a
library that does not exist or an unclosed block fails here, not on the first request that
renders the page. Undefined variables are caught by the tests (finsam/core/undefined.py).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template import TemplateSyntaxError, engines

PROJECT = Path(__file__).resolve().parents[3]  # the finsam package
SUFFIXES = {".html", ".txt", ".xml", ".svg"}


def project_templates() -> list[str]:
    """The names of the templates under the project's template folders (not the libraries')."""
    names = set()
    for engine in engines.all():
        for folder in engine.template_dirs:
            folder = Path(folder).resolve()
            if not folder.is_relative_to(PROJECT):
                continue
            for path in folder.rglob("*"):
                if path.is_file() and path.suffix in SUFFIXES:
                    names.add(path.relative_to(folder).as_posix())
    return sorted(names)


def template_errors() -> list[str]:
    """One line per template that does not compile."""
    errors = []
    engine = engines["django"]
    for name in project_templates():
        try:
            engine.get_template(name)
        except TemplateSyntaxError as exc:
            errors.append(f"{name}: {exc}")
    return errors


class Command(BaseCommand):
    help = "Compile every template of the project; fail on the first syntax error found."

    def handle(self, *args, **options):
        names = project_templates()
        errors = template_errors()
        if errors:
            raise CommandError("Templates that do not compile:\n" + "\n".join(errors))
        self.stdout.write(f"{len(names)} templates compile.")
