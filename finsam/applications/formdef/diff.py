"""What changed between two versions of the answers, block by block."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from finsam.applications.formdef.definition import blocks, section_title
from finsam.applications.formdef.text import tr
from finsam.applications.formdef.types import TYPES

LONG_TYPES = ("rich_text", "text", "budget", "timeline", "group")
_TOKEN_RE = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    section: str
    section_title: str
    old: str  # display text
    new: str
    inline: SafeString  # a word-level diff with <ins>/<del> (escaped text), "" when not useful


def _text(block, value) -> str:
    try:
        return TYPES[block["type"]].text(block, value)
    except (TypeError, ValueError, AttributeError, KeyError):
        return ""


def inline_diff(old: str, new: str) -> SafeString:
    """A word-level diff of two texts: removed words in <del>, added in <ins>, all text escaped."""
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    # Said aloud too: a screen reader does not announce <del> and <ins> by themselves.
    removed = f'<span class="visually-hidden">{escape(_("borttaget:"))} </span>'
    added = f'<span class="visually-hidden">{escape(_("tillagt:"))} </span>'
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{removed}{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{added}{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 (every piece of text is escaped)


def diff(definition, old_answers, new_answers) -> list[Change]:
    """The blocks whose display text differs, in form order."""
    old_answers = old_answers if isinstance(old_answers, dict) else {}
    new_answers = new_answers if isinstance(new_answers, dict) else {}
    changes = []
    for sec, block in blocks(definition):
        old = _text(block, old_answers.get(block["key"]))
        new = _text(block, new_answers.get(block["key"]))
        if old == new:
            continue
        long = block["type"] == "rich_text" or (
            block["type"] in LONG_TYPES and (len(old) > 60 or len(new) > 60 or "\n" in old + new)
        )
        changes.append(
            Change(
                block["key"],
                tr(block["label"]),
                sec["key"],
                section_title(sec),
                old,
                new,
                inline_diff(old, new) if long and old and new else mark_safe(""),
            )
        )
    return changes
