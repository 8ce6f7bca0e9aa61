"""Checking a form definition, and walking its sections and blocks."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from finsam.applications.formdef.text import KEY_RE, label_valid, tr
from finsam.applications.formdef.types import TYPES

STANDARD_FORM = Path(__file__).with_name("standard_form.json")


def check_block(block, where: str, seen: set) -> list[str]:
    """The problems of one block (its key added to `seen`)."""
    if not isinstance(block, dict):
        return [_("%(where)s: ett block ska vara ett objekt.") % {"where": where}]
    key = block.get("key")
    if not isinstance(key, str) or not KEY_RE.match(key):
        return [
            _(
                "%(where)s: blocket ”%(key)s” har ingen giltig nyckel "
                "(små bokstäver, siffror och _)."
            )
            % {"where": where, "key": key}
        ]
    here = f"{where}, {key}"
    problems = []
    if key in seen:
        problems.append(
            _("%(where)s: nyckeln ”%(key)s” används redan.") % {"where": where, "key": key}
        )
    seen.add(key)
    kind = TYPES.get(block.get("type"))
    if kind is None:
        problems.append(
            _("%(where)s: okänd blocktyp ”%(type)s”.") % {"where": here, "type": block.get("type")}
        )
        return problems
    if not label_valid(block.get("label")):
        problems.append(_("%(where)s: etikett saknas.") % {"where": here})
    if "help" in block and not label_valid(block["help"], allow_empty=True):
        problems.append(_("%(where)s: hjälptexten ska vara en text.") % {"where": here})
    if not isinstance(block.get("required", False), bool):
        problems.append(_("%(where)s: required ska vara sant eller falskt.") % {"where": here})
    problems.extend(kind.check_options(block, here))
    return problems


def validate_definition(definition) -> list[str]:
    """The problems of a form definition, in Swedish; empty when it can be used."""
    if not isinstance(definition, dict):
        return [_("Formuläret ska vara ett JSON-objekt.")]
    problems = []
    if definition.get("version") != 1:
        problems.append(_("Formulärets version ska vara 1."))
    if not label_valid(definition.get("title")):
        problems.append(_("Formuläret saknar titel."))
    sections = definition.get("sections")
    if not isinstance(sections, list) or not sections:
        return [*problems, _("Formuläret saknar avsnitt.")]
    section_keys: set = set()
    block_keys: set = set()
    for n, section in enumerate(sections, 1):
        where = _("Avsnitt %(n)s") % {"n": n}
        if not isinstance(section, dict):
            problems.append(_("%(where)s: ska vara ett objekt.") % {"where": where})
            continue
        key = section.get("key")
        if not isinstance(key, str) or not KEY_RE.match(key):
            problems.append(_("%(where)s: ogiltig nyckel.") % {"where": where})
        elif key in section_keys:
            problems.append(
                _("%(where)s: nyckeln ”%(key)s” används redan.") % {"where": where, "key": key}
            )
        else:
            section_keys.add(key)
        if not label_valid(section.get("title")):
            problems.append(_("%(where)s: rubrik saknas.") % {"where": where})
        blocks = section.get("blocks")
        if not isinstance(blocks, list) or not blocks:
            problems.append(_("%(where)s: avsnittet saknar block.") % {"where": where})
            continue
        for block in blocks:
            problems.extend(check_block(block, where, block_keys))
    return problems


def sections(definition) -> list[dict]:
    return definition.get("sections", [])


def blocks(definition, section: str | None = None):
    """(section, block) for every top-level block, or only those of one section."""
    for sec in sections(definition):
        if section is None or sec["key"] == section:
            for block in sec["blocks"]:
                yield sec, block


def find_block(definition, key: str) -> tuple[dict, dict] | tuple[None, None]:
    for sec, block in blocks(definition):
        if block["key"] == key:
            return sec, block
    return None, None


def section_title(section) -> str:
    return tr(section.get("title"))


@cache
def _standard_text() -> str:
    return STANDARD_FORM.read_text(encoding="utf-8")


def standard_form() -> dict:
    """The shipped form (seed 004's sections), a fresh copy."""
    return json.loads(_standard_text())
