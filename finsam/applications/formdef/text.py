"""Labels of a form definition: a plain string or one per language ({"sv": …, "en": …})."""

from __future__ import annotations

import re

from finsam.reference.models import pick

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


def tr(label) -> str:
    """The label in the active language: the language's own, else Swedish (the rule of the code
    lists' translations, `reference.models.pick`), else the first one."""
    if isinstance(label, str):
        return label
    if isinstance(label, dict) and label:
        chosen = pick({k: v for k, v in label.items() if isinstance(v, str)})
        if chosen:
            return chosen
        for value in label.values():
            if isinstance(value, str):
                return value
    return ""


def label_valid(label, *, allow_empty: bool = False) -> bool:
    """A label is a non-empty string, or a dict of language codes to strings with a Swedish one."""
    if isinstance(label, str):
        return allow_empty or bool(label.strip())
    if isinstance(label, dict):
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in label.items()):
            return False
        return allow_empty or bool(label.get("sv", "").strip())
    return False


def clean_text(value: str) -> str:
    """Strips the text and drops control characters (keeps line breaks and tabs)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in value if ch in "\n\t" or ch >= " ").strip()
