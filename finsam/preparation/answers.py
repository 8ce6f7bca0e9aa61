"""A plain read-only rendering of an application's answers: per section of its stored form
definition, each block's label and its answer as text (the form engine brings a richer one)."""

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from finsam.core.formats import sv_amount


def _text(value) -> str:
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, int | float):
        return sv_amount(value) if isinstance(value, int) else str(value)
    if isinstance(value, str):
        return strip_tags(value).strip()
    if isinstance(value, list):
        return "\n".join(filter(None, (_text(v) for v in value)))
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            text = _text(item)
            if text:
                parts.append(f"{key}: {text}")
        return "\n".join(parts)
    return str(value)


def answer_sections(definition: dict, answers: dict) -> list[dict]:
    """[{"title", "blocks": [{"key", "label", "text"}]}] in the form's order."""
    sections = []
    for section in (definition or {}).get("sections", []):
        blocks = [
            {
                "key": block.get("key", ""),
                "label": str(block.get("label", block.get("key", ""))),
                "text": _text((answers or {}).get(block.get("key"))),
            }
            for block in section.get("blocks", [])
        ]
        sections.append({"title": str(section.get("title", "")), "blocks": blocks})
    return sections
