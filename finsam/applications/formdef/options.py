"""Choices whose options come from elsewhere: a choice block may say `"options_from":
"municipalities"` (the association's member municipalities, codes = municipality codes) or the
key of a reference code list (`"target_group"`, the list the initiatives' target groups use)
instead of listing its options. `with_options` fills them in, in Swedish and English; the copy
of the form an application keeps has them filled in, so its answers keep their labels even when
a list changes later.
"""

from __future__ import annotations

import copy


def sources() -> set[str]:
    from finsam.reference.models import CodeListKey

    return {"municipalities", *CodeListKey.values}


def _options(source: str, association) -> list[dict]:
    if source == "municipalities":
        if association is None:
            return []
        return [
            {"code": m.code, "label": m.name} for m in association.municipalities.order_by("name")
        ]
    from finsam.reference import codes

    swedish = codes.choices(source, association=association, language="sv")
    english = dict(codes.choices(source, association=association, language="en"))
    return [
        {"code": code, "label": {"sv": label, "en": english.get(code, label)}}
        for code, label in swedish
    ]


def _choice_blocks(definition):
    for section in definition.get("sections", []):
        for block in section.get("blocks", []):
            if block.get("type") == "choice":
                yield block
            for child in block.get("blocks", []) if block.get("type") == "group" else []:
                if child.get("type") == "choice":
                    yield child


def unresolved(definition) -> bool:
    """Whether a choice block still waits for its options."""
    return any("options_from" in b and "options" not in b for b in _choice_blocks(definition))


def with_options(definition, association=None) -> dict:
    """A copy of the definition with every `options_from` choice's options filled in."""
    out = copy.deepcopy(definition)
    for block in _choice_blocks(out):
        if "options_from" in block and "options" not in block:
            block["options"] = _options(block["options_from"], association)
    return out
