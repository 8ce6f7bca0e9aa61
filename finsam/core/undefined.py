"""Undefined template variables fail the tests (`string_if_invalid` when FINSAM_TESTING).

Django renders a variable it cannot resolve as `string_if_invalid`, "" by default, which hides a
misspelt name or a context the view forgot. In the tests it is an `UndefinedVariable`: empty and
false, so `{% if x %}`, `{{ x|default:"…" }}` and loops behave as in production, but rendering it
in one of this project's templates raises `UndefinedVariableError`. Templates of the libraries
(Django's admin, allauth, the REST framework) rely on undefined variables by design and keep the
empty string.
"""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_TEMPLATES = str(Path(__file__).resolve().parents[1])  # the finsam package


class UndefinedVariableError(Exception):
    pass


def _rendering_origin() -> str | None:
    """The template being rendered: the origin of the innermost template node on the stack."""
    frame = sys._getframe(2)
    while frame is not None:
        origin = getattr(frame.f_locals.get("self"), "origin", None)
        name = getattr(origin, "name", None)
        if isinstance(name, str):
            return name
        frame = frame.f_back
    return None


class UndefinedVariable(str):
    """An empty string that raises when a project template renders it."""

    def __new__(cls):
        return super().__new__(cls, "")

    def __reduce__(self):  # copies (of the settings, say) stay an UndefinedVariable
        return (UndefinedVariable, ())

    def __str__(self) -> str:
        origin = _rendering_origin()
        if origin is not None and origin.startswith(PROJECT_TEMPLATES):
            raise UndefinedVariableError(f"Undefined variable rendered in {origin}")
        return ""
